// Watch streams, injected faults and the admin endpoints, over real HTTP.

import { createApiServer, type ApiServer } from '../../../../emulator/server.js'
import { defaultSettings, type EmulatorSettings } from '../../../../emulator/settings.js'
import { Store, type KObject } from '../../../../emulator/store.js'
import type { DataPlaneControl, RevisionBehaviour } from '../../../../emulator/api/types.js'

const SVC = '/apis/serving.knative.dev/v1/namespaces/default/services'
const KEY = 'services.serving.knative.dev'

const ksvc = (name: string): KObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { template: { spec: { containers: [{ image: 'img' }] } } }
})

/** A recording data plane: the admin endpoints only need these calls. */
class RecordingDataPlane implements DataPlaneControl {
  calls: [string, string, RevisionBehaviour][] = []
  metrics() {
    return 'revision_app_request_count{revision_name="r"} 3\n'
  }
  podMetrics() {
    return undefined
  }
  scrapeTargets() {
    return []
  }
  setBehaviour(namespace: string, revision: string, behaviour: RevisionBehaviour) {
    this.calls.push([namespace, revision, behaviour])
  }
}

let store: Store
let settings: EmulatorSettings
let server: ApiServer
let url: string
let dataPlane: RecordingDataPlane
let randomValue: number

beforeEach(async () => {
  store = new Store(undefined, 5)
  settings = defaultSettings()
  dataPlane = new RecordingDataPlane()
  randomValue = 0.5
  server = createApiServer({
    store,
    settings,
    dataPlane,
    tokens: { 'token-a': 'alice' },
    random: () => randomValue
  })
  url = await server.listen(0)
})
afterEach(() => server.close())

/** Reads a watch stream line by line. */
async function watch(path: string, init: RequestInit = {}) {
  const controller = new AbortController()
  const res = await fetch(url + path, { ...init, signal: controller.signal })
  const events: any[] = []
  let waiters: (() => void)[] = []
  let ended = false
  const done = (async () => {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true })
        let nl: number
        while ((nl = buffer.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buffer.slice(0, nl)))
          buffer = buffer.slice(nl + 1)
          waiters.forEach((w) => w())
        }
      }
      return 'ended'
    } catch {
      return 'dropped'
    } finally {
      ended = true
      waiters.forEach((w) => w())
    }
  })()
  return {
    res,
    events,
    done,
    /** Resolves once `n` events have arrived (or the stream ended). */
    async until(n: number) {
      while (events.length < n && !ended) await new Promise<void>((r) => waiters.push(r))
      waiters = []
      return events.slice(0, n).map((e) => [e.type, e.object?.metadata?.name ?? e.object?.code])
    },
    stop: () => controller.abort()
  }
}

