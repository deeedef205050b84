// The Knative client against a real loopback HTTP server speaking Kubernetes-shaped JSON.

import type { ServerResponse } from 'node:http'
import { createServingClient } from '../../../src/knative/client.js'
import { KubeApiError } from '../../../src/knative/errors.js'
import { WaitTimeoutError } from '../../../src/rollout/ports.js'
import type { KService, Revision } from '../../../src/knative/types.js'
import { isReady } from '../../../src/knative/types.js'
import { wallClock } from '../../../src/clock.js'
import { memoryLogger } from '../../helpers/memory-logger.js'
import type { Clock } from '../../../src/rollout/ports.js'
import {
  instantClock,
  kubeconfigFor,
  sendJson,
  startKubeServer,
  statusBody,
  watchEvents,
  type Handler,
  type KubeServer,
  type Recorded
} from '../../helpers/kube-server.js'

const SVC_PATH = '/apis/serving.knative.dev/v1/namespaces/default/services'
const REV_PATH = '/apis/serving.knative.dev/v1/namespaces/default/revisions'
const TOKEN = 'sekret-token-abcdef0123456789'

function ksvc(rv: string, labels: Record<string, string> = {}): KService {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 'hello', namespace: 'default', resourceVersion: rv, generation: 1, labels },
    spec: { template: { spec: { containers: [{ image: 'example.com/hello:v1' }] } } }
  }
}

function revision(rv: string, ready: 'True' | 'Unknown'): Revision {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Revision',
    metadata: { name: 'hello-00002', namespace: 'default', resourceVersion: rv, generation: 1 },
    spec: { containers: [{ image: 'example.com/hello:v2' }] },
    status: {
      observedGeneration: 1,
      conditions: [
        { type: 'Ready', status: ready, reason: ready === 'True' ? undefined : 'Deploying' }
      ]
    }
  }
}

let server: KubeServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function clientFor(
  handler: Handler,
  clock: Clock = instantClock(),
  watchInactivityMs = 5_000
) {
  server = await startKubeServer(handler)
  const log = memoryLogger()
  const client = createServingClient({
    kubeconfig: server.kubeconfig(TOKEN),
    clock,
    log,
    retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    watchInactivityMs
  })
  return { client, server, log }
}

const onlyApi = (s: KubeServer): Recorded[] => s.requests

describe('reads', () => {
  test.each([
    { name: 'an existing service is returned', code: 200, expected: 'hello' },
    { name: 'a missing service is undefined, not an error', code: 404, expected: undefined }
  ])('$name', async ({ code, expected }) => {
    const { client } = await clientFor((_req, res) =>
      code === 200
        ? sendJson(res, 200, ksvc('1'))
        : sendJson(
            res,
            404,
            statusBody(404, 'NotFound', 'services.serving.knative.dev "hello" not found')
          )
    )
    const got = await client.getService('default', 'hello')
    expect(got?.metadata.name).toBe(expected)
  })

  test('the bearer token from the kubeconfig content is sent', async () => {
    const { client, server } = await clientFor((_req, res) => sendJson(res, 200, ksvc('1')))
    await client.getService('default', 'hello')
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(server.requests[0].path).toBe(`${SVC_PATH}/hello`)
  })
})

