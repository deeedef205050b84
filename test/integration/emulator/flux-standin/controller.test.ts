// The Flux stand-in against a real bare git repository (git CLI) and the full emulator:
// commits show on the cluster, the ssa / reconcile annotations are honoured, and a rollout's
// spec.traffic is put back by the next sync exactly when git declares spec.traffic.

import { start, type FluxStandin } from '../../../../emulator/flux-standin/controller.js'
import { withEmulator } from '../../../helpers/emulator.js'
import {
  fleetRepo,
  serviceManifest,
  standinFor,
  type FleetRepo
} from '../../../helpers/fleet-repo.js'

const emulator = withEmulator({ statusDelayMs: 5 })
const SVC = '/apis/serving.knative.dev/v1/namespaces/default/services'

let repo: FleetRepo
let flux: FluxStandin
const commit = (files: Record<string, string>, message?: string) => repo.commit(files, message)
const manifest = serviceManifest

async function call(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json'
) {
  const res = await fetch(emulator().apiUrl + path, {
    method,
    headers: { 'Content-Type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { status: res.status, json: (await res.json()) as any }
}
const live = async (name: string) => (await call('GET', `${SVC}/${name}`)).json

/** What knative-rollout does for a step: read, change spec.traffic, PUT (again on 409). */
async function rolloutWrites(name: string, traffic: unknown[]): Promise<void> {
  for (;;) {
    const svc = await live(name)
    svc.spec.traffic = traffic
    const res = await call('PUT', `${SVC}/${name}?fieldManager=knative-rollout`, svc)
    if (res.status === 200) return
    if (res.status !== 409) throw new Error(`PUT ${res.status}: ${res.json.message}`)
  }
}

beforeEach(() => {
  repo = fleetRepo()
})

afterEach(async () => {
  await flux?.stop()
  repo.cleanup()
})

/** A stand-in that only reconciles when told (the interval is an hour). */
const startFlux = () => standinFor(repo, emulator().kubeconfigPath)

test('a commit to the repository shows on the cluster after a reconcile, with the Flux labels', async () => {
  const first = commit({ 'apps/web.yaml': manifest('fx-web', 'img/web:v1') })
  flux = await startFlux()
  expect((await flux.reconcileNow()).applied).toEqual(['default/Service/fx-web'])
  expect(flux.lastAppliedCommit()).toBe(first)

  const second = commit({ 'apps/web.yaml': manifest('fx-web', 'img/web:v2') })
  expect(flux.lastAppliedCommit()).toBe(first) // nothing happens before the reconcile
  await flux.reconcileNow()
  expect(flux.lastAppliedCommit()).toBe(second)
  const svc = await live('fx-web')
  expect(svc.spec.template.spec.containers[0].image).toBe('img/web:v2')
  expect(svc.metadata.labels).toEqual({
    'kustomize.toolkit.fluxcd.io/name': 'apps',
    'kustomize.toolkit.fluxcd.io/namespace': 'flux-system'
  })
  expect(svc.metadata.managedFields.map((e: any) => `${e.manager}/${e.operation}`)).toEqual([
    'kustomize-controller/Apply'
  ])
})

test('a manifest the API server refuses is an error, and the commit is not recorded as applied', async () => {
  const good = commit({ 'apps/web.yaml': manifest('fx-bad', 'img/web:v1') })
  flux = await startFlux()
  await flux.reconcileNow()
  commit({
    'apps/web.yaml': manifest('fx-bad', 'img/web:v2', {
      traffic: '    - latestRevision: true\n      percent: 90'
    })
  })
  const result = await flux.reconcileNow()
  expect(result.error).toContain('Traffic targets sum to 90, want 100')
  expect(flux.lastAppliedCommit()).toBe(good)
  expect(flux.status().lastError).toBe(result.error)
})

describe('the ssa and reconcile annotations', () => {
  test('IfNotPresent: created, then never updated', async () => {
    const ann = { 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' }
    commit({ 'apps/once.yaml': manifest('fx-once', 'img/once:v1', { annotations: ann }) })
    flux = await startFlux()
    await flux.reconcileNow()
    commit({ 'apps/once.yaml': manifest('fx-once', 'img/once:v2', { annotations: ann }) })
    const result = await flux.reconcileNow()
    expect(result.skipped).toEqual([
      {
        object: 'default/Service/fx-once',
        reason: 'kustomize.toolkit.fluxcd.io/ssa: IfNotPresent, and it exists'
      }
    ])
    expect((await live('fx-once')).spec.template.spec.containers[0].image).toBe('img/once:v1')
  })

  test('Ignore: never applied', async () => {
    commit({
      'apps/ignored.yaml': manifest('fx-ignored', 'img/x:v1', {
        annotations: { 'kustomize.toolkit.fluxcd.io/ssa': 'Ignore' }
      })
    })
    flux = await startFlux()
    const result = await flux.reconcileNow()
    expect(result.skipped.map((s) => s.object)).toEqual(['default/Service/fx-ignored'])
    expect((await call('GET', `${SVC}/fx-ignored`)).status).toBe(404)
  })

  test('reconcile: disabled set on the cluster stops applying git’s changes', async () => {
    commit({ 'apps/paused.yaml': manifest('fx-paused', 'img/p:v1') })
    flux = await startFlux()
    await flux.reconcileNow()
    await call(
      'PATCH',
      `${SVC}/fx-paused?fieldManager=someone`,
      { metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/reconcile': 'disabled' } } },
      'application/merge-patch+json'
    )
    commit({ 'apps/paused.yaml': manifest('fx-paused', 'img/p:v2') })
    await flux.reconcileNow()
    expect((await live('fx-paused')).spec.template.spec.containers[0].image).toBe('img/p:v1')
  })

  test.each([
    ['Override (the default): a kubectl edit is taken over and undone', undefined, undefined],
    ['Merge: the kubectl edit stays', 'Merge', 'by-hand']
  ])('%s', async (_name, ssa, expected) => {
    const name = `fx-edit-${ssa ?? 'override'}`.toLowerCase()
    const annotations = ssa ? { 'kustomize.toolkit.fluxcd.io/ssa': ssa } : undefined
    commit({ 'apps/edit.yaml': manifest(name, 'img/e:v1', { annotations }) })
    flux = await startFlux()
    await flux.reconcileNow()
    // `kubectl label` / `kubectl edit`: an Update by a kubectl* manager
    await call(
      'PATCH',
      `${SVC}/${name}?fieldManager=kubectl-edit`,
      { metadata: { labels: { edited: 'by-hand' } } },
      'application/merge-patch+json'
    )
    await flux.reconcileNow()
    const svc = await live(name)
    expect(svc.metadata.labels.edited).toBe(expected)
    expect(svc.metadata.labels['kustomize.toolkit.fluxcd.io/name']).toBe('apps')
  })
})

describe('a rollout’s traffic and the next sync', () => {
  const gitTraffic = '    - revisionName: fx-traffic-00001\n      percent: 100'
  const canary = (name: string) => [
    { revisionName: `${name}-00001`, latestRevision: false, percent: 90, tag: 'current' },
    { latestRevision: true, percent: 10, tag: 'candidate' }
  ]

  test('reverted when git declares spec.traffic (kustomize-controller owns it)', async () => {
    commit({ 'apps/t.yaml': manifest('fx-traffic', 'img/t:v1', { traffic: gitTraffic }) })
    flux = await startFlux()
    await flux.reconcileNow()
    await rolloutWrites('fx-traffic', canary('fx-traffic'))
    expect((await live('fx-traffic')).spec.traffic).toEqual(canary('fx-traffic'))
    await flux.reconcileNow()
    const svc = await live('fx-traffic')
    expect(svc.spec.traffic).toEqual([
      { revisionName: 'fx-traffic-00001', percent: 100, latestRevision: false }
    ])
    expect(
      svc.metadata.managedFields.find((e: any) => e.manager === 'kustomize-controller').fieldsV1[
        'f:spec'
      ]
    ).toHaveProperty(['f:traffic'])
  })

  test('kept when git does not declare spec.traffic', async () => {
    commit({ 'apps/t.yaml': manifest('fx-free', 'img/t:v1') })
    flux = await startFlux()
    await flux.reconcileNow()
    await rolloutWrites('fx-free', canary('fx-free'))
    commit({ 'apps/t.yaml': manifest('fx-free', 'img/t:v1') + '# a comment\n' })
    const result = await flux.reconcileNow()
    expect(result.applied).toEqual(['default/Service/fx-free'])
    const svc = await live('fx-free')
    expect(svc.spec.traffic).toEqual(canary('fx-free'))
    const owners = svc.metadata.managedFields.map((e: any) => [
      e.manager,
      Object.keys(e.fieldsV1['f:spec'] ?? {})
    ])
    expect(owners).toEqual([
      ['kustomize-controller', ['f:template']],
      ['knative-rollout', ['f:traffic']]
    ])
  })
})

test('it polls on its own every interval', async () => {
  commit({ 'apps/poll.yaml': manifest('fx-poll', 'img/p:v1') })
  flux = await standinFor(repo, emulator().kubeconfigPath, 50)
  const second = commit({ 'apps/poll.yaml': manifest('fx-poll', 'img/p:v2') })
  for (let i = 0; i < 200 && flux.lastAppliedCommit() !== second; i++) {
    await new Promise((r) => setTimeout(r, 25))
  }
  expect(flux.lastAppliedCommit()).toBe(second)
  expect(flux.status().reconciles).toBeGreaterThan(1)
})

test('a branch that does not exist is a reconcile error, nothing applied', async () => {
  flux = await start({
    repoUrl: repo.remote,
    branch: 'nope',
    path: 'apps',
    apiUrl: emulator().apiUrl,
    intervalMs: 3_600_000
  })
  const result = await flux.reconcileNow()
  expect(result).toEqual({ applied: [], skipped: [], error: 'branch nope not found' })
  expect(flux.lastAppliedCommit()).toBeUndefined()
})
