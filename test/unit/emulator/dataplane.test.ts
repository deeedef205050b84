// The ingress over real HTTP on loopback: host routing, the weighted split (seeded),
// tag hosts, simulated revision behaviour and live overrides.

import { ApiError } from '../../../emulator/api-error.js'
import { REVISIONS, ROUTES } from '../../../emulator/resources.js'
import {
  countBy,
  revision,
  route,
  startDataPlane,
  type Reply,
  type Running
} from '../../helpers/dataplane-fixtures.js'

const byRevision = (replies: Reply[]) => countBy(replies, (r) => r.revision)

describe('ingress routing', () => {
  let dp: Running
  beforeAll(async () => {
    dp = await startDataPlane([
      revision('hello-00001', { TARGET: 'one' }),
      revision('hello-00002', { TARGET: 'two' }),
      revision('hello-00003', { TARGET: 'three' }),
      route('hello', [
        { revisionName: 'hello-00001', percent: 50, tag: 'current' },
        { revisionName: 'hello-00002', percent: 50, tag: 'candidate' },
        { revisionName: 'hello-00003', percent: 0, tag: 'latest' }
      ]),
      revision('other-00001', {}, { namespace: 'team-a', service: 'other' }),
      route('other', [{ revisionName: 'other-00001', percent: 100 }], 'team-a')
    ])
  })
  afterAll(() => dp.close())

  test('the main host splits 50/50: each body at least 25% of 200 requests, no other body', async () => {
    const replies = await dp.many('hello.default.example.com', 200)
    const bodies = countBy(replies, (r) => r.body)
    expect(Object.keys(bodies).sort()).toEqual(['Hello one!\n', 'Hello two!\n'])
    expect(bodies['Hello one!\n']).toBeGreaterThanOrEqual(50)
    expect(bodies['Hello two!\n']).toBeGreaterThanOrEqual(50)
  })

  test.each([
    ['tag current', 'current-hello.default.example.com', 'hello-00001', 'Hello one!\n'],
    ['tag candidate', 'candidate-hello.default.example.com', 'hello-00002', 'Hello two!\n'],
    ['a 0% tag', 'latest-hello.default.example.com', 'hello-00003', 'Hello three!\n'],
    [
      'a tag, cluster-local',
      'latest-hello.default.svc.cluster.local',
      'hello-00003',
      'Hello three!\n'
    ],
    [
      'a host with a port',
      'candidate-hello.default.example.com:8080',
      'hello-00002',
      'Hello two!\n'
    ],
    ['another namespace, upper case', 'OTHER.team-a.example.com', 'other-00001', 'Hello World!\n'],
    ['svc.cluster.local', 'other.team-a.svc.cluster.local', 'other-00001', 'Hello World!\n'],
    ['svc', 'other.team-a.svc', 'other-00001', 'Hello World!\n'],
    ['name.namespace', 'other.team-a', 'other-00001', 'Hello World!\n']
  ])('%s: 100%% of requests to one revision', async (_name, host, rev, body) => {
    const replies = await dp.many(host, 40)
    expect(byRevision(replies)).toEqual({ [rev]: 40 })
    expect(countBy(replies, (r) => r.body)).toEqual({ [body]: 40 })
    expect(replies.every((r) => r.status === 200)).toBe(true)
  })

  test('a 0% revision never answers on the main host', async () => {
    const replies = await dp.many('hello.default.svc.cluster.local', 200)
    expect(byRevision(replies)['hello-00003']).toBeUndefined()
  })

  test('the Knative-Serving-Revision and -Namespace headers name who answered', async () => {
    const reply = await dp.get('other.team-a.example.com', '/any/path?q=1')
    expect(reply).toEqual({
      status: 200,
      body: 'Hello World!\n',
      revision: 'other-00001',
      namespace: 'team-a'
    })
  })

  test.each([
    ['an unknown route', 'nope.default.example.com'],
    ['an unknown tag', 'stable-hello.default.example.com'],
    ['the wrong namespace', 'hello.team-a.example.com'],
    ['the wrong domain', 'hello.default.example.org'],
    ['a bare address', '127.0.0.1']
  ])('%s is 404 with a short body', async (_name, host) => {
    const reply = await dp.get(host)
    expect(reply.status).toBe(404)
    expect(reply.revision).toBeUndefined()
    expect(reply.body.length).toBeGreaterThan(0)
    expect(reply.body.length).toBeLessThan(80)
  })
})

