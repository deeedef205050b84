// traffic-owner git end to end: the action only commits. A stand-in for Flux's
// kustomize-controller (emulator/flux-standin) applies the branch head of a real bare git
// repository to the emulator with server-side apply; the action reads the cluster with a
// read-only token (RBAC on), and the emulator's audit shows no write by it.

import { join } from 'node:path'
import { start, type FluxStandin } from '../../emulator/flux-standin/controller.js'
import { bareRepo, git, type BareRepo } from '../helpers/bare-repo.js'
import { withEmulator } from '../helpers/emulator.js'
import {
  FLUX,
  GITOPS_RBAC,
  pushBadTemplate,
  readOnlyKubeconfig,
  writesBy
} from '../helpers/gitops-e2e.js'
import { rolloutRig, type RolloutRig } from '../helpers/rollout-e2e.js'
import { serviceYaml } from '../helpers/service-yaml.js'

const emulator = withEmulator({ rbac: GITOPS_RBAC })
const PATH = 'apps/shop.yaml'
let repo: BareRepo
let checkout: string
let flux: FluxStandin
let rig: RolloutRig

// No bring-your-own revision name at first (Knative names it shop-00001): the action's
// first commit names the candidate.
const MANIFEST =
  '# shop, applied by Flux\n' +
  serviceYaml('shop', 'docker.io/acme/shop:v1', { EMULATOR_LATENCY_MS: '20' })

const startFlux = () =>
  start({
    repoUrl: repo.remote,
    branch: 'main',
    path: 'apps',
    apiUrl: emulator().apiUrl,
    token: FLUX,
    intervalMs: 200
  })

beforeAll(async () => {
  repo = bareRepo({ [PATH]: MANIFEST })
  checkout = repo.clone('checkout')
  flux = await startFlux()
  rig = await rolloutRig(emulator())
  await until(
    async () =>
      (await rig.service('shop').catch(() => undefined))?.status?.latestReadyRevisionName ===
      'shop-00001'
  )
}, 60_000)
afterAll(async () => {
  await flux.stop()
  await rig.cleanup()
  repo.remove()
})

async function until(ok: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}

const subjects = () => git(repo.remote, 'log', '--format=%s', 'main', '--', PATH).split('\n')
const servingShares = async () =>
  ((await rig.service('shop')).status?.traffic ?? [])
    .filter((t) => (t.percent ?? 0) > 0)
    .map((t) => `${t.revisionName}:${t.percent}`)

async function gitRollout(flags: Record<string, string>, deps = {}) {
  git(checkout, 'pull', '--quiet', '--rebase', 'origin', 'main')
  const out = await rig.rollout(
    {
      manifest: join(checkout, PATH),
      'traffic-owner': 'git',
      'git-branch': 'main',
      kubeconfig: readOnlyKubeconfig(emulator()),
      steps: '25,100',
      'sync-timeout': '20s',
      ...flags
    },
    deps
  )
  return out
}

test('a healthy release is promoted through one commit per step; the action writes nothing to the cluster', async () => {
  const out = await gitRollout({ image: 'docker.io/acme/shop:v2', 'revision-name': 'shop-v2' })
  expect(out.result).toBe('promoted')
  expect(subjects().slice(0, 3)).toEqual([
    'shop: promoted shop-v2',
    'shop: step 25%',
    'shop: candidate shop-v2 created at 0%'
  ])
  const inGit = repo.show('main', PATH)
  expect(inGit.startsWith('# shop, applied by Flux\n')).toBe(true)
  expect(inGit).toContain('image: docker.io/acme/shop:v2')
  expect(out.commit).toBe(git(repo.remote, 'rev-parse', 'main'))
  expect(await servingShares()).toEqual(['shop-v2:100'])
  expect(writesBy(emulator())).toBe(0)
  // The commit body carries the step's evidence.
  expect(git(repo.remote, 'log', '-1', '--format=%b', 'main')).toMatch(
    /step 25%: pass after .*candidate 0\/\d+ errors/
  )
})

test('a merged template that is bad (no image input) is the candidate, and a commit rolls it back', async () => {
  // The usual GitOps merge: the template changes, the traffic stays pinned to the current.
  pushBadTemplate(repo, PATH)
  await until(
    async () => (await rig.service('shop')).status?.latestCreatedRevisionName === 'shop-v3'
  )
  const out = await gitRollout({})
  expect(out.result).toBe('rolled-back')
  expect(out.candidateRevision).toBe('shop-v3')
  expect(subjects()[0]).toMatch(/^shop: rolled-back: step 25%/)
  expect(await servingShares()).toEqual(['shop-v2:100'])
  expect(writesBy(emulator())).toBe(0)
})

