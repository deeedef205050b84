// The data plane's pure parts: host parsing, the route -> hosts table, the weighted pick,
// behaviour from env, latency jitter and the seeded random source.

import {
  behaviourFromEnv,
  sampleLatencyMs,
  withOverride
} from '../../../../emulator/dataplane/behaviour.js'
import { seededRandom } from '../../../../emulator/dataplane/random.js'
import {
  pickRevision,
  requestHost,
  routeHosts
} from '../../../../emulator/dataplane/routing-table.js'
import { route } from '../../../helpers/dataplane-fixtures.js'

describe('requestHost', () => {
  test.each([
    ['no header', undefined, ''],
    ['a plain host', 'hello.default.example.com', 'hello.default.example.com'],
    ['a port', 'hello.default.example.com:31080', 'hello.default.example.com'],
    ['upper case', 'Hello.Default.Example.COM', 'hello.default.example.com'],
    ['IPv6 with a port', '[::1]:8080', '[::1]'],
    ['IPv6 alone', '[::1]', '[::1]']
  ])('%s', (_name, header, host) => {
    expect(requestHost(header)).toBe(host)
  })
})

describe('routeHosts', () => {
  const hosts = routeHosts(
    route('web', [
      { revisionName: 'web-1', percent: 90, tag: 'current' },
      { revisionName: 'web-2', percent: 10 },
      { revisionName: 'web-2', percent: 0, tag: 'candidate' }
    ]),
    'example.com'
  )

  test.each([
    ['main, external', 'web.default.example.com', 'DEFAULT', ['web-1', 'web-2'], [90, 100]],
    [
      'main, cluster-local',
      'web.default.svc.cluster.local',
      'DEFAULT',
      ['web-1', 'web-2'],
      [90, 100]
    ],
    ['tag current', 'current-web.default.example.com', 'current', ['web-1'], [100]],
    ['0% tag candidate', 'candidate-web.default.svc', 'candidate', ['web-2'], [100]]
  ])('%s', (_name, host, routeTag, revisions, cumulative) => {
    expect(hosts.get(host)).toMatchObject({
      namespace: 'default',
      route: 'web',
      routeTag,
      revisions,
      cumulative
    })
  })

  test('a Route whose traffic is all at 0% has tag hosts but no main host', () => {
    const onlyTags = routeHosts(
      route('t', [{ revisionName: 't-1', percent: 0, tag: 'x' }]),
      'example.com'
    )
    expect(onlyTags.has('t.default.example.com')).toBe(false)
    expect(onlyTags.has('x-t.default.example.com')).toBe(true)
  })
})

describe('pickRevision', () => {
  const target = {
    namespace: 'default',
    route: 'r',
    routeTag: 'DEFAULT',
    revisions: ['a', 'b', 'c'],
    cumulative: [25, 75, 100],
    total: 100
  }
  test.each([
    ['the lowest draw', 0, 'a'],
    ['just under the first edge', 0.2499, 'a'],
    ['on the first edge', 0.25, 'b'],
    ['inside the middle', 0.5, 'b'],
    ['the highest draw', 0.9999, 'c']
  ])('%s', (_name, r, expected) => {
    expect(pickRevision(target, r)).toBe(expected)
  })
})

describe('behaviourFromEnv', () => {
  test.each([
    ['no env', undefined, { errorRate: 0, latencyMs: 0, target: 'World' }],
    [
      'all set',
      [
        { name: 'EMULATOR_ERROR_RATE', value: '0.25' },
        { name: 'EMULATOR_LATENCY_MS', value: '120' },
        { name: 'TARGET', value: 'Go Sample v1' }
      ],
      { errorRate: 0.25, latencyMs: 120, target: 'Go Sample v1' }
    ],
    ['a rate above 1 is clamped', [{ name: 'EMULATOR_ERROR_RATE', value: '3' }], { errorRate: 1 }],
    ['a negative latency is 0', [{ name: 'EMULATOR_LATENCY_MS', value: '-5' }], { latencyMs: 0 }],
    ['junk is ignored', [{ name: 'EMULATOR_ERROR_RATE', value: 'lots' }], { errorRate: 0 }],
    ['an empty TARGET is World', [{ name: 'TARGET', value: '' }], { target: 'World' }]
  ])('%s', (_name, env, expected) => {
    expect(behaviourFromEnv(env)).toMatchObject(expected)
  })

  test('an override replaces only the fields it sets', () => {
    const base = { errorRate: 0.1, latencyMs: 50, target: 'x' }
    expect(withOverride(base, { errorRate: 0.9 })).toEqual({
      errorRate: 0.9,
      latencyMs: 50,
      target: 'x'
    })
  })
})

describe('latency jitter', () => {
  const quantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))]
  const samples = (latency: number) => {
    const random = seededRandom(7)
    return Array.from({ length: 5000 }, () => sampleLatencyMs(latency, random)).sort(
      (a, b) => a - b
    )
  }

  test('is centred on the configured latency with p99 above p50, within bounds', () => {
    const s = samples(100)
    expect(quantile(s, 0.5)).toBeGreaterThan(95)
    expect(quantile(s, 0.5)).toBeLessThan(105)
    expect(quantile(s, 0.99)).toBeGreaterThan(quantile(s, 0.5) * 1.2)
    expect(quantile(s, 0.99)).toBeLessThan(200)
    expect(s[0]).toBeGreaterThan(0)
  })

  test('no configured latency means no delay at all', () => {
    expect(samples(0).every((v) => v === 0)).toBe(true)
  })
})

describe('seededRandom', () => {
  test('the same seed gives the same sequence in [0, 1)', () => {
    const a = seededRandom(1)
    const b = seededRandom(1)
    const seqA = Array.from({ length: 100 }, a)
    expect(Array.from({ length: 100 }, b)).toEqual(seqA)
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true)
    expect(new Set(seqA).size).toBe(100)
  })
})
