// @kubernetes/client-node 2.x, unchanged, against the full emulator (real Knative
// admission and controller): the calls the rollout client makes.

import {
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch
} from '@kubernetes/client-node'
import { eventually, withEmulator } from '../../../helpers/emulator.js'
import { failedCall } from '../../../helpers/serving-clients.js'

const emulator = withEmulator({ statusDelayMs: 5 })
const G = { group: 'serving.knative.dev', version: 'v1', namespace: 'default', plural: 'services' }

let api: CustomObjectsApi
let kc: KubeConfig
beforeAll(() => {
  kc = new KubeConfig()
  kc.loadFromFile(emulator().kubeconfigPath)
  api = kc.makeApiClient(CustomObjectsApi)
})

const service = (
  name: string,
  image = 'docker.io/acme/hello:v1',
  labels: Record<string, string> = {}
) => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name, labels },
  spec: { template: { spec: { containers: [{ image, env: [{ name: 'TARGET', value: name }] }] } } }
})

const get = async (name: string): Promise<any> => api.getNamespacedCustomObject({ ...G, name })
const failure = failedCall

test('create, get and list with a label selector', async () => {
  const created: any = await api.createNamespacedCustomObject({
    ...G,
    body: service('cn-a', undefined, { team: 'a' })
  })
  expect(created.metadata.generation).toBe(1)
  await api.createNamespacedCustomObject({ ...G, body: service('cn-b', undefined, { team: 'b' }) })
  expect((await get('cn-a')).spec.template.spec.containers[0].name).toBe('user-container') // Knative defaulting ran
  const list: any = await api.listNamespacedCustomObject({ ...G, labelSelector: 'team=b' })
  expect(list.items.map((i: any) => i.metadata.name)).toEqual(['cn-b'])
})

test('replace with a stale resourceVersion is a 409 Conflict', async () => {
  await api.createNamespacedCustomObject({ ...G, body: service('cn-stale') })
  // Once Ready the controller is quiet, so only our own writes move the resourceVersion.
  const first = await eventually(async () => {
    const obj = await get('cn-stale')
    return (
      obj.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') && obj
    )
  }, 'cn-stale to be Ready')
  const fresh = {
    ...first,
    spec: {
      ...first.spec,
      template: { spec: { containers: [{ image: 'docker.io/acme/hello:v2' }] } }
    }
  }
  const replaced: any = await api.replaceNamespacedCustomObject({
    ...G,
    name: 'cn-stale',
    body: fresh
  })
  expect(replaced.metadata.generation).toBe(2)
  const res = await failure(
    api.replaceNamespacedCustomObject({ ...G, name: 'cn-stale', body: first })
  )
  expect(res).toMatchObject({ code: 409, body: { reason: 'Conflict' } })
})

test.each([
  ['merge patch', PatchStrategy.MergePatch, { metadata: { labels: { patched: 'merge' } } }, {}],
  [
    'JSON patch',
    PatchStrategy.JsonPatch,
    [{ op: 'add', path: '/metadata/labels', value: { patched: 'json' } }],
    {}
  ],
  [
    'server-side apply',
    PatchStrategy.ServerSideApply,
    { ...service('cn-patch'), metadata: { name: 'cn-patch', labels: { patched: 'apply' } } },
    { fieldManager: 'knative-rollout', force: true }
  ]
])('%s through setHeaderOptions', async (_name, strategy, body, extra) => {
  await api.createNamespacedCustomObject({ ...G, body: service('cn-patch') }).catch(() => undefined)
  const out: any = await api.patchNamespacedCustomObject(
    { ...G, name: 'cn-patch', body, ...extra },
    setHeaderOptions('Content-Type', strategy)
  )
  expect(out.metadata.labels.patched).toBe(
    {
      [PatchStrategy.MergePatch]: 'merge',
      [PatchStrategy.JsonPatch]: 'json',
      [PatchStrategy.ServerSideApply]: 'apply'
    }[strategy as string]
  )
  const requests: any[] = (await (
    await fetch(`${emulator().apiUrl}/emulator/requests`)
  ).json()) as any[]
  expect(requests.at(-1)).toMatchObject({ method: 'PATCH', contentType: strategy, status: 200 })
})