describe('retries', () => {
  test.each([
    {
      name: '503 twice, then 200: retried with backoff',
      script: [503, 503, 200],
      retryAfter: undefined as string | undefined,
      requests: 3,
      sleeps: (s: number[]) => expect(s).toHaveLength(2)
    },
    {
      name: '429 with Retry-After: 2 waits 2 s',
      script: [429, 200],
      retryAfter: '2',
      requests: 2,
      sleeps: (s: number[]) => expect(s).toEqual([2000])
    },
    {
      name: '500 then 200',
      script: [500, 200],
      retryAfter: undefined,
      requests: 2,
      sleeps: (s: number[]) => expect(s).toHaveLength(1)
    }
  ])('$name', async ({ script, retryAfter, requests, sleeps }) => {
    const clock = instantClock()
    let i = 0
    const { client, server } = await clientFor((_req, res) => {
      const code = script[i++]
      if (code === 200) return sendJson(res, 200, ksvc('1'))
      sendJson(
        res,
        code,
        statusBody(code, code === 429 ? 'TooManyRequests' : 'ServiceUnavailable', 'try later'),
        retryAfter ? { 'retry-after': retryAfter } : {}
      )
    }, clock)
    const got = await client.getService('default', 'hello')
    expect(got?.metadata.name).toBe('hello')
    expect(onlyApi(server)).toHaveLength(requests)
    sleeps(clock.sleeps)
  })

  test('persistent 503 gives up after the bounded attempts with the Status message', async () => {
    const { client, server } = await clientFor((_req, res) =>
      sendJson(res, 503, statusBody(503, 'ServiceUnavailable', 'etcd is sad'))
    )
    const err = await client.getService('default', 'hello').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(KubeApiError)
    expect((err as KubeApiError).code).toBe(503)
    expect((err as Error).message).toContain('etcd is sad')
    expect((err as Error).message).toContain('gave up after 4 attempts')
    expect(server.requests).toHaveLength(4)
  })

  test.each([
    {
      name: '400 BadRequest',
      code: 400,
      reason: 'BadRequest',
      message: 'admission webhook "validation.webhook.serving.knative.dev" denied the request: bad'
    },
    {
      name: '422 Invalid',
      code: 422,
      reason: 'Invalid',
      message: 'spec.template.spec.containers[0].image: Required value'
    },
    { name: '404 on create', code: 404, reason: 'NotFound', message: 'namespaces "nope" not found' }
  ])('$name is not retried and surfaces the Status message', async ({ code, reason, message }) => {
    const { client, server } = await clientFor((_req, res) =>
      sendJson(res, code, statusBody(code, reason, message))
    )
    const err = (await client.createService(ksvc('')).catch((e: unknown) => e)) as KubeApiError
    expect(err).toBeInstanceOf(KubeApiError)
    expect(err.code).toBe(code)
    expect(err.reason).toBe(reason)
    expect(err.message).toContain(message)
    expect(err.message).toContain('create services.serving.knative.dev "hello"')
    expect(server.requests).toHaveLength(1)
  })
})

