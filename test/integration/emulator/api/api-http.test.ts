// The API server over real HTTP on 127.0.0.1, with identity admission, so these tests
// pin the Kubernetes wire behaviour on its own: verbs, patch types, selectors, conflicts,
// Status bodies, discovery, tables.

import { createApiServer, type ApiServer } from '../../../../emulator/server.js'
import { defaultSettings, type EmulatorSettings } from '../../../../emulator/settings.js'
import { Store, type KObject } from '../../../../emulator/store.js'

const SVC = '/apis/serving.knative.dev/v1/namespaces/default/services'
const CFG = '/apis/serving.knative.dev/v1/namespaces/default/configurations'

interface Harness {
  store: Store
  settings: EmulatorSettings
  server: ApiServer
  url: string
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>
  ): Promise<{ status: number; json: any; text: string; headers: Headers }>
}

async function start(settings = defaultSettings()): Promise<Harness> {
  const store = new Store()
  const server = createApiServer({ store, settings, tokens: { 'secret-token': 'alice' } })
  const url = await server.listen(0)
  const call: Harness['call'] = async (method, path, body, headers = {}) => {
    const res = await fetch(url + path, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
    })
    const text = await res.text()
    let json: any
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: res.status, json, text, headers: res.headers }
  }
  return { store, settings, server, url, call }
}

const ksvc = (name: string, extra: Partial<KObject> = {}): KObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name, labels: { app: name } },
  spec: { template: { spec: { containers: [{ image: `img/${name}` }] } } },
  ...extra
})

let h: Harness
beforeEach(async () => {
  h = await start()
})
afterEach(async () => {
  await h.server.close()
})

describe('create', () => {
  test('answers 201 with server fields set', async () => {
    const res = await h.call('POST', SVC, ksvc('a'))
    expect(res.status).toBe(201)
    expect(res.json.metadata).toMatchObject({ name: 'a', namespace: 'default', generation: 1 })
    expect(res.json.metadata.uid).toEqual(expect.any(String))
    expect(res.json.metadata.resourceVersion).toEqual(expect.any(String))
  })

  test('generateName picks a name with the prefix', async () => {
    const res = await h.call(
      'POST',
      SVC,
      ksvc('', { metadata: { name: '', generateName: 'gen-' } })
    )
    expect(res.status).toBe(201)
    expect(res.json.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/)
  })

  test('dryRun=All answers the object and stores nothing', async () => {
    const res = await h.call('POST', `${SVC}?dryRun=All`, ksvc('dry'))
    expect(res.status).toBe(201)
    expect(res.json.metadata.name).toBe('dry')
    expect(h.store.get('services.serving.knative.dev', 'default', 'dry')).toBeUndefined()
  })

  test('status in the body is dropped (status subresource)', async () => {
    const res = await h.call('POST', SVC, ksvc('s', { status: { url: 'http://x' } }))
    expect(res.json.status).toBeUndefined()
  })

  test.each([
    [
      'a duplicate name',
      async () => h.call('POST', SVC, ksvc('dup')),
      ksvc('dup'),
      409,
      'AlreadyExists',
      'services.serving.knative.dev "dup" already exists'
    ],
    [
      'no name',
      null,
      ksvc('', { metadata: { name: '' } }),
      422,
      'Invalid',
      'Service.serving.knative.dev "" is invalid: metadata.name: Required value: name or generateName is required'
    ],
    [
      'another namespace in the body',
      null,
      ksvc('x', { metadata: { name: 'x', namespace: 'other' } }),
      400,
      'BadRequest',
      'the namespace of the provided object does not match the namespace sent on the request'
    ],
    [
      'another API version',
      null,
      { ...ksvc('x'), apiVersion: 'serving.knative.dev/v2' },
      400,
      'BadRequest',
      'the API version in the data (serving.knative.dev/v2) does not match the expected API version (serving.knative.dev/v1)'
    ],
    [
      'another kind',
      null,
      { ...ksvc('x'), kind: 'Route' },
      400,
      'BadRequest',
      'the kind in the data (Route) does not match the expected kind (Service)'
    ],
    [
      'malformed JSON',
      null,
      '{"kind":',
      400,
      'BadRequest',
      expect.stringContaining('error decoding request body')
    ]
  ])('%s is a %d Status', async (_name, before, body, code, reason, message) => {
    if (before) await before()
    const res = await h.call('POST', SVC, body)
    expect(res.status).toBe(code)
    expect(res.json).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code,
      reason,
      message
    })
  })
})

