// The Route's finalizer and placeholder Services, as clients see them on the full emulator.
// knative.dev's generated Route reconciler (pkg/client/injection/reconciler/serving/v1/
// route/controller.go, defaultFinalizerName) puts `routes.serving.knative.dev` on every Route
// for the labeler (pkg/reconciler/labeler/labeler.go FinalizeKind), so a deleted Route
// waits, with a deletionTimestamp, until its routing labels are off the Revisions, then
// goes; and the Route reconciler (pkg/reconciler/route/resources/service.go
// MakeK8sPlaceholderService) keeps one Kubernetes Service per host it serves.

import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node'
import { eventually, kubectl, withEmulator } from '../../../helpers/emulator.js'

const emulator = withEmulator({ statusDelayMs: 5 })
const FINALIZER = 'routes.serving.knative.dev'
const group = (plural: string) => ({
  group: 'serving.knative.dev',
  version: 'v1',
  namespace: 'default',
  plural
})

let api: CustomObjectsApi
let core: CoreV1Api
beforeAll(async () => {
  const kc = new KubeConfig()
  kc.loadFromFile(emulator().kubeconfigPath)
  api = kc.makeApiClient(CustomObjectsApi)
  core = kc.makeApiClient(CoreV1Api)
  await api.createNamespacedCustomObject({
    ...group('services'),
    body: {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'fin' },
      spec: { template: { spec: { containers: [{ image: 'docker.io/acme/fin:v1' }] } } }
    }
  })
  await eventually(
    () => emulator().store.get('routes.serving.knative.dev', 'default', 'fin')?.status?.traffic,
    'the Route to serve'
  )
})

const routingState = () =>
  emulator().store.get('revisions.serving.knative.dev', 'default', 'fin-00001')?.metadata.labels?.[
    'serving.knative.dev/routingState'
  ]

test("a Service's Route carries the finalizer (client-node and kubectl)", async () => {
  const route: any = await api.getNamespacedCustomObject({ ...group('routes'), name: 'fin' })
  expect(route.metadata.finalizers).toEqual([FINALIZER])
  const got = await kubectl(emulator(), [
    'get',
    'route',
    'fin',
    '-o',
    'jsonpath={.metadata.finalizers}'
  ])
  expect(got.stdout).toBe(`["${FINALIZER}"]`)
})

const placeholders = () =>
  emulator()
    .store.list('services', 'default')
    .map((s) => s.metadata.name)
    .sort()

test('a placeholder Service per host: the Route, then each tag (client-node and kubectl)', async () => {
  const svc: any = await core.readNamespacedService({ name: 'fin', namespace: 'default' })
  expect({
    type: svc.spec.type,
    externalName: svc.spec.externalName,
    ports: svc.spec.ports,
    route: svc.metadata.labels['serving.knative.dev/route'],
    owner: svc.metadata.ownerReferences.map((r: any) => `${r.kind}/${r.name}/${r.controller}`)
  }).toEqual({
    type: 'ExternalName',
    externalName: 'fin.default.example.com',
    ports: [{ name: 'http2', appProtocol: 'kubernetes.io/h2c', port: 80, targetPort: 80 }],
    route: 'fin',
    owner: ['Route/fin/true']
  })
  const patch = JSON.stringify({
    spec: {
      traffic: [
        { revisionName: 'fin-00001', percent: 100 },
        { revisionName: 'fin-00001', percent: 0, tag: 'blue' }
      ]
    }
  })
  expect(
    (await kubectl(emulator(), ['patch', 'ksvc', 'fin', '--type=merge', '-p', patch])).code
  ).toBe(0)
  await eventually(() => placeholders().join() === 'blue-fin,fin', 'the tag placeholder')
  const listed = await kubectl(emulator(), [
    'get',
    'svc',
    'blue-fin',
    '-o',
    'jsonpath={.spec.externalName}'
  ])
  expect(listed.stdout).toBe('blue-fin.default.example.com')
  const untag = JSON.stringify({ spec: { traffic: [{ revisionName: 'fin-00001', percent: 100 }] } })
  expect(
    (await kubectl(emulator(), ['patch', 'ksvc', 'fin', '--type=merge', '-p', untag])).code
  ).toBe(0)
  await eventually(() => placeholders().join() === 'fin', 'the tag placeholder to go')
})

test('a standalone Route deleted through client-node answers with itself, marked, then goes', async () => {
  await api.createNamespacedCustomObject({
    ...group('routes'),
    body: {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Route',
      metadata: { name: 'side' },
      spec: { traffic: [{ revisionName: 'fin-00001', percent: 100 }] }
    }
  })
  await eventually(
    () =>
      emulator().store.get('routes.serving.knative.dev', 'default', 'side')?.metadata.finalizers
        ?.length,
    'the finalizer on the Route'
  )
  // The controller writes the Route's status meanwhile: no precondition on the delete.
  const answer: any = await api.deleteNamespacedCustomObject({ ...group('routes'), name: 'side' })
  expect(answer.kind).toBe('Route')
  expect(answer.metadata.deletionTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  expect(answer.metadata.finalizers).toEqual([FINALIZER])
  await eventually(async () => {
    try {
      await api.getNamespacedCustomObject({ ...group('routes'), name: 'side' })
      return false
    } catch (err) {
      return err instanceof ApiException && err.code === 404
    }
  }, 'the Route to go')
  // fin-00001 is still routed by the Service's own Route.
  expect(routingState()).toBe('active')
})

test('kubectl delete ksvc: the Route waits for its finalizer, then goes, and nothing is left', async () => {
  const res = await kubectl(emulator(), ['delete', 'ksvc', 'fin'])
  expect(res.stdout).toBe('service.serving.knative.dev "fin" deleted\n')
  await eventually(async () => {
    const left = await kubectl(emulator(), [
      'get',
      'ksvc,configuration,revision,route',
      '-o',
      'name'
    ])
    return left.code === 0 && left.stdout === ''
  }, 'everything of fin to go')
  // The garbage collector took the placeholder with the Route.
  await eventually(() => placeholders().length === 0, 'the placeholder Services to go')
  const routeEvents = emulator()
    .store.history.filter(
      (e) => e.resource === 'routes.serving.knative.dev' && e.object.metadata.name === 'fin'
    )
    .slice(-2)
  expect(routeEvents.map((e) => [e.type, !!e.object.metadata.deletionTimestamp])).toEqual([
    ['MODIFIED', true],
    ['DELETED', true]
  ])
})