describe('credentials and reachability', () => {
  test.each([
    {
      name: '401 names the server and the verb, never the token',
      code: 401,
      expect: ['rejected the credentials', 'get services.serving.knative.dev "hello"']
    },
    {
      name: '403 carries the RBAC message',
      code: 403,
      expect: [
        'forbidden (403)',
        'cannot get resource "services"',
        'get services.serving.knative.dev "hello"'
      ]
    }
  ])('$name', async ({ code, expect: fragments }) => {
    const { client, server } = await clientFor((_req, res) =>
      sendJson(
        res,
        code,
        statusBody(
          code,
          code === 401 ? 'Unauthorized' : 'Forbidden',
          code === 401
            ? 'Unauthorized'
            : 'services.serving.knative.dev "hello" is forbidden: User "ci" cannot get resource "services" in API group "serving.knative.dev"'
        )
      )
    )
    const err = (await client
      .getService('default', 'hello')
      .catch((e: unknown) => e)) as KubeApiError
    expect(err).toBeInstanceOf(KubeApiError)
    expect(err.code).toBe(code)
    for (const f of fragments) expect(err.message).toContain(f)
    expect(err.message).toContain(server.url)
    expect(err.message).not.toContain(TOKEN)
    expect(server.requests).toHaveLength(1)
  })

  test('connection refused: a clear error naming the server after bounded retries', async () => {
    const closed = await startKubeServer(() => undefined)
    const url = closed.url
    await closed.close()
    const clock = instantClock()
    const client = createServingClient({
      kubeconfig: kubeconfigFor(url, TOKEN),
      clock,
      log: memoryLogger(),
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 }
    })
    const err = (await client
      .getService('default', 'hello')
      .catch((e: unknown) => e)) as KubeApiError
    expect(err).toBeInstanceOf(KubeApiError)
    expect(err.code).toBe(0)
    expect(err.message).toContain(`cannot reach the Kubernetes API server at ${url}`)
    expect(err.message).toContain('ECONNREFUSED')
    expect(err.message).toContain('gave up after 3 attempts')
    expect(clock.sleeps).toHaveLength(2)
  })

  test('a server that never answers: each request times out, then a clear error', async () => {
    server = await startKubeServer(() => undefined) // accepts, never answers
    const clock = instantClock()
    const client = createServingClient({
      kubeconfig: server.kubeconfig(TOKEN),
      clock,
      log: memoryLogger(),
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
      requestTimeoutMs: 200
    })
    const err = (await client
      .getService('default', 'hello')
      .catch((e: unknown) => e)) as KubeApiError
    expect(err).toBeInstanceOf(KubeApiError)
    expect(err.code).toBe(0)
    expect(err.message).toContain(`cannot reach the Kubernetes API server at ${server.url}`)
    expect(err.message).toContain('timeout')
    expect(server.requests).toHaveLength(2)
  })

  test.each([
    { name: 'not YAML', content: 'clusters: [\n  token: hunter2-very-secret' },
    { name: 'not a kubeconfig', content: 'just-a-string-hunter2-very-secret' }
  ])('a bad kubeconfig input ($name) is reported without its content', ({ content }) => {
    let message = ''
    try {
      createServingClient({ kubeconfig: content, clock: instantClock(), log: memoryLogger() })
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toMatch(/^The kubeconfig input is not a valid kubeconfig/)
    expect(message).not.toContain('hunter2')
  })

  test('an http server without insecure-skip-tls-verify is refused with a clear message', () => {
    const content = kubeconfigFor('http://127.0.0.1:1', TOKEN).replace(
      '    insecure-skip-tls-verify: true\n',
      ''
    )
    expect(() =>
      createServingClient({ kubeconfig: content, clock: instantClock(), log: memoryLogger() })
    ).toThrow(/uses plain http; set insecure-skip-tls-verify/)
    expect(() =>
      createServingClient({
        kubeconfig: content,
        tlsInsecure: true,
        clock: instantClock(),
        log: memoryLogger()
      })
    ).not.toThrow()
  })
})