describe('get and list', () => {
  beforeEach(async () => {
    await h.call('POST', SVC, ksvc('one'))
    await h.call(
      'POST',
      SVC,
      ksvc('two', { metadata: { name: 'two', labels: { app: 'two', tier: 'back' } } })
    )
    await h.call('POST', '/api/v1/namespaces', { metadata: { name: 'other' } })
    await h.call('POST', '/apis/serving.knative.dev/v1/namespaces/other/services', ksvc('three'))
  })

  test('get answers the object', async () => {
    const res = await h.call('GET', `${SVC}/one`)
    expect(res.status).toBe(200)
    expect(res.json.metadata.name).toBe('one')
  })

  test('get of a missing object is a 404 Status naming it', async () => {
    const res = await h.call('GET', `${SVC}/nope`)
    expect(res.status).toBe(404)
    expect(res.json).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'services.serving.knative.dev "nope" not found',
      details: { name: 'nope', group: 'serving.knative.dev', kind: 'services' }
    })
  })

  test.each([
    ['a namespace', SVC, ['one', 'two']],
    ['all namespaces', '/apis/serving.knative.dev/v1/services', ['one', 'two', 'three']],
    ['a label selector', `${SVC}?labelSelector=${encodeURIComponent('tier=back')}`, ['two']],
    ['a set selector', `${SVC}?labelSelector=${encodeURIComponent('app in (one,three)')}`, ['one']],
    ['a missing-key selector', `${SVC}?labelSelector=${encodeURIComponent('!tier')}`, ['one']],
    [
      'a field selector',
      `/apis/serving.knative.dev/v1/services?fieldSelector=metadata.namespace%3Dother`,
      ['three']
    ],
    ['a name field selector', `${SVC}?fieldSelector=metadata.name%3Dtwo`, ['two']]
  ])('list in %s', async (_name, path, names) => {
    const res = await h.call('GET', path)
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ apiVersion: 'serving.knative.dev/v1', kind: 'ServiceList' })
    expect(res.json.metadata.resourceVersion).toBe(h.store.resourceVersion)
    expect(res.json.items.map((i: KObject) => i.metadata.name)).toEqual(names)
  })

  test('an unsupported field selector is a 400', async () => {
    const res = await h.call('GET', `${SVC}?fieldSelector=spec.x%3D1`)
    expect(res.status).toBe(400)
  })

  test('kubectl query parameters are tolerated', async () => {
    const res = await h.call('GET', `${SVC}?limit=500&fieldManager=kubectl&fieldValidation=Strict`)
    expect(res.status).toBe(200)
  })
})

describe('update', () => {
  let created: KObject
  beforeEach(async () => {
    created = (await h.call('POST', SVC, ksvc('u'))).json
  })

  test('a PUT with the current resourceVersion replaces the spec and bumps generation', async () => {
    const next = { ...created, spec: { template: { spec: { containers: [{ image: 'img/v2' }] } } } }
    const res = await h.call('PUT', `${SVC}/u`, next)
    expect(res.status).toBe(200)
    expect(res.json.metadata.generation).toBe(2)
    expect(res.json.spec.template.spec.containers[0].image).toBe('img/v2')
  })

  test.each([
    [
      'a stale resourceVersion',
      (o: KObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: '1' } }),
      409,
      'Conflict',
      'Operation cannot be fulfilled on services.serving.knative.dev "u": the object has been modified; please apply your changes to the latest version and try again'
    ],
    [
      'no resourceVersion',
      (o: KObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } }),
      422,
      'Invalid',
      'Service.serving.knative.dev "u" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update'
    ],
    [
      'another name',
      (o: KObject) => ({ ...o, metadata: { ...o.metadata, name: 'v' } }),
      400,
      'BadRequest',
      'the name of the object (v) does not match the name on the URL (u)'
    ]
  ])('%s is a %d', async (_name, change, code, reason, message) => {
    await h.call(
      'PATCH',
      `${SVC}/u`,
      { metadata: { labels: { moved: 'on' } } },
      { 'Content-Type': 'application/merge-patch+json' }
    )
    const res = await h.call('PUT', `${SVC}/u`, change(created))
    expect(res.status).toBe(code)
    expect(res.json).toMatchObject({ kind: 'Status', code, reason, message })
  })

  test('PUT of a missing object is a 404', async () => {
    const res = await h.call(
      'PUT',
      `${SVC}/missing`,
      ksvc('missing', { metadata: { name: 'missing', resourceVersion: '1' } })
    )
    expect(res.status).toBe(404)
  })

  test('PUT .../status writes only the status', async () => {
    const res = await h.call('PUT', `${SVC}/u/status`, {
      ...created,
      spec: { changed: true },
      status: { observedGeneration: 1 }
    })
    expect(res.status).toBe(200)
    expect(res.json.status).toEqual({ observedGeneration: 1 })
    expect(res.json.spec).toEqual(created.spec)
  })

  test('a PUT without .status keeps the status', async () => {
    await h.call('PUT', `${SVC}/u/status`, { ...created, status: { url: 'http://u' } })
    const current = (await h.call('GET', `${SVC}/u`)).json
    const res = await h.call('PUT', `${SVC}/u`, {
      ...current,
      status: undefined,
      metadata: { ...current.metadata, labels: { x: 'y' } }
    })
    expect(res.json.status).toEqual({ url: 'http://u' })
  })
})