describe('watch', () => {
  test('without a resourceVersion: current objects as ADDED, then live events', async () => {
    store.create(KEY, ksvc('a'))
    const w = await watch(`${SVC}?watch=true`)
    expect(w.res.headers.get('content-type')).toBe('application/json')
    store.create(KEY, ksvc('b'))
    store.update(KEY, { ...store.get(KEY, 'default', 'a')!, spec: { changed: 1 } })
    store.delete(KEY, 'default', 'b')
    expect(await w.until(4)).toEqual([
      ['ADDED', 'a'],
      ['ADDED', 'b'],
      ['MODIFIED', 'a'],
      ['DELETED', 'b']
    ])
    w.stop()
  })

  test('from a resourceVersion: only the events after it', async () => {
    const a = store.create(KEY, ksvc('a'))
    store.create(KEY, ksvc('b'))
    const w = await watch(`${SVC}?watch=1&resourceVersion=${a.metadata.resourceVersion}`)
    store.create(KEY, ksvc('c'))
    expect(await w.until(2)).toEqual([
      ['ADDED', 'b'],
      ['ADDED', 'c']
    ])
    w.stop()
  })

  test('a version older than the log is an ERROR event with a 410 Expired Status', async () => {
    const first = store.create(KEY, ksvc('a'))
    for (const n of ['b', 'c', 'd', 'e', 'f', 'g']) store.create(KEY, ksvc(n))
    const w = await watch(`${SVC}?watch=true&resourceVersion=${first.metadata.resourceVersion}`)
    expect(w.res.status).toBe(200)
    expect(await w.done).toBe('ended')
    expect(w.events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
          message: 'too old resource version: 1'
        })
      }
    ])
  })

  test('a field selector on the name filters events', async () => {
    const w = await watch(`${SVC}?watch=true&fieldSelector=metadata.name%3Db`)
    store.create(KEY, ksvc('a'))
    store.create(KEY, ksvc('b'))
    expect(await w.until(1)).toEqual([['ADDED', 'b']])
    w.stop()
  })

  test('a label selector filters events', async () => {
    const w = await watch(`${SVC}?watch=true&labelSelector=team%3Dx`)
    store.create(KEY, ksvc('a'))
    store.create(KEY, {
      ...ksvc('b'),
      metadata: { name: 'b', namespace: 'default', labels: { team: 'x' } }
    })
    expect(await w.until(1)).toEqual([['ADDED', 'b']])
    w.stop()
  })

  test('timeoutSeconds ends the stream cleanly', async () => {
    const w = await watch(`${SVC}?watch=true&timeoutSeconds=1`)
    expect(await w.done).toBe('ended')
  })

  test('a watch in a Table asks for rows', async () => {
    store.create(KEY, ksvc('a'))
    const w = await watch(`${SVC}?watch=true`, {
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' }
    })
    await w.until(1)
    expect(w.events[0].object).toMatchObject({
      kind: 'Table',
      rows: [{ cells: expect.arrayContaining(['a']) }]
    })
    w.stop()
  })
})

describe('faults', () => {
  const put = (body: unknown) =>
    fetch(`${url}/emulator/faults`, { method: 'PUT', body: JSON.stringify(body) })

  test.each([
    ['500', 500, 'InternalError'],
    ['503 with Retry-After', 503, 'ServiceUnavailable'],
    ['429 with Retry-After', 429, 'TooManyRequests']
  ])('errorRate answers %s on resource requests', async (_name, status, reason) => {
    randomValue = 0
    await put({ errorRate: 1, errorStatus: status })
    const res = await fetch(url + SVC)
    expect(res.status).toBe(status)
    expect(await res.json()).toMatchObject({ kind: 'Status', code: status, reason })
    if (status !== 500) expect(res.headers.get('retry-after')).toBe('1')
  })

  test.each([
    ['discovery', '/apis/serving.knative.dev/v1'],
    ['the admin API', '/emulator/faults']
  ])('errorRate leaves %s alone', async (_name, path) => {
    randomValue = 0
    await put({ errorRate: 1 })
    expect((await fetch(url + path)).status).toBe(200)
  })

  test('errorRate applies with the injected probability', async () => {
    randomValue = 0.7
    await put({ errorRate: 0.5 })
    expect((await fetch(url + SVC)).status).toBe(200)
  })

  test('conflictRate answers 409 to writes, not to reads', async () => {
    randomValue = 0
    store.create(KEY, ksvc('a'))
    await put({ conflictRate: 1 })
    const write = await fetch(`${url}${SVC}/a`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: '{"metadata":{"labels":{"x":"y"}}}'
    })
    expect(write.status).toBe(409)
    expect(await write.json()).toMatchObject({ reason: 'Conflict' })
    expect(store.get(KEY, 'default', 'a')!.metadata.labels).toBeUndefined()
    expect((await fetch(`${url}${SVC}/a`)).status).toBe(200)
  })

  test('watchDropAfterMs cuts watches', async () => {
    await put({ watchDropAfterMs: 50 })
    const w = await watch(`${SVC}?watch=true`)
    expect(await w.done).toBe('dropped')
  })

  test('DELETE resets every fault', async () => {
    randomValue = 0
    await put({ errorRate: 1, latencyMs: 5 })
    const res = await fetch(`${url}/emulator/faults`, { method: 'DELETE' })
    expect(await res.json()).toMatchObject({ errorRate: 0, latencyMs: 0 })
    expect((await fetch(url + SVC)).status).toBe(200)
  })

  test('an invalid fault is a 400 and changes nothing', async () => {
    const res = await put({ errorRate: 3 })
    expect(res.status).toBe(400)
    expect(settings.faults.errorRate).toBe(0)
  })
})