describe('routing follows the published status', () => {
  let dp: Running
  beforeEach(async () => {
    dp = await startDataPlane([revision('r-00001'), revision('r-00002'), route('r', [])])
  })
  afterEach(() => dp.close())

  const publish = (traffic: object[]) => {
    const current = dp.store.get(ROUTES, 'default', 'r')!
    dp.store.update(
      ROUTES,
      { ...current, status: { ...current.status, traffic } },
      { subresource: 'status' }
    )
  }

  test('a Route with no status.traffic serves nothing yet, whatever its spec says', async () => {
    expect((await dp.get('r.default.example.com')).status).toBe(404)
  })

  test('a status update moves traffic on the next request', async () => {
    publish([{ revisionName: 'r-00001', percent: 100 }])
    expect(byRevision(await dp.many('r.default.example.com', 20))).toEqual({ 'r-00001': 20 })
    publish([
      { revisionName: 'r-00001', percent: 0, tag: 'current' },
      { revisionName: 'r-00002', percent: 100 }
    ])
    expect(byRevision(await dp.many('r.default.example.com', 20))).toEqual({ 'r-00002': 20 })
    expect(byRevision(await dp.many('current-r.default.example.com', 5))).toEqual({ 'r-00001': 5 })
  })

  test('entries for one revision are consolidated: 30+30 vs 40 splits about 60/40', async () => {
    publish([
      { revisionName: 'r-00001', percent: 30, tag: 'a' },
      { revisionName: 'r-00001', percent: 30, tag: 'b' },
      { revisionName: 'r-00002', percent: 40 }
    ])
    const counts = byRevision(await dp.many('r.default.example.com', 400))
    expect(counts['r-00001']).toBeGreaterThan(200) // expected 240, sd ~10
    expect(counts['r-00002']).toBeGreaterThan(120) // expected 160
  })

  test('a deleted Route stops serving', async () => {
    publish([{ revisionName: 'r-00001', percent: 100 }])
    dp.store.delete(ROUTES, 'default', 'r')
    expect((await dp.get('r.default.example.com')).status).toBe(404)
  })

  test('a host two Routes claim stays with the first, then passes to the other', async () => {
    // Route `r` tag `x` and Route `x-r` both want x-r.default.example.com.
    publish([
      { revisionName: 'r-00001', percent: 100 },
      { revisionName: 'r-00001', percent: 0, tag: 'x' }
    ])
    dp.store.create(ROUTES, route('x-r', [{ revisionName: 'r-00002', percent: 100 }]))
    expect((await dp.get('x-r.default.example.com')).revision).toBe('r-00001')
    dp.store.delete(ROUTES, 'default', 'r')
    expect((await dp.get('x-r.default.example.com')).revision).toBe('r-00002')
  })

  test('a route to a deleted revision is 503', async () => {
    publish([{ revisionName: 'r-00001', percent: 100 }])
    dp.store.delete(REVISIONS, 'default', 'r-00001')
    const reply = await dp.get('r.default.example.com')
    expect(reply.status).toBe(503)
  })

  test('a changed cluster domain is used on the next request', async () => {
    publish([{ revisionName: 'r-00001', percent: 100 }])
    dp.settings.domain = 'knative.test'
    expect((await dp.get('r.default.knative.test')).status).toBe(200)
  })
})