describe('patch', () => {
  beforeEach(async () => {
    await h.call('POST', SVC, ksvc('p'))
  })
  const patch = (body: unknown, contentType: string, path = `${SVC}/p`) =>
    h.call('PATCH', path, body, { 'Content-Type': contentType })

  test.each([
    [
      'merge patch',
      'application/merge-patch+json',
      { metadata: { labels: { app: null, extra: 'yes' } } },
      (o: KObject) => expect(o.metadata.labels).toEqual({ extra: 'yes' })
    ],
    [
      'merge patch replacing a list',
      'application/merge-patch+json',
      { spec: { template: { spec: { containers: [{ image: 'new' }] } } } },
      (o: KObject) => expect(o.spec.template.spec.containers).toEqual([{ image: 'new' }])
    ],
    [
      'JSON patch',
      'application/json-patch+json',
      [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'jp' }],
      (o: KObject) => expect(o.spec.template.spec.containers[0].image).toBe('jp')
    ],
    [
      'JSON patch with a passing test',
      'application/json-patch+json',
      [
        { op: 'test', path: '/metadata/labels/app', value: 'p' },
        { op: 'add', path: '/metadata/labels/t', value: 'ok' }
      ],
      (o: KObject) => expect(o.metadata.labels).toEqual({ app: 'p', t: 'ok' })
    ],
    [
      'merge patch on the status subresource',
      'application/merge-patch+json',
      { status: { url: 'http://p' }, spec: { ignored: true } },
      (o: KObject) => expect([o.status, o.spec.ignored]).toEqual([{ url: 'http://p' }, undefined]),
      `${SVC}/p/status`
    ]
  ])('%s', async (_name, contentType, body, check, path = `${SVC}/p`) => {
    const res = await patch(body, contentType, path)
    expect(res.status).toBe(200)
    check(res.json)
    check(h.store.get('services.serving.knative.dev', 'default', 'p')!)
  })

  test.each([
    [
      'a failing JSON patch test',
      'application/json-patch+json',
      [{ op: 'test', path: '/metadata/labels/app', value: 'other' }],
      422,
      'Invalid'
    ],
    [
      'strategic merge patch',
      'application/strategic-merge-patch+json',
      { metadata: {} },
      415,
      'UnsupportedMediaType'
    ],
    ['an unknown patch type', 'text/plain', 'x', 415, 'UnsupportedMediaType'],
    ['apply without a fieldManager', 'application/apply-patch+yaml', ksvc('p'), 422, 'Invalid'],
    ['malformed merge patch', 'application/merge-patch+json', '{', 400, 'BadRequest']
  ])('%s is a %d', async (_name, contentType, body, code, reason) => {
    const res = await patch(body, contentType)
    expect(res.status).toBe(code)
    expect(res.json).toMatchObject({ kind: 'Status', code, reason })
  })

  test('patching a missing object is a 404', async () => {
    const res = await patch({}, 'application/merge-patch+json', `${SVC}/missing`)
    expect(res.status).toBe(404)
  })

  test('a merge patch carrying a stale resourceVersion is a 409', async () => {
    const res = await patch(
      { metadata: { resourceVersion: '999', labels: { a: 'b' } } },
      'application/merge-patch+json'
    )
    expect(res.status).toBe(409)
  })
})

