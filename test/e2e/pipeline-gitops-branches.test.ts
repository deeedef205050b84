// A pipeline in traffic-owner git mode where each cluster follows its own branch of one real
// git repository (`branch` in waves), as Flux's per-cluster branches or Kargo's per-stage
// ones do: each emulator has its own stand-in for Flux's kustomize-controller applying its
// branch. The action commits each cluster's rollout to that cluster's branch only (never to
// the checkout's main), reads each cluster with a read-only token, and a release stopped in
// the first wave makes no commit on the second wave's branch.

import type { FluxStandin } from '../../emulator/flux-standin/controller.js'
import { InputError, parseInputs } from '../../src/inputs.js'
import { bareRepo, git, type BareRepo } from '../helpers/bare-repo.js'
import { eventually, withEmulator, type TestEmulator } from '../helpers/emulator.js'
import {
  GITOPS_RBAC as rbac,
  gitPipeline as runGitPipeline,
  pushBadTemplate,
  startStandin,
  writesBy
} from '../helpers/gitops-e2e.js'
import { rolloutRig, split } from '../helpers/rollout-e2e.js'
import { serviceYaml } from '../helpers/service-yaml.js'

const clusters: Record<string, () => TestEmulator> = {
  one: withEmulator({ rbac }),
  two: withEmulator({ rbac })
}
const BRANCH = { one: 'clusters/one', two: 'clusters/two' } as const
const PATH = 'apps/shop.yaml'
const MANIFEST = serviceYaml('shop', 'docker.io/acme/shop:v1', { EMULATOR_LATENCY_MS: '20' })
let repo: BareRepo
let checkout: string
const fluxes: FluxStandin[] = []

beforeAll(async () => {
  repo = bareRepo({ [PATH]: MANIFEST })
  for (const branch of Object.values(BRANCH)) repo.branch(branch)
  checkout = repo.clone('checkout')
  for (const [name, emulator] of Object.entries(clusters))
    fluxes.push(
      await startStandin(repo, emulator(), {
        branch: BRANCH[name as keyof typeof BRANCH],
        path: 'apps'
      })
    )
}, 60_000)
afterAll(async () => {
  for (const flux of fluxes) await flux.stop()
  repo.remove()
})

const head = (branch: string) => git(repo.remote, 'rev-parse', branch)
/** The commits on `branch` after `since`, newest first. */
const commitsOn = (branch: string, since: string) =>
  git(repo.remote, 'log', '--format=%H', `${since}..${branch}`).split('\n').filter(Boolean)
const subjectOf = (commit: string) => git(repo.remote, 'log', '-1', '--format=%s', commit)
const heads = () => ({ main: head('main'), one: head(BRANCH.one), two: head(BRANCH.two) })

const WAVES = `
- name: first
  clusters:
    - {name: one, kubeconfig-env: KC_ONE, branch: ${BRANCH.one}, ingress-address: "INGRESS_ONE"}
- name: second
  clusters:
    - {name: two, kubeconfig-env: KC_TWO, branch: ${BRANCH.two}, ingress-address: "INGRESS_TWO"}
`
const given = (flags: Record<string, string>): Record<string, string> => ({
  manifest: PATH,
  waves: WAVES.replace('INGRESS_ONE', clusters.one().ingressUrl).replace(
    'INGRESS_TWO',
    clusters.two().ingressUrl
  ),
  ...flags
})
const gitPipeline = (flags: Record<string, string>) =>
  runGitPipeline(checkout, { one: clusters.one(), two: clusters.two() }, given(flags))

test('a healthy release: wave one commits only to its branch, wave two only to its own; main and both clusters untouched by the action', async () => {
  const before = heads()
  const out = await gitPipeline({ image: 'docker.io/acme/shop:v2', 'revision-name': 'shop-v2' })
  expect(out.results.map((r) => [r.wave, r.cluster, r.result, r.revision])).toEqual([
    ['first', 'one', 'promoted', 'shop-v2'],
    ['second', 'two', 'promoted', 'shop-v2']
  ])
  expect(head('main')).toBe(before.main)
  const one = commitsOn(BRANCH.one, before.one)
  const two = commitsOn(BRANCH.two, before.two)
  expect(subjectOf(one[0])).toBe('shop: promoted shop-v2')
  expect(subjectOf(two[0])).toBe('shop: promoted shop-v2')
  // Each branch got its own commits: none of one's is on two, and none of two's on one.
  expect(one.length).toBeGreaterThanOrEqual(3)
  expect(two.length).toBeGreaterThanOrEqual(3)
  expect(one.filter((c) => two.includes(c))).toEqual([])
  expect(git(repo.remote, 'branch', '--contains', two[two.length - 1])).not.toContain(BRANCH.one)
  for (const name of ['one', 'two']) {
    const rig = await rolloutRig(clusters[name]())
    expect(split(await rig.service('shop'))[0]).toBe('current:shop-v2:100')
    await rig.cleanup()
    expect(writesBy(clusters[name]())).toBe(0)
  }
  // The branches' checkouts were made for the run and are gone after it.
  expect(git(checkout, 'worktree', 'list').split('\n')).toHaveLength(1)
})

test('a bad release merged into the first wave’s branch is rolled back there; the second wave’s branch gets zero commits', async () => {
  pushBadTemplate(repo, PATH, BRANCH.one)
  const rigOne = await rolloutRig(clusters.one())
  await eventually(
    async () => (await rigOne.service('shop')).status?.latestCreatedRevisionName === 'shop-v3',
    'the merged template applied',
    30_000
  )
  const before = heads()
  const out = await gitPipeline({})
  expect(out.outcome.result).toBe('rolled-back')
  expect(out.results.map((r) => [r.wave, r.result, r.revision])).toEqual([
    ['first', 'rolled-back', 'shop-v3'],
    ['second', 'unchanged', '']
  ])
  expect(subjectOf(head(BRANCH.one))).toMatch(/^shop: rolled-back: step 25%/)
  expect(commitsOn(BRANCH.two, before.two)).toEqual([])
  expect(head(BRANCH.two)).toBe(before.two)
  expect(head('main')).toBe(before.main)
  expect(split(await rigOne.service('shop'))[0]).toBe('current:shop-v2:100')
  await rigOne.cleanup()
  for (const e of Object.values(clusters)) expect(writesBy(e())).toBe(0)
})

test('a branch origin does not have, or a name git refuses: the run stops before any commit or write', async () => {
  const before = heads()
  const missing = await gitPipeline({
    image: 'docker.io/acme/shop:v4',
    waves: `
- name: first
  clusters: [{name: one, kubeconfig-env: KC_ONE, branch: ${BRANCH.one}}]
- name: second
  clusters: [{name: two, kubeconfig-env: KC_TWO, branch: clusters/three}]
`
  })
  expect(missing.outcome.result).toBe('failed')
  expect(missing.outcome.reason).toBe(
    'waves[1].clusters[0].branch: origin has no branch "clusters/three"; create it where its GitOps controller should start (e.g. git push origin main:refs/heads/clusters/three)'
  )
  expect(missing.results).toEqual([])
  const refused = given({
    'traffic-owner': 'git',
    waves: `- {name: first, clusters: [{name: one, kubeconfig-env: KC_ONE, branch: "one..two"}]}`
  })
  expect(() => parseInputs((n) => refused[n])).toThrow(InputError)
  expect(heads()).toEqual(before)
  for (const e of Object.values(clusters)) expect(writesBy(e())).toBe(0)
  expect(git(checkout, 'worktree', 'list').split('\n')).toHaveLength(1)
})