describe('updateService', () => {
  test('409 Conflict: re-reads and re-applies the mutation to the newest object', async () => {
    let stored = ksvc('10')
    let puts = 0
    const { client, server } = await clientFor((req, res) => {
      if (req.method === 'GET') return sendJson(res, 200, stored)
      puts++
      if (puts === 1) {
        // Someone else wrote between our read and our write.
        stored = ksvc('11', { owner: 'someone-else' })
        return sendJson(
          res,
          409,
          statusBody(
            409,
            'Conflict',
            'Operation cannot be fulfilled on services.serving.knative.dev "hello": the object has been modified'
          )
        )
      }
      const body = req.body as KService
      if (body.metadata.resourceVersion !== stored.metadata.resourceVersion)
        return sendJson(res, 409, statusBody(409, 'Conflict', 'stale'))
      stored = { ...body, metadata: { ...body.metadata, resourceVersion: '12' } }
      sendJson(res, 200, stored)
    })
    const seen: string[] = []
    const updated = await client.updateService('default', 'hello', (svc) => {
      seen.push(svc.metadata.resourceVersion!)
      svc.metadata.labels = { ...svc.metadata.labels, rollout: 'yes' }
      return svc
    })
    expect(seen).toEqual(['10', '11'])
    expect(updated.metadata.labels).toEqual({ owner: 'someone-else', rollout: 'yes' })
    const writes = server.requests.filter((r) => r.method === 'PUT')
    expect(writes.map((w) => (w.body as KService).metadata.resourceVersion)).toEqual(['10', '11'])
  })

  test('a mutation returning undefined writes nothing', async () => {
    const { client, server } = await clientFor((_req, res) => sendJson(res, 200, ksvc('3')))
    const got = await client.updateService('default', 'hello', () => undefined)
    expect(got.metadata.resourceVersion).toBe('3')
    expect(server.requests.map((r) => r.method)).toEqual(['GET'])
  })

  test('endless conflicts give up after the bounded attempts, backing off between them', async () => {
    const clock = instantClock()
    const { client, server } = await clientFor(
      (req, res) =>
        req.method === 'GET'
          ? sendJson(res, 200, ksvc('1'))
          : sendJson(res, 409, statusBody(409, 'Conflict', 'the object has been modified')),
      clock
    )
    const err = (await client
      .updateService('default', 'hello', (s) => s)
      .catch((e: unknown) => e)) as KubeApiError
    expect(err.code).toBe(409)
    expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(5)
    // Four waits between five attempts, each within its doubling band (half fixed, half random).
    expect(clock.sleeps).toHaveLength(4)
    clock.sleeps.forEach((ms, i) => {
      const ceiling = Math.min(160, 20 * 2 ** i)
      expect(ms).toBeGreaterThanOrEqual(ceiling / 2)
      expect(ms).toBeLessThanOrEqual(ceiling)
    })
  })

  test('a Service just read is written over without reading it again', async () => {
    const { client, server } = await clientFor((req, res) =>
      req.method === 'GET'
        ? sendJson(res, 200, ksvc('4'))
        : sendJson(res, 200, {
            ...(req.body as KService),
            metadata: { name: 'hello', resourceVersion: '5' }
          })
    )
    await client.getService('default', 'hello')
    await client.updateService('default', 'hello', (svc) => svc)
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'PUT'])
    expect((server.requests[1]!.body as KService).metadata.resourceVersion).toBe('4')
  })

  test('a stale remembered read is a 409 that does not count: read again, decided again', async () => {
    let stored = ksvc('4')
    const { client, server } = await clientFor((req, res) => {
      if (req.method === 'GET') return sendJson(res, 200, stored)
      const body = req.body as KService
      if (body.metadata.resourceVersion !== stored.metadata.resourceVersion)
        return sendJson(res, 409, statusBody(409, 'Conflict', 'the object has been modified'))
      stored = { ...body, metadata: { ...body.metadata, resourceVersion: '9' } }
      sendJson(res, 200, stored)
    })
    await client.getService('default', 'hello')
    stored = ksvc('7', { owner: 'someone-else' }) // written by someone after our read
    const seen: string[] = []
    const updated = await client.updateService('default', 'hello', (svc) => {
      seen.push(svc.metadata.resourceVersion!)
      return svc
    })
    expect(seen).toEqual(['4', '7'])
    expect(updated.metadata.labels).toEqual({ owner: 'someone-else' })
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET', 'PUT'])
  })

  test('a refusal or "no write" decided on a remembered read is decided again on a fresh one', async () => {
    let rv = 4
    const { client, server } = await clientFor((_req, res) =>
      sendJson(res, 200, ksvc(String(rv++)))
    )
    await client.getService('default', 'hello')
    const seen: string[] = []
    await client.updateService('default', 'hello', (svc) => {
      seen.push(svc.metadata.resourceVersion!)
      return undefined
    })
    expect(seen).toEqual(['4', '5'])
    const refused = await client
      .getService('default', 'hello')
      .then(() =>
        client.updateService('default', 'hello', (svc) => {
          throw new Error(`refused at ${svc.metadata.resourceVersion}`)
        })
      )
      .catch((e: Error) => e.message)
    expect(refused).toBe('refused at 7')
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'GET'])
  })

  test('a read older than a second is read again before writing', async () => {
    let now = 0
    const clock: Clock = { now: () => now, sleep: () => Promise.resolve() }
    const { client, server } = await clientFor(
      (req, res) =>
        req.method === 'GET'
          ? sendJson(res, 200, ksvc('4'))
          : sendJson(res, 200, {
              ...(req.body as KService),
              metadata: { name: 'hello', resourceVersion: '5' }
            }),
      clock
    )
    await client.getService('default', 'hello')
    now += 1_001
    await client.updateService('default', 'hello', (svc) => svc)
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'PUT'])
  })

  test('updating a missing service is a 404 error', async () => {
    const { client } = await clientFor((_req, res) =>
      sendJson(res, 404, statusBody(404, 'NotFound', 'not found'))
    )
    await expect(client.updateService('default', 'hello', (s) => s)).rejects.toMatchObject({
      code: 404
    })
  })
})