describe('server-side apply', () => {
  const apply = (body: unknown, manager = 'tester', name = 'ssa') =>
    h.call('PATCH', `${SVC}/${name}?fieldManager=${manager}&force=true`, body, {
      'Content-Type': 'application/apply-patch+yaml'
    })

  test('creates the object when absent (201), then updates it (200)', async () => {
    expect((await apply(ksvc('ssa'))).status).toBe(201)
    const res = await apply(
      ksvc('ssa', { spec: { template: { spec: { containers: [{ image: 'v2' }] } } } })
    )
    expect(res.status).toBe(200)
    expect(res.json.metadata.generation).toBe(2)
    expect(res.json.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'tester', operation: 'Apply', fieldsType: 'FieldsV1' })
    ])
  })

  test('accepts a YAML body', async () => {
    const yamlBody =
      'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: ssa\n  labels: {from: yaml}\nspec:\n  template:\n    spec:\n      containers:\n      - image: img/yaml\n'
    const res = await apply(yamlBody)
    expect(res.status).toBe(201)
    expect(res.json.metadata.labels).toEqual({ from: 'yaml' })
  })

  test("removes a label the manager stopped applying, keeps another writer's", async () => {
    await apply(ksvc('ssa', { metadata: { name: 'ssa', labels: { mine: '1' } } }))
    await h.call(
      'PATCH',
      `${SVC}/ssa`,
      { metadata: { labels: { theirs: '1' } } },
      { 'Content-Type': 'application/merge-patch+json' }
    )
    const res = await apply(ksvc('ssa', { metadata: { name: 'ssa' } }))
    expect(res.json.metadata.labels).toEqual({ theirs: '1' })
  })

  test('a name that differs from the URL is a 400', async () => {
    const res = await apply(ksvc('other'), 'tester', 'ssa')
    expect(res.status).toBe(400)
  })
})

describe('delete', () => {
  test('answers a success Status and the object is gone', async () => {
    const created = (await h.call('POST', SVC, ksvc('d'))).json
    const res = await h.call('DELETE', `${SVC}/d`)
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name: 'd',
        group: 'serving.knative.dev',
        kind: 'services',
        uid: created.metadata.uid
      }
    })
    expect((await h.call('GET', `${SVC}/d`)).status).toBe(404)
  })

  const owned = (name: string, owner: KObject): KObject => ({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Configuration',
    metadata: {
      name,
      ownerReferences: [
        {
          apiVersion: 'serving.knative.dev/v1',
          kind: 'Service',
          name: owner.metadata.name,
          uid: owner.metadata.uid!,
          controller: true
        }
      ]
    },
    spec: {}
  })

  test.each([
    ['background (default) cascades to owned objects', '', 404],
    ['Orphan keeps owned objects', '?propagationPolicy=Orphan', 200]
  ])('%s', async (_name, query, childStatus) => {
    const owner = (await h.call('POST', SVC, ksvc('owner'))).json
    await h.call('POST', CFG, owned('owner', owner))
    await h.call('DELETE', `${SVC}/owner${query}`)
    expect((await h.call('GET', `${CFG}/owner`)).status).toBe(childStatus)
  })

  test('the cascade is recorded as the garbage collector', async () => {
    const owner = (await h.call('POST', SVC, ksvc('gc'))).json
    await h.call('POST', CFG, owned('gc', owner))
    await h.call('DELETE', `${SVC}/gc`)
    const deletes = h.store.history
      .filter((e) => e.type === 'DELETED')
      .map((e) => [e.resource, e.actor])
    expect(deletes).toEqual([
      ['services.serving.knative.dev', 'api'],
      ['configurations.serving.knative.dev', 'garbage-collector']
    ])
  })

  test('a stale resourceVersion precondition is a 409', async () => {
    await h.call('POST', SVC, ksvc('pre'))
    const res = await h.call('DELETE', `${SVC}/pre`, {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      preconditions: { resourceVersion: '0' }
    })
    expect(res.status).toBe(409)
  })

  test('dryRun=All deletes nothing', async () => {
    await h.call('POST', SVC, ksvc('keep'))
    expect((await h.call('DELETE', `${SVC}/keep?dryRun=All`)).status).toBe(200)
    expect((await h.call('GET', `${SVC}/keep`)).status).toBe(200)
  })

  test('deletecollection removes what the selector matches', async () => {
    await h.call('POST', SVC, ksvc('c1'))
    await h.call('POST', SVC, ksvc('c2'))
    const res = await h.call('DELETE', `${SVC}?labelSelector=app%3Dc1`)
    expect(res.json.items.map((i: KObject) => i.metadata.name)).toEqual(['c1'])
    expect((await h.call('GET', SVC)).json.items.map((i: KObject) => i.metadata.name)).toEqual([
      'c2'
    ])
  })
})

