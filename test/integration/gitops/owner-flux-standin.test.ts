// The owner check on what a (stand-in) Flux sync really leaves on the cluster: the verdict
// follows whether git declares spec.traffic, read from the emulator's managedFields.

import type { FluxStandin } from '../../../emulator/flux-standin/controller.js'
import { checkGitopsOwner } from '../../../src/gitops/owner.js'
import { withEmulator } from '../../helpers/emulator.js'
import { fleetRepo, serviceManifest, standinFor, type FleetRepo } from '../../helpers/fleet-repo.js'

const emulator = withEmulator({ statusDelayMs: 5 })
let repo: FleetRepo
let flux: FluxStandin

beforeAll(async () => {
  repo = fleetRepo()
  const traffic = (name: string) => `    - revisionName: ${name}-00001\n      percent: 100`
  repo.commit({
    'apps/declared.yaml': serviceManifest('own-declared', 'img/a:v1', {
      traffic: traffic('own-declared')
    }),
    'apps/free.yaml': serviceManifest('own-free', 'img/a:v1'),
    'apps/merge.yaml': serviceManifest('own-merge', 'img/a:v1', {
      traffic: traffic('own-merge'),
      annotations: { 'kustomize.toolkit.fluxcd.io/ssa': 'Merge' }
    }),
    'apps/disabled.yaml': serviceManifest('own-disabled', 'img/a:v1', {
      traffic: traffic('own-disabled'),
      annotations: { 'kustomize.toolkit.fluxcd.io/reconcile': 'disabled' }
    })
  })
  flux = await standinFor(repo, emulator().kubeconfigPath)
  await flux.reconcileNow()
})
afterAll(async () => {
  await flux.stop()
  repo.cleanup()
})

test.each([
  ['git declares spec.traffic', 'own-declared', 'refuse'],
  ['git does not (Knative defaulted it, and that is nobody’s)', 'own-free', 'ok'],
  ['ssa: Merge does not protect a declared field', 'own-merge', 'refuse']
])('%s: %s', async (_name, service, verdict) => {
  const res = await fetch(
    `${emulator().apiUrl}/apis/serving.knative.dev/v1/namespaces/default/services/${service}`
  )
  const svc = (await res.json()) as { metadata: Parameters<typeof checkGitopsOwner>[0] }
  const check = checkGitopsOwner(svc.metadata)
  expect(check.owner).toEqual({ kind: 'flux', kustomization: 'apps', namespace: 'flux-system' })
  expect(check.verdict).toBe(verdict)
})

test('reconcile: disabled in git: the stand-in never applied it', async () => {
  const res = await fetch(
    `${emulator().apiUrl}/apis/serving.knative.dev/v1/namespaces/default/services/own-disabled`
  )
  expect(res.status).toBe(404)
})
