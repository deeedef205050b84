// traffic-owner action on a Service Flux manages (the stand-in, re-applying git every second
// with server-side apply and force): when git declares only the template, the action owns the
// split and keeps it through every sync; when git declares spec.traffic, the rollout is refused
// before any write, with the fix.

import { join } from 'node:path'
import type { FluxStandin } from '../../emulator/flux-standin/controller.js'
import { CONTROLLER } from '../../emulator/flux-standin/policy.js'
import { eventually, kubectl, withoutWarnings, withEmulator } from '../helpers/emulator.js'
import { fleetRepo, standinFor, type FleetRepo } from '../helpers/fleet-repo.js'
import { rolloutRig, type RolloutRig } from '../helpers/rollout-e2e.js'

const emulator = withEmulator()
const PATH = 'apps/shop.yaml'
let repo: FleetRepo
let flux: FluxStandin
let rig: RolloutRig

/**
 * The manifest as a team keeps it for Flux: a bring-your-own revision name, and the
 * container's Knative defaults spelled out, so that every sync is a no-op.
 */
const manifest = (version: string, traffic = '') =>
  [
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    '  name: shop',
    'spec:',
    '  template:',
    '    metadata:',
    `      name: shop-${version}`,
    '    spec:',
    '      containers:',
    `        - image: docker.io/acme/shop:${version}`,
    '          name: user-container',
    '          readinessProbe: { tcpSocket: { port: 0 }, successThreshold: 1 }',
    '          resources: {}',
    '          env:',
    '            - name: EMULATOR_LATENCY_MS',
    '              value: "20"',
    traffic,
    ''
  ].join('\n')

const service = async () => (await rig.service('shop')) ?? { spec: {}, status: undefined }
// A dry run (the stored form of the template, asked before anything is decided) stores nothing;
// the stand-in's own re-applies (every second, on its timer) are not the rollout's writes.
const writes = () =>
  emulator()
    .api.audit.list()
    .filter((e) => e.method !== 'GET' && !e.query.dryRun && e.query.fieldManager !== CONTROLLER)
    .length

beforeAll(async () => {
  repo = fleetRepo()
  repo.commit({ [PATH]: manifest('v1') }, 'shop v1')
  flux = await standinFor(repo, emulator().kubeconfigPath, 1_000)
  rig = await rolloutRig(emulator())
  await eventually(
    async () => (await service()).status?.latestReadyRevisionName === 'shop-v1',
    'v1 ready'
  )
  // Where an earlier rollout left it: the split pinned by knative-rollout.
  const pin = [
    { tag: 'current', revisionName: 'shop-v1', percent: 100 },
    { tag: 'latest', latestRevision: true, percent: 0 }
  ]
  const patched = await kubectl(emulator(), [
    'patch',
    'ksvc',
    'shop',
    '--type',
    'merge',
    '--field-manager',
    'knative-rollout',
    '-p',
    JSON.stringify({ spec: { traffic: pin } })
  ])
  expect(withoutWarnings(patched.stderr)).toBe('')
}, 60_000)
afterAll(async () => {
  await flux.stop()
  await rig.cleanup()
  repo.cleanup()
})

test('git declares the template only: the rollout keeps its split while Flux re-applies every second', async () => {
  repo.commit({ [PATH]: manifest('v2') }, 'shop v2')
  await eventually(
    async () => (await service()).status?.latestReadyRevisionName === 'shop-v2',
    'v2 made'
  )
  const before = flux.status().reconciles
  const out = await rig.rollout({
    manifest: join(repo.work, PATH),
    'revision-name': 'shop-v2',
    steps: '25,50,100'
  })
  expect(out.result).toBe('promoted')
  expect(out.lines.join('\n')).toMatch(
    /gitops-check: Flux .* manages this Service but not its spec\.traffic/
  )
  // The syncs ran during the steps (and changed nothing the rollout wrote: no drift, no pause).
  expect(flux.status().reconciles - before).toBeGreaterThanOrEqual(3)
  expect(flux.status().lastError).toBeUndefined()
  const traffic = (await service()).spec.traffic
  expect(traffic?.find((t) => t.tag === 'current')).toMatchObject({
    revisionName: 'shop-v2',
    percent: 100
  })
})

test('git declares spec.traffic: refused before any write, naming the fix', async () => {
  const declared = ['  traffic:', '    - latestRevision: true', '      percent: 100'].join('\n')
  repo.commit({ [PATH]: manifest('v3', declared) }, 'shop v3 with traffic in git')
  await flux.reconcileNow()
  const at = writes()
  const out = await rig.rollout({
    manifest: join(repo.work, PATH),
    image: 'docker.io/acme/shop:v4',
    'revision-name': 'shop-v4',
    steps: '25,100'
  })
  expect(out.result).toBe('failed')
  expect(out.message).toMatch(
    /^gitops-check: Flux .* owns spec\.traffic .*to fix: .*kustomize\.toolkit\.fluxcd\.io/
  )
  expect(writes()).toBe(at)
})
