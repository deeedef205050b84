// Server-side apply and managedFields over HTTP against the full emulator (Knative admission
// included): the wire behaviour Flux, kubectl and knative-rollout depend on.

import { withEmulator } from '../../../helpers/emulator.js'

const emulator = withEmulator({ statusDelayMs: 5 })
const SVC = '/apis/serving.knative.dev/v1/namespaces/default/services'

const ksvc = (
  name: string,
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {}
) => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name, ...metadata },
  spec: { template: { spec: { containers: [{ image: `img/${name}:v1` }] } }, ...spec }
})

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {}
) {
  const res = await fetch(emulator().apiUrl + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { status: res.status, json: (await res.json()) as any }
}

const apply = (name: string, body: unknown, query: string) =>
  call('PATCH', `${SVC}/${name}?${query}`, body, { 'Content-Type': 'application/apply-patch+yaml' })

const entries = (obj: any) =>
  (obj.metadata.managedFields ?? []).map((e: any) => `${e.manager}/${e.operation}`)
const fieldsOf = (obj: any, manager: string) =>
  obj.metadata.managedFields.find((e: any) => e.manager === manager)?.fieldsV1

const gitTraffic = [{ latestRevision: true, percent: 100 }]

test('apply without fieldManager is refused as PatchOptions validation (422)', async () => {
  const res = await apply('no-manager', ksvc('no-manager'), 'force=true')
  expect(res.status).toBe(422)
  expect(res.json.message).toBe(
    'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch'
  )
})

test('force on a merge patch is refused (422)', async () => {
  const res = await call(
    'PATCH',
    `${SVC}/x?force=true`,
    {},
    { 'Content-Type': 'application/merge-patch+json' }
  )
  expect(res.status).toBe(422)
  expect(res.json.message).toContain('force: Forbidden: may not be specified for non-apply patch')
})

test('a create is an Update by its fieldManager; Knative’s default traffic is nobody’s', async () => {
  const res = await call('POST', `${SVC}?fieldManager=knative-rollout`, ksvc('created'))
  expect(res.status).toBe(201)
  expect(res.json.spec.traffic).toEqual(gitTraffic) // the defaulting webhook set it
  expect(res.json.metadata.managedFields).toEqual([
    {
      manager: 'knative-rollout',
      operation: 'Update',
      apiVersion: 'serving.knative.dev/v1',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:spec': { '.': {}, 'f:template': { '.': {}, 'f:spec': { '.': {}, 'f:containers': {} } } }
      }
    }
  ])
})

test('without fieldManager the manager is the User-Agent’s product', async () => {
  const res = await call('POST', SVC, ksvc('by-agent'), { 'User-Agent': 'my-tool/1.2.3 (linux)' })
  expect(entries(res.json)).toEqual(['my-tool/Update'])
})

describe('Flux applies, the rollout updates, Flux syncs again', () => {
  const name = 'shared'
  let rolled: any

  test('the applier owns what git declares', async () => {
    const res = await apply(
      name,
      ksvc(name, { traffic: gitTraffic }),
      'fieldManager=kustomize-controller&force=true'
    )
    expect(res.status).toBe(201)
    expect(fieldsOf(res.json, 'kustomize-controller')).toEqual({
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': {} } }, 'f:traffic': {} }
    })
  })

  test('a PUT by knative-rollout takes spec.traffic', async () => {
    // read-modify-write, again on 409: the controller writes status in between
    let res: { status: number; json: any }
    do {
      const live = (await call('GET', `${SVC}/${name}`)).json
      live.spec.traffic = [
        { revisionName: `${name}-00001`, percent: 100, tag: 'current' },
        { latestRevision: true, percent: 0, tag: 'candidate' }
      ]
      res = await call('PUT', `${SVC}/${name}?fieldManager=knative-rollout`, live)
    } while (res.status === 409)
    expect(res.status).toBe(200)
    expect(entries(res.json)).toEqual(['kustomize-controller/Apply', 'knative-rollout/Update'])
    expect(fieldsOf(res.json, 'knative-rollout')).toEqual({ 'f:spec': { 'f:traffic': {} } })
    expect(fieldsOf(res.json, 'kustomize-controller')).toEqual({
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': {} } } }
    })
    rolled = res.json
  })

  test('an apply of git’s traffic without force is a 409 naming the manager and field', async () => {
    const res = await apply(
      name,
      ksvc(name, { traffic: gitTraffic }),
      'fieldManager=kustomize-controller'
    )
    expect(res.status).toBe(409)
    expect(res.json).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
      message:
        'Apply failed with 1 conflict: conflict with "knative-rollout" using serving.knative.dev/v1: .spec.traffic',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "knative-rollout" using serving.knative.dev/v1',
            field: '.spec.traffic'
          }
        ]
      }
    })
    const after = (await call('GET', `${SVC}/${name}`)).json
    expect(after.spec.traffic).toEqual(rolled.spec.traffic)
  })

  test('with force=true git’s traffic is back and the applier owns it again', async () => {
    const res = await apply(
      name,
      ksvc(name, { traffic: gitTraffic }),
      'fieldManager=kustomize-controller&force=true'
    )
    expect(res.status).toBe(200)
    expect(res.json.spec.traffic).toEqual(gitTraffic)
    expect(entries(res.json)).toEqual(['kustomize-controller/Apply'])
  })

  test('a JSON patch may replace managedFields (how Flux takes over kubectl’s fields)', async () => {
    const live = (await call('GET', `${SVC}/${name}`)).json
    const replaced = live.metadata.managedFields.map((e: any) => ({ ...e, manager: 'renamed' }))
    const res = await call(
      'PATCH',
      `${SVC}/${name}?fieldManager=kustomize-controller`,
      [{ op: 'replace', path: '/metadata/managedFields', value: replaced }],
      { 'Content-Type': 'application/json-patch+json' }
    )
    expect(res.status).toBe(200)
    expect(entries(res.json)).toEqual(['renamed/Apply'])
  })
})

test('kubectl-style apply of the same configuration twice leaves managedFields as they were', async () => {
  const first = await apply('twice', ksvc('twice'), 'fieldManager=kubectl')
  const second = await apply('twice', ksvc('twice'), 'fieldManager=kubectl')
  expect(second.status).toBe(200)
  expect(second.json.metadata.managedFields).toEqual(first.json.metadata.managedFields)
})