test('someone else pushing another file mid-rollout is rebased over', async () => {
  // The bad merge is reverted in git first (the controller cannot apply that alone: Knative
  // refuses a template change under the same revision name; the release names a new one).
  repo.pushFromElsewhere(
    PATH,
    repo.show('main', PATH).replace(/\n +- name: EMULATOR_ERROR_RATE\n +value: "0.5"/, ''),
    'revert the bad merge'
  )
  let pushed = false
  const out = await gitRollout(
    { image: 'docker.io/acme/shop:v4', 'revision-name': 'shop-v4' },
    {
      onStep: () => {
        if (pushed) return
        pushed = true
        repo.pushFromElsewhere('apps/README.md', 'the shop, deployed by Flux\n', 'docs')
      }
    }
  )
  expect(out.result).toBe('promoted')
  expect(git(repo.remote, 'log', '--format=%s', 'main').split('\n').slice(0, 2)).toEqual([
    'shop: promoted shop-v4',
    'docs'
  ])
})

test('a conflicting edit of the same lines stops the rollout with the split unchanged', async () => {
  const current = (await rig.service('shop')).status?.latestReadyRevisionName
  let pushed = false
  const out = await gitRollout(
    { image: 'docker.io/acme/shop:v5', 'revision-name': 'shop-v5' },
    {
      onStep: () => {
        if (pushed) return
        pushed = true
        // Someone moves the split by hand in git (to a sum Knative refuses, so the
        // controller cannot apply it and only git shows it).
        repo.pushFromElsewhere(
          PATH,
          repo.show('main', PATH).replace(/percent: 75/, 'percent: 70'),
          'by hand'
        )
      }
    }
  )
  expect(out.result).toBe('failed')
  expect(out.message).toMatch(
    /someone else changed the same lines of apps\/shop\.yaml.*split unchanged/
  )
  expect(await servingShares()).toEqual([`${current}:75`, 'shop-v5:25'])
  expect(writesBy(emulator())).toBe(0)
  // Put git back as the cluster is, for the next test.
  repo.pushFromElsewhere(PATH, repo.show('main', PATH).replace(/percent: 70/, 'percent: 75'), 'fix')
})

test('dry-run prints the diff of the first commit and commits nothing', async () => {
  const head = git(repo.remote, 'rev-parse', 'main')
  const out = await gitRollout({
    image: 'docker.io/acme/shop:v7',
    'revision-name': 'shop-v7',
    'dry-run': 'true'
  })
  expect(out.result).toBe('unchanged')
  const printed = out.lines.join('\n')
  expect(printed).toContain('--- a/apps/shop.yaml')
  expect(printed).toMatch(/^\+ +- image: docker\.io\/acme\/shop:v7$/m)
  expect(git(repo.remote, 'rev-parse', 'main')).toBe(head)
})

test('a cancel mid-step commits the safe split (current 100, candidate 0)', async () => {
  const cancel = new AbortController()
  const out = await gitRollout(
    { image: 'docker.io/acme/shop:v8', 'revision-name': 'shop-v8', steps: '25,50,100' },
    { signal: cancel.signal, onStep: () => cancel.abort() }
  )
  expect(out.result).toBe('aborted')
  expect(subjects()[0]).toMatch(/^shop: aborted: cancelled/)
  const inGit = repo.show('main', PATH)
  expect(inGit).toMatch(/tag: candidate\n +revisionName: shop-v8\n +percent: 0/)
  expect(writesBy(emulator())).toBe(0)
})

test('a controller that is stopped: failed after sync-timeout, and no commit after the first', async () => {
  await flux.stop()
  const before = subjects().length
  const out = await gitRollout({
    image: 'docker.io/acme/shop:v6',
    'revision-name': 'shop-v6',
    'sync-timeout': '3s'
  })
  expect(out.result).toBe('failed')
  expect(out.message).toMatch(
    /was not applied to the cluster within sync-timeout \(3s\).*Nothing further was committed/
  )
  expect(subjects().length).toBe(before + 1)
  expect(writesBy(emulator())).toBe(0)
  flux = await startFlux()
})