describe('waitForRevision / waitForService', () => {
  const list = (items: unknown[], rv: string) => ({
    kind: 'RevisionList',
    apiVersion: 'serving.knative.dev/v1',
    metadata: { resourceVersion: rv },
    items
  })

  test('the watch delivers the state the predicate waits for', async () => {
    const { client, server } = await clientFor((req, res) => {
      if (req.query.get('watch') !== 'true')
        return sendJson(res, 200, list([revision('5', 'Unknown')], '5'))
      watchEvents(
        res,
        [
          { type: 'MODIFIED', object: revision('6', 'Unknown') },
          { type: 'MODIFIED', object: revision('7', 'True') }
        ],
        false
      )
    }, wallClock)
    const rev = await client.waitForRevision('default', 'hello-00002', isReady, 10_000)
    expect(rev.metadata.resourceVersion).toBe('7')
    const watch = server.requests.find((r) => r.query.get('watch') === 'true')!
    expect(watch.path).toBe(REV_PATH)
    expect(watch.query.get('fieldSelector')).toBe('metadata.name=hello-00002')
    expect(watch.query.get('resourceVersion')).toBe('5')
  })

  test('right after our write, the wait watches from what the write returned, without a list', async () => {
    const { client, server } = await clientFor((req, res) => {
      if (req.method === 'PUT')
        return sendJson(res, 200, {
          ...(req.body as KService),
          metadata: { name: 'hello', namespace: 'default', resourceVersion: '8' }
        })
      if (req.query.get('watch') !== 'true') return sendJson(res, 200, ksvc('6'))
      watchEvents(
        res,
        [{ type: 'MODIFIED', object: { ...ksvc('9'), status: { observedGeneration: 1 } } }],
        false
      )
    }, wallClock)
    await client.getService('default', 'hello')
    await client.updateService('default', 'hello', (svc) => svc)
    const shown = await client.waitForService(
      'default',
      'hello',
      (s) => s.status !== undefined,
      10_000
    )
    expect(shown.metadata.resourceVersion).toBe('9')
    expect(
      server.requests.map((r) => `${r.method}${r.query.get('watch') ? ' watch' : ''}`)
    ).toEqual(['GET', 'PUT', 'GET watch'])
    expect(server.requests[2]!.query.get('resourceVersion')).toBe('8')
  })

  test('already true at list time: no watch', async () => {
    const { client, server } = await clientFor(
      (_req, res) => sendJson(res, 200, list([revision('5', 'True')], '5')),
      wallClock
    )
    await client.waitForRevision('default', 'hello-00002', isReady, 10_000)
    expect(server.requests.filter((r) => r.query.get('watch') === 'true')).toHaveLength(0)
  })

  test('a watch the server closes mid-way is resumed from the last resourceVersion', async () => {
    let watches = 0
    const { client, server } = await clientFor((req, res) => {
      if (req.query.get('watch') !== 'true')
        return sendJson(res, 200, list([revision('5', 'Unknown')], '5'))
      watches++
      if (watches === 1)
        return watchEvents(res, [{ type: 'MODIFIED', object: revision('6', 'Unknown') }], true)
      watchEvents(res, [{ type: 'MODIFIED', object: revision('9', 'True') }], false)
    }, wallClock)
    const rev = await client.waitForRevision('default', 'hello-00002', isReady, 10_000)
    expect(rev.metadata.resourceVersion).toBe('9')
    const watchRvs = server.requests
      .filter((r) => r.query.get('watch') === 'true')
      .map((r) => r.query.get('resourceVersion'))
    expect(watchRvs).toEqual(['5', '6'])
    expect(server.requests.filter((r) => r.query.get('watch') !== 'true')).toHaveLength(1)
  })

  test('a silent watch hit by the inactivity timeout is reconnected', async () => {
    let watches = 0
    const { client, server } = await clientFor(
      (req, res) => {
        if (req.query.get('watch') !== 'true')
          return sendJson(res, 200, list([revision('5', 'Unknown')], '5'))
        watches++
        if (watches === 1) return watchEvents(res, [], false) // open, silent
        watchEvents(res, [{ type: 'MODIFIED', object: revision('8', 'True') }], false)
      },
      wallClock,
      150
    )
    const rev = await client.waitForRevision('default', 'hello-00002', isReady, 10_000)
    expect(rev.metadata.resourceVersion).toBe('8')
    expect(
      server.requests
        .filter((r) => r.query.get('watch') === 'true')
        .map((r) => r.query.get('resourceVersion'))
    ).toEqual(['5', '5'])
  })

  test('a server that closes every watch at once is not hammered: reconnects back off', async () => {
    const sleeps: number[] = []
    const clock: Clock = {
      now: () => wallClock.now(),
      sleep: (ms, signal) => {
        sleeps.push(ms)
        // the overall timeout runs for real; backoff pauses are shortened: their requested length is what counts
        return wallClock.sleep(ms >= 10_000 ? ms : Math.min(ms, 20), signal)
      }
    }
    let watches = 0
    const { client } = await clientFor((req, res) => {
      if (req.query.get('watch') !== 'true')
        return sendJson(res, 200, list([revision('5', 'Unknown')], '5'))
      watches++
      if (watches < 5) return watchEvents(res, [], true)
      watchEvents(res, [{ type: 'MODIFIED', object: revision('6', 'True') }], false)
    }, clock)
    await client.waitForRevision('default', 'hello-00002', isReady, 10_000)
    // sleeps[0] is the overall timeout; then one pause before each of watches 3, 4 and 5
    expect(sleeps.slice(1)).toHaveLength(3)
    expect(sleeps[0]).toBe(10_000)
  })

  test('a watch answered 503 is retried, then resumes', async () => {
    let watches = 0
    const { client } = await clientFor((req, res) => {
      if (req.query.get('watch') !== 'true')
        return sendJson(res, 200, list([revision('5', 'Unknown')], '5'))
      watches++
      if (watches === 1) return sendJson(res, 503, statusBody(503, 'ServiceUnavailable', 'busy'))
      watchEvents(res, [{ type: 'MODIFIED', object: revision('6', 'True') }], false)
    }, wallClock)
    const rev = await client.waitForRevision('default', 'hello-00002', isReady, 10_000)
    expect(rev.metadata.resourceVersion).toBe('6')
    expect(watches).toBe(2)
  })

  test.each([
    {
      name: 'an ERROR event with 410 Expired',
      expire: (res: ServerResponse) =>
        watchEvents(
          res,
          [
            {
              type: 'ERROR',
              object: statusBody(410, 'Expired', 'too old resource version: 5 (20)')
            }
          ],
          true
        )
    },
    {
      name: 'an HTTP 410 answer to the watch',
      expire: (res: ServerResponse) =>
        sendJson(res, 410, statusBody(410, 'Expired', 'too old resource version'))
    }
  ])('$name: lists again', async ({ expire }) => {
    let lists = 0
    const { client, server } = await clientFor((req, res) => {
      if (req.query.get('watch') === 'true') return expire(res)
      lists++
      sendJson(
        res,
        200,
        list(
          [revision(lists === 1 ? '5' : '21', lists === 1 ? 'Unknown' : 'True')],
          lists === 1 ? '5' : '21'
        )
      )
    }, wallClock)
    const rev = await client.waitForRevision('default', 'hello-00002', isReady, 10_000)
    expect(rev.metadata.resourceVersion).toBe('21')
    expect(lists).toBe(2)
    expect(server.requests.filter((r) => r.query.get('watch') === 'true')).toHaveLength(1)
  })

  test('a service that does not exist yet is awaited until it is ADDED', async () => {
    const ready: KService = {
      ...ksvc('3'),
      status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True' }] }
    }
    const { client, server } = await clientFor((req, res) => {
      if (req.query.get('watch') !== 'true')
        return sendJson(res, 200, {
          kind: 'ServiceList',
          metadata: { resourceVersion: '2' },
          items: []
        })
      watchEvents(res, [{ type: 'ADDED', object: ready }], false)
    }, wallClock)
    const svc = await client.waitForService('default', 'hello', isReady, 10_000)
    expect(svc.metadata.resourceVersion).toBe('3')
    expect(server.requests.find((r) => r.query.get('watch') === 'true')?.path).toBe(SVC_PATH)
  })

  test('the overall timeout names the revision awaited and its last state', async () => {
    const { client } = await clientFor((req, res) => {
      if (req.query.get('watch') !== 'true')
        return sendJson(res, 200, list([revision('5', 'Unknown')], '5'))
      watchEvents(res, [], false)
    }, wallClock)
    const err = await client
      .waitForRevision('default', 'hello-00002', isReady, 300)
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WaitTimeoutError)
    expect((err as Error).message).toContain(
      'timed out after 300ms waiting for revisions.serving.knative.dev "hello-00002" in namespace "default"'
    )
    expect((err as Error).message).toContain('Ready=Unknown (Deploying)')
    expect((err as WaitTimeoutError).last).toMatchObject({ metadata: { resourceVersion: '5' } })
  })

  test('the overall timeout on a service shows the traffic last seen', async () => {
    const svc: KService = {
      ...ksvc('4'),
      status: {
        observedGeneration: 1,
        conditions: [{ type: 'Ready', status: 'True' }],
        traffic: [
          { tag: 'current', revisionName: 'hello-v1', percent: 100 },
          { tag: 'candidate', revisionName: 'hello-v2', percent: 0 }
        ]
      }
    }
    const { client } = await clientFor((req, res) => {
      if (req.query.get('watch') !== 'true')
        return sendJson(res, 200, {
          kind: 'ServiceList',
          metadata: { resourceVersion: '4' },
          items: [svc]
        })
      watchEvents(res, [], false)
    }, wallClock)
    const tenPercent = (s: KService) => (s.status?.traffic ?? []).some((t) => t.percent === 10)
    const err = await client
      .waitForService('default', 'hello', tenPercent, 300)
      .catch((e: unknown) => e)
    expect((err as Error).message).toContain('traffic current=hello-v1 100%, candidate=hello-v2 0%')
  })

  test('the abort signal ends the wait with its reason', async () => {
    const { client } = await clientFor((req, res) => {
      if (req.query.get('watch') !== 'true')
        return sendJson(res, 200, list([revision('5', 'Unknown')], '5'))
      watchEvents(res, [], false)
    }, wallClock)
    const controller = new AbortController()
    const waiting = client.waitForRevision(
      'default',
      'hello-00002',
      isReady,
      60_000,
      controller.signal
    )
    setTimeout(() => controller.abort(new Error('run cancelled')), 50)
    await expect(waiting).rejects.toThrow('run cancelled')
  })

  test('a watch rejected with 403 fails at once with the verb named', async () => {
    const { client } = await clientFor((req, res) => {
      if (req.query.get('watch') !== 'true')
        return sendJson(res, 200, list([revision('5', 'Unknown')], '5'))
      sendJson(res, 403, statusBody(403, 'Forbidden', 'cannot watch'))
    }, wallClock)
    const err = (await client
      .waitForRevision('default', 'hello-00002', isReady, 10_000)
      .catch((e: unknown) => e)) as KubeApiError
    expect(err).toBeInstanceOf(KubeApiError)
    expect(err.code).toBe(403)
    expect(err.message).toContain('watch revisions.serving.knative.dev "hello-00002"')
  })
})
