// traffic-owner git with a v1alpha1 `release` manifest: the action's commits move the
// release block (revisions, rolloutPercent) and the stand-in for Flux's kustomize-controller
// applies them through the v1alpha1 API, which the emulator converts to v1 traffic.

import { join } from 'node:path'
import { start, type FluxStandin } from '../../emulator/flux-standin/controller.js'
import { bareRepo, git, type BareRepo } from '../helpers/bare-repo.js'
import { eventually, withEmulator } from '../helpers/emulator.js'
import { rolloutRig, type RolloutRig } from '../helpers/rollout-e2e.js'

const emulator = withEmulator({ serveV1alpha1: true })
const PATH = 'apps/shop.yaml'
const MANIFEST = `# shop, applied by Flux
apiVersion: serving.knative.dev/v1alpha1
kind: Service
metadata:
  name: shop
spec:
  release:
    revisions: [shop-v1]
    rolloutPercent: 0
    configuration:
      revisionTemplate:
        metadata:
          name: shop-v1
        spec:
          container:
            image: docker.io/acme/shop:v1
            env:
              - name: TARGET
                value: shop
              - name: EMULATOR_LATENCY_MS
                value: "20"
`
let repo: BareRepo
let checkout: string
let flux: FluxStandin
let rig: RolloutRig
const fluxLog: string[] = []

beforeAll(async () => {
  repo = bareRepo({ [PATH]: MANIFEST })
  checkout = repo.clone('checkout')
  flux = await start({
    repoUrl: repo.remote,
    branch: 'main',
    path: 'apps',
    apiUrl: emulator().apiUrl,
    intervalMs: 200,
    log: (line) => fluxLog.push(line)
  })
  rig = await rolloutRig(emulator())
  await synced(async () => {
    const live = await rig.service('shop').catch(() => undefined)
    return live?.status?.latestReadyRevisionName === 'shop-v1'
  }, 'shop-v1 to be ready')
}, 60_000)
afterAll(async () => {
  await flux.stop()
  await rig.cleanup()
  repo.remove()
})

/** Waits for what the stand-in applied; on a timeout, says what it logged. */
const synced = (ok: () => Promise<boolean>, what: string) =>
  eventually(ok, what, 30_000).catch((e: Error) => {
    throw new Error(`${e.message}; the stand-in logged:\n${fluxLog.join('\n')}`)
  })

/** A git-mode rollout of the checkout's manifest, pulled first. */
async function gitRollout(flags: Record<string, string> = {}) {
  git(checkout, 'pull', '--quiet', '--rebase', 'origin', 'main')
  return rig.rollout({
    manifest: join(checkout, PATH),
    'traffic-owner': 'git',
    'git-branch': 'main',
    steps: '25,100',
    'sync-timeout': '20s',
    ...flags
  })
}

const subjects = () => git(repo.remote, 'log', '--format=%s', 'main', '--', PATH).split('\n')

test('a v1alpha1 release manifest is rolled out by commits to its release block', async () => {
  const out = await gitRollout({ image: 'docker.io/acme/shop:v2', 'revision-name': 'shop-v2' })
  expect(`${out.result}: ${out.message} ${flux.status().lastError ?? ''}`).toMatch(/^promoted: /)
  expect(subjects().slice(0, 3)).toEqual([
    'shop: promoted shop-v2',
    'shop: step 25%',
    'shop: candidate shop-v2 created at 0%'
  ])
  const inGit = repo.show('main', PATH)
  expect(inGit).toContain('apiVersion: serving.knative.dev/v1alpha1')
  expect(inGit).toContain('image: docker.io/acme/shop:v2')
  expect(inGit).not.toContain('traffic:')
  const live = await rig.service('shop')
  expect((live.status?.traffic ?? []).filter((t) => (t.percent ?? 0) > 0)).toEqual([
    expect.objectContaining({ revisionName: 'shop-v2', percent: 100 })
  ])
}, 90_000)

test('a merged bad template is adopted as the candidate and rolled back by a commit to the release block', async () => {
  repo.pushFromElsewhere(
    PATH,
    repo
      .show('main', PATH)
      .replace('          name: shop-v2\n', '          name: shop-v3\n')
      .replace(
        '            image: docker.io/acme/shop:v2',
        '            image: docker.io/acme/shop:v3'
      )
      .replace(
        'value: "20"',
        'value: "20"\n              - name: EMULATOR_ERROR_RATE\n                value: "0.5"'
      ),
    'shop v3'
  )
  await synced(
    async () => (await rig.service('shop')).status?.latestCreatedRevisionName === 'shop-v3',
    'shop-v3 to be created'
  )
  const out = await gitRollout()
  expect(`${out.result}: ${out.message}`).toMatch(/^rolled-back: /)
  expect(out.candidateRevision).toBe('shop-v3')
  expect(subjects()[0]).toMatch(/^shop: rolled-back: step 25%/)
  expect(repo.show('main', PATH)).toMatch(
    /revisions: \[shop-v2, shop-v3\]\n {4}rolloutPercent: 0\n/
  )
  const live = await rig.service('shop')
  expect((live.status?.traffic ?? []).filter((t) => (t.percent ?? 0) > 0)).toEqual([
    expect.objectContaining({ revisionName: 'shop-v2', percent: 100 })
  ])
}, 90_000)