describe('admin endpoints', () => {
  test('the request log records every API request, with the user of its token', async () => {
    await fetch(url + SVC, {
      method: 'POST',
      headers: { Authorization: 'Bearer token-a', 'Content-Type': 'application/json' },
      body: JSON.stringify(ksvc('a'))
    })
    await fetch(`${url}${SVC}/a?fieldManager=x`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: '{}'
    })
    await fetch(`${url}${SVC}/zz`, { headers: { Authorization: 'Bearer wrong' } })
    const log: any = await (await fetch(`${url}/emulator/requests`)).json()
    expect(
      log.map((e: any) => [e.method, e.path, e.status, e.user, e.contentType ?? null])
    ).toEqual([
      ['POST', SVC, 201, 'alice', 'application/json'],
      ['PATCH', `${SVC}/a`, 200, 'system:anonymous', 'application/merge-patch+json'],
      ['GET', `${SVC}/zz`, 404, 'system:anonymous', null]
    ])
    expect(log[1].query).toEqual({ fieldManager: 'x' })
    expect(Date.parse(log[0].time)).not.toBeNaN()
  })

  test('the request log never holds a token', async () => {
    await fetch(url + SVC, { headers: { Authorization: 'Bearer token-a' } })
    expect(await (await fetch(`${url}/emulator/requests`)).text()).not.toContain('token-a')
  })

  test('DELETE /emulator/requests clears the log', async () => {
    await fetch(url + SVC)
    await fetch(`${url}/emulator/requests`, { method: 'DELETE' })
    expect(await (await fetch(`${url}/emulator/requests`)).json()).toEqual([])
  })

  test.each([
    ['a new status delay', { statusDelayMs: 250 }, 200, 250],
    ['a negative delay', { statusDelayMs: -1 }, 400, 20],
    ['a setting that cannot change', { domain: 'x.dev' }, 400, 20]
  ])('PUT /emulator/settings with %s', async (_name, body, status, delay) => {
    const res = await fetch(`${url}/emulator/settings`, {
      method: 'PUT',
      body: JSON.stringify(body)
    })
    expect(res.status).toBe(status)
    expect(settings.statusDelayMs).toBe(delay)
    expect(((await (await fetch(`${url}/emulator/settings`)).json()) as any).statusDelayMs).toBe(
      delay
    )
  })

  test.each([
    ['an error rate', { errorRate: 0.5 }, 200],
    ['a latency', { latencyMs: 100 }, 200],
    ['an error rate above 1', { errorRate: 2 }, 400],
    ['an unknown field', { colour: 1 }, 400]
  ])('PUT revision behaviour with %s', async (_name, body, status) => {
    const res = await fetch(`${url}/emulator/revisions/default/hello-00001/behaviour`, {
      method: 'PUT',
      body: JSON.stringify(body)
    })
    expect(res.status).toBe(status)
    expect(dataPlane.calls).toEqual(status === 200 ? [['default', 'hello-00001', body]] : [])
  })

  test('GET /emulator/history lists writes with their actor, filterable', async () => {
    store.create(KEY, ksvc('a'))
    store.create(
      'pods',
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' } },
      'controller'
    )
    const all: any = await (await fetch(`${url}/emulator/history`)).json()
    expect(all.map((e: any) => [e.type, e.resource, e.name, e.actor])).toEqual([
      ['ADDED', KEY, 'a', 'api'],
      ['ADDED', 'pods', 'p', 'controller']
    ])
    expect(all[0]).toMatchObject({
      namespace: 'default',
      resourceVersion: 1,
      object: { metadata: { name: 'a' } }
    })
    const pods: any = await (await fetch(`${url}/emulator/history?resource=pods`)).json()
    expect(pods.map((e: any) => e.name)).toEqual(['p'])
  })

  test('/metrics is the data plane text in Prometheus format', async () => {
    const res = await fetch(`${url}/metrics`)
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    expect(await res.text()).toBe(dataPlane.metrics())
  })

  test('an unknown admin path is a 404 Status', async () => {
    const res = await fetch(`${url}/emulator/nothing`)
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ kind: 'Status', code: 404 })
  })
})