describe('simulated revisions', () => {
  let dp: Running
  beforeAll(async () => {
    dp = await startDataPlane([
      revision('flaky-00001', { EMULATOR_ERROR_RATE: '0.2' }),
      route('flaky', [{ revisionName: 'flaky-00001', percent: 100 }]),
      revision('slow-00001', { EMULATOR_LATENCY_MS: '50' }),
      route('slow', [{ revisionName: 'slow-00001', percent: 100 }]),
      revision('steady-00001', { TARGET: 'Knative' }),
      route('steady', [{ revisionName: 'steady-00001', percent: 100 }])
    ])
  })
  afterAll(() => dp.close())

  test('EMULATOR_ERROR_RATE=0.2 answers about 20% 500s (400 requests, 4 sigma)', async () => {
    const replies = await dp.many('flaky.default.example.com', 400)
    const codes = countBy(replies, (r) => String(r.status))
    expect(Object.keys(codes).sort()).toEqual(['200', '500'])
    expect(codes['500'] / 400).toBeGreaterThan(0.2 - 0.08)
    expect(codes['500'] / 400).toBeLessThan(0.2 + 0.08)
    expect(replies.find((r) => r.status === 500)!.body).toBe('Internal Server Error\n')
  })

  test('EMULATOR_LATENCY_MS=50 delays every answer (recorded latency well above zero)', async () => {
    dp.settings.knativeVersion = '1.18' // the OpenCensus names, in ms
    await dp.many('slow.default.example.com', 20)
    const sample = (suffix: string) => {
      const line = dp.dataPlane
        .metrics()
        .split('\n')
        .find(
          (l) =>
            l.startsWith(`revision_app_request_latencies_${suffix}{`) && l.includes('slow-00001')
        )
      return Number(line!.split(' ').pop())
    }
    expect(sample('count')).toBe(20)
    expect(sample('sum') / sample('count')).toBeGreaterThanOrEqual(35) // jitter's p1 is 0.7x
  })

  test.each([
    ['errorRate 1 fails every request', { errorRate: 1 }, { '500': 10 }],
    ['errorRate 0 heals it again', { errorRate: 0 }, { '200': 10 }]
  ])('setBehaviour: %s', async (_name, override, expected) => {
    dp.dataPlane.setBehaviour('default', 'flaky-00001', override)
    const replies = await dp.many('flaky.default.example.com', 10)
    expect(countBy(replies, (r) => String(r.status))).toEqual(expected)
  })

  test('setBehaviour latency applies on top of the env and keeps the TARGET', async () => {
    dp.dataPlane.setBehaviour('default', 'steady-00001', { latencyMs: 40 })
    dp.settings.knativeVersion = '1.18'
    const replies = await dp.many('steady.default.example.com', 5)
    expect(countBy(replies, (r) => r.body)).toEqual({ 'Hello Knative!\n': 5 })
    const line = dp.dataPlane
      .metrics()
      .split('\n')
      .find(
        (l) =>
          l.startsWith('revision_app_request_latencies_bucket{') &&
          l.includes('steady-00001') &&
          l.includes('le="10"')
      )
    expect(line!.endsWith(' 0')).toBe(true) // none answered within 10 ms
  })

  test.each([
    ['an unknown revision', 'default', 'nope-00001', { errorRate: 0.5 }, 404],
    ['a revision in another namespace', 'team-a', 'flaky-00001', { errorRate: 0.5 }, 404],
    ['an error rate above 1', 'default', 'flaky-00001', { errorRate: 1.5 }, 400],
    ['a negative latency', 'default', 'flaky-00001', { latencyMs: -1 }, 400]
  ])('setBehaviour rejects %s', (_name, ns, rev, override, code) => {
    let thrown: unknown
    try {
      dp.dataPlane.setBehaviour(ns, rev, override)
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(ApiError)
    expect((thrown as ApiError).code).toBe(code)
  })
})
