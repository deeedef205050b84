// A pipeline in traffic-owner git mode: each cluster's stage is a directory of one real git
// repository (`path`), applied to its emulator by its own stand-in for Flux's
// kustomize-controller; the action only commits and reads each cluster with a read-only
// token. The emulators' audit shows the action wrote nothing to either cluster, and git shows
// a release stopped in the first wave never touched the second wave's directory.

import type { FluxStandin } from '../../emulator/flux-standin/controller.js'
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
const MANIFEST = serviceYaml('shop', 'docker.io/acme/shop:v1', { EMULATOR_LATENCY_MS: '20' })
let repo: BareRepo
let checkout: string
const fluxes: FluxStandin[] = []

beforeAll(async () => {
  repo = bareRepo({ 'clusters/one/shop.yaml': MANIFEST, 'clusters/two/shop.yaml': MANIFEST })
  checkout = repo.clone('checkout')
  for (const [name, emulator] of Object.entries(clusters))
    fluxes.push(await startStandin(repo, emulator(), { branch: 'main', path: `clusters/${name}` }))
}, 60_000)
afterAll(async () => {
  for (const flux of fluxes) await flux.stop()
  repo.remove()
})

const subjects = (path: string) =>
  git(repo.remote, 'log', '--format=%s', 'main', '--', path).split('\n')
const WAVES = `
- name: first
  clusters:
    - {name: one, kubeconfig-env: KC_ONE, path: clusters/one, ingress-address: "INGRESS_ONE"}
- name: second
  clusters:
    - {name: two, kubeconfig-env: KC_TWO, path: clusters/two, ingress-address: "INGRESS_TWO"}
`

const gitPipeline = (flags: Record<string, string>) =>
  runGitPipeline(
    checkout,
    { one: clusters.one(), two: clusters.two() },
    {
      'git-branch': 'main',
      manifest: 'clusters/one/shop.yaml',
      waves: WAVES.replace('INGRESS_ONE', clusters.one().ingressUrl).replace(
        'INGRESS_TWO',
        clusters.two().ingressUrl
      ),
      ...flags
    }
  )

test('a healthy release goes through both waves as commits to each cluster’s directory; no write to either cluster', async () => {
  const out = await gitPipeline({ image: 'docker.io/acme/shop:v2', 'revision-name': 'shop-v2' })
  expect(out.results.map((r) => [r.wave, r.cluster, r.result, r.revision])).toEqual([
    ['first', 'one', 'promoted', 'shop-v2'],
    ['second', 'two', 'promoted', 'shop-v2']
  ])
  for (const name of ['one', 'two']) {
    expect(subjects(`clusters/${name}/shop.yaml`)[0]).toBe('shop: promoted shop-v2')
    const rig = await rolloutRig(clusters[name]())
    expect(split(await rig.service('shop'))[0]).toBe('current:shop-v2:100')
    await rig.cleanup()
    expect(writesBy(clusters[name]())).toBe(0)
  }
})

test('a bad release is rolled back by a commit in the first wave; the second wave’s directory gets no commit', async () => {
  // The usual GitOps merge, in the first wave's directory: a new template, traffic still
  // pinned to the current revision (as in test/e2e/gitops.test.ts).
  const path = 'clusters/one/shop.yaml'
  pushBadTemplate(repo, path)
  const rigOne = await rolloutRig(clusters.one())
  await eventually(
    async () => (await rigOne.service('shop')).status?.latestCreatedRevisionName === 'shop-v3',
    'the merged template applied',
    30_000
  )
  const head = git(repo.remote, 'rev-parse', 'main')
  const out = await gitPipeline({})
  expect(out.outcome.result).toBe('rolled-back')
  expect(out.results.map((r) => [r.wave, r.result, r.revision])).toEqual([
    ['first', 'rolled-back', 'shop-v3'],
    ['second', 'unchanged', '']
  ])
  expect(subjects(path)[0]).toMatch(/^shop: rolled-back: step 25%/)
  expect(git(repo.remote, 'log', '--format=%H', `${head}..main`, '--', 'clusters/two')).toBe('')
  expect(split(await rigOne.service('shop'))[0]).toBe('current:shop-v2:100')
  await rigOne.cleanup()
  for (const e of Object.values(clusters)) expect(writesBy(e())).toBe(0)
})
