// The real kubectl's server-side apply against a field another manager owns: the conflict
// reaches the user as the API server words it, and --force-conflicts takes the field.

import { kubectl, withEmulator } from '../../../helpers/emulator.js'

const emulator = withEmulator({ statusDelayMs: 5 })
const SVC = '/apis/serving.knative.dev/v1/namespaces/default/services'

const manifest = (percents: [number, number]) => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: kc-owned
  namespace: default
spec:
  template:
    spec:
      containers:
        - image: docker.io/acme/helloworld-go:v1
  traffic:
    - latestRevision: true
      percent: ${percents[0]}
    - revisionName: kc-owned-00001
      percent: ${percents[1]}
`

beforeAll(async () => {
  const flux = await fetch(
    `${emulator().apiUrl}${SVC}/kc-owned?fieldManager=kustomize-controller&force=true`,
    {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
      body: manifest([100, 0])
    }
  )
  expect(flux.status).toBe(201)
})

test('apply --server-side of a field kustomize-controller owns fails with the conflict', async () => {
  const res = await kubectl(emulator(), ['apply', '--server-side', '-f', '-'], manifest([90, 10]))
  expect(res.code).toBe(1)
  // containers too: the atomic list kubectl sends lacks what Knative's webhook defaulted
  // (the container name and probes), so applying it is a change, as on a real cluster
  expect(res.stderr).toContain(
    'Apply failed with 2 conflicts: conflicts with "kustomize-controller":\n- .spec.template.spec.containers\n- .spec.traffic\n'
  )
  const svc = emulator().store.get('services.serving.knative.dev', 'default', 'kc-owned')!
  expect(svc.spec.traffic.map((t: { percent: number }) => t.percent)).toEqual([100, 0])
})

test('--force-conflicts takes spec.traffic from it', async () => {
  const res = await kubectl(
    emulator(),
    ['apply', '--server-side', '--force-conflicts', '-f', '-'],
    manifest([90, 10])
  )
  expect(res.code).toBe(0)
  const svc = emulator().store.get('services.serving.knative.dev', 'default', 'kc-owned')!
  expect(svc.spec.traffic.map((t: { percent: number }) => t.percent)).toEqual([90, 10])
  const owners = (svc.metadata.managedFields as { manager: string; fieldsV1: any }[])
    .filter((e) => 'f:traffic' in (e.fieldsV1['f:spec'] ?? {}))
    .map((e) => e.manager)
  expect(owners).toEqual(['kubectl'])
})