describe('routing', () => {
  test.each([
    [
      'a type the server does not serve',
      'GET',
      '/apis/serving.knative.dev/v1/namespaces/default/domainmappings',
      404,
      'NotFound'
    ],
    [
      'v1alpha1 while it is off',
      'GET',
      '/apis/serving.knative.dev/v1alpha1/namespaces/default/services',
      404,
      'NotFound'
    ],
    [
      'a verb pods do not allow',
      'POST',
      '/api/v1/namespaces/default/pods',
      405,
      'MethodNotAllowed'
    ],
    ['POST to a named object', 'POST', `${SVC}/x`, 405, 'MethodNotAllowed'],
    ['an unknown subresource', 'GET', `${SVC}/x/scale`, 404, 'NotFound']
  ])('%s is a %d', async (_name, method, path, code, reason) => {
    const res = await h.call(method, path, method === 'POST' ? {} : undefined)
    expect(res.status).toBe(code)
    expect(res.json).toMatchObject({ kind: 'Status', code, reason })
  })

  test('a path outside the API is a plain 404', async () => {
    const res = await h.call('GET', '/nothing/here')
    expect([res.status, res.text]).toEqual([404, '404 page not found\n'])
  })
})

describe('discovery and OpenAPI', () => {
  test.each([
    ['/version', { major: '1', minor: '32' }],
    ['/api', { kind: 'APIVersions', versions: ['v1'] }],
    [
      '/apis',
      {
        kind: 'APIGroupList',
        groups: [
          {
            name: 'serving.knative.dev',
            preferredVersion: { groupVersion: 'serving.knative.dev/v1', version: 'v1' }
          }
        ]
      }
    ],
    ['/apis/serving.knative.dev', { kind: 'APIGroup', name: 'serving.knative.dev' }],
    [
      '/apis/serving.knative.dev/v1',
      { kind: 'APIResourceList', groupVersion: 'serving.knative.dev/v1' }
    ],
    ['/api/v1', { kind: 'APIResourceList', groupVersion: 'v1' }]
  ])('%s', async (path, expected) => {
    const res = await h.call('GET', path)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(res.json).toMatchObject(expected)
  })

  test('the Knative resource list has short names, categories and the status subresource', async () => {
    const { resources } = (await h.call('GET', '/apis/serving.knative.dev/v1')).json
    const byName = Object.fromEntries(resources.map((r: any) => [r.name, r]))
    expect(byName.services).toMatchObject({
      kind: 'Service',
      namespaced: true,
      shortNames: ['kservice', 'ksvc'],
      categories: ['all', 'knative', 'serving']
    })
    expect(byName.services.verbs).toEqual(
      expect.arrayContaining(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'])
    )
    expect(byName['services/status']).toMatchObject({
      kind: 'Service',
      verbs: ['get', 'patch', 'update']
    })
    expect(Object.keys(byName)).toEqual(
      expect.arrayContaining(['configurations', 'revisions', 'routes'])
    )
  })

  test('v1alpha1 is discovered when served, v1 stays preferred', async () => {
    await h.server.close()
    h = await start(defaultSettings({ serveV1alpha1: true }))
    const group = (await h.call('GET', '/apis/serving.knative.dev')).json
    expect(group.versions.map((v: any) => v.version)).toEqual(['v1', 'v1alpha1'])
    expect(group.preferredVersion.version).toBe('v1')
    expect((await h.call('GET', '/apis/serving.knative.dev/v1alpha1')).status).toBe(200)
  })

  test('OpenAPI v3 declares fieldValidation on the PATCH of each kind', async () => {
    const index = (await h.call('GET', '/openapi/v3')).json
    const ref = index.paths['apis/serving.knative.dev/v1'].serverRelativeURL
    expect(ref).toMatch(/^\/openapi\/v3\/apis\/serving\.knative\.dev\/v1\?hash=/)
    const doc = (await h.call('GET', ref)).json
    const patchOp =
      doc.paths['/apis/serving.knative.dev/v1/namespaces/{namespace}/services/{name}'].patch
    expect(patchOp['x-kubernetes-group-version-kind']).toEqual({
      group: 'serving.knative.dev',
      version: 'v1',
      kind: 'Service'
    })
    expect(patchOp.parameters.map((p: any) => p.name)).toContain('fieldValidation')
    expect(Object.keys(patchOp.requestBody.content)).not.toContain(
      'application/strategic-merge-patch+json'
    )
  })

  test('OpenAPI v2 is not served', async () => {
    expect((await h.call('GET', '/openapi/v2')).status).toBe(404)
  })

  test('namespaces: a fresh cluster’s, plus created ones; creating into a missing one is a 404', async () => {
    const missing = await h.call(
      'POST',
      '/apis/serving.knative.dev/v1/namespaces/team-a/services',
      ksvc('x')
    )
    expect(missing.status).toBe(404)
    expect(missing.json).toMatchObject({
      reason: 'NotFound',
      message: 'namespaces "team-a" not found',
      details: { name: 'team-a', kind: 'namespaces' }
    })
    expect((await h.call('GET', '/api/v1/namespaces/team-a')).status).toBe(404)
    expect(
      (await h.call('POST', '/api/v1/namespaces', { metadata: { name: 'team-a' } })).status
    ).toBe(201)
    expect(
      (await h.call('POST', '/api/v1/namespaces', { metadata: { name: 'team-a' } })).json
    ).toMatchObject({
      code: 409,
      message: 'namespaces "team-a" already exists'
    })
    expect(
      (await h.call('POST', '/apis/serving.knative.dev/v1/namespaces/team-a/services', ksvc('x')))
        .status
    ).toBe(201)
    const list = (await h.call('GET', '/api/v1/namespaces')).json
    expect(list.items.map((n: KObject) => n.metadata.name)).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
      'team-a'
    ])
    const ns = await h.call('GET', '/api/v1/namespaces/default')
    expect(ns.json).toMatchObject({ kind: 'Namespace', status: { phase: 'Active' } })
  })
})