test('server-side apply creates a missing object', async () => {
  const out: any = await api.patchNamespacedCustomObject(
    { ...G, name: 'cn-ssa-new', body: service('cn-ssa-new'), fieldManager: 'knative-rollout' },
    setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply)
  )
  expect(out.metadata.uid).toEqual(expect.any(String))
})

test('a Knative validation error comes back as the webhook denial', async () => {
  const bad = {
    ...service('cn-bad'),
    spec: { ...service('cn-bad').spec, traffic: [{ latestRevision: true, percent: 90 }] }
  }
  const res = await failure(api.createNamespacedCustomObject({ ...G, body: bad }))
  expect(res.code).toBe(400)
  expect(res.body.message).toBe(
    'admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: Traffic targets sum to 90, want 100: spec.traffic'
  )
})

test('a missing object is an ApiException 404 with a Status body', async () => {
  expect(await failure(get('cn-missing'))).toMatchObject({
    code: 404,
    body: {
      kind: 'Status',
      reason: 'NotFound',
      message: 'services.serving.knative.dev "cn-missing" not found'
    }
  })
})

test('Watch sees the service become Ready, filtered by name', async () => {
  const seen: string[] = []
  const ready = new Promise<any>((resolve, reject) => {
    new Watch(kc)
      .watch(
        '/apis/serving.knative.dev/v1/namespaces/default/services',
        { fieldSelector: 'metadata.name=cn-watch' },
        (type, obj: any) => {
          seen.push(`${type} ${obj.metadata.name}`)
          const cond = obj.status?.conditions?.find((c: any) => c.type === 'Ready')
          if (cond?.status === 'True' && obj.status.observedGeneration === obj.metadata.generation)
            resolve(obj)
        },
        (err) => err && reject(err)
      )
      .then((req) => ready.finally(() => req.abort()))
  })
  await api.createNamespacedCustomObject({ ...G, body: service('cn-watch') })
  const obj = await ready
  expect(obj.status.latestReadyRevisionName).toBe('cn-watch-00001')
  expect(new Set(seen)).toEqual(new Set(['ADDED cn-watch', 'MODIFIED cn-watch']))
})

test('delete removes the service and what it owns', async () => {
  await api.createNamespacedCustomObject({ ...G, body: service('cn-del') })
  await eventually(
    async () => ((await get('cn-del')).status?.latestCreatedRevisionName ? true : undefined),
    'a revision'
  )
  const status: any = await api.deleteNamespacedCustomObject({ ...G, name: 'cn-del' })
  expect(status).toMatchObject({ kind: 'Status', status: 'Success' })
  const { store } = emulator()
  const left = () =>
    ['configurations', 'routes', 'revisions'].flatMap((p) =>
      store
        .list(`${p}.serving.knative.dev`, 'default')
        .filter((o) => o.metadata.name.startsWith('cn-del'))
    )
  // Only the Route may stay a moment, marked for deletion, until its finalizer is done.
  expect(left().filter((o) => o.kind !== 'Route' || !o.metadata.deletionTimestamp)).toEqual([])
  await eventually(() => left().length === 0, 'the Route to be finalized')
})

test('client-node sends the kubeconfig token: requests are recorded as its user', async () => {
  await get('cn-a')
  const requests: any[] = (await (
    await fetch(`${emulator().apiUrl}/emulator/requests`)
  ).json()) as any[]
  expect(requests.at(-1)).toMatchObject({
    method: 'GET',
    path: '/apis/serving.knative.dev/v1/namespaces/default/services/cn-a',
    user: 'kubernetes-admin'
  })
})