describe('table output', () => {
  const TABLE =
    'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'

  test('a Knative list as a Table: NAME, the printer columns, AGE', async () => {
    const created = (await h.call('POST', SVC, ksvc('t'))).json
    await h.call('PUT', `${SVC}/t/status`, {
      ...created,
      status: {
        url: 'http://t.default.example.com',
        latestCreatedRevisionName: 't-00001',
        latestReadyRevisionName: 't-00001',
        conditions: [{ type: 'Ready', status: 'True' }]
      }
    })
    const res = await h.call('GET', SVC, undefined, { Accept: TABLE })
    expect(res.json).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' })
    expect(res.json.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'URL',
      'LatestCreated',
      'LatestReady',
      'Ready',
      'Reason',
      'Age'
    ])
    const [row] = res.json.rows
    expect(row.cells.slice(0, 6)).toEqual([
      't',
      'http://t.default.example.com',
      't-00001',
      't-00001',
      'True',
      null
    ])
    expect(row.cells[6]).toMatch(/^\d+s$/)
    expect(row.object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 't' } })
  })

  test('pods as a Table: NAME READY STATUS RESTARTS AGE', async () => {
    h.store.create(
      'pods',
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p-deployment-abc', namespace: 'default' },
        spec: { containers: [{ name: 'user-container' }, { name: 'queue-proxy' }] },
        status: {
          phase: 'Running',
          containerStatuses: [
            { name: 'user-container', ready: true, restartCount: 1 },
            { name: 'queue-proxy', ready: true, restartCount: 0 }
          ]
        }
      },
      'controller'
    )
    const res = await h.call('GET', '/api/v1/namespaces/default/pods', undefined, { Accept: TABLE })
    expect(res.json.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age'
    ])
    expect(res.json.rows[0].cells.slice(0, 4)).toEqual(['p-deployment-abc', '2/2', 'Running', 1])
  })

  test('a single object can be a Table too', async () => {
    await h.call('POST', SVC, ksvc('one'))
    const res = await h.call('GET', `${SVC}/one`, undefined, { Accept: TABLE })
    expect(res.json.rows.map((r: any) => r.cells[0])).toEqual(['one'])
  })
})
