import {
  countNetworkErrors,
  currentAsBadReason,
  judgeReachability,
  type ReachSample
} from '../../../src/analysis/reachability.js'

const ok = (n: number): ReachSample[] => Array.from({ length: n }, () => ({ status: 200 }))
const net = (
  n: number,
  error = 'getaddrinfo ENOTFOUND current-hello.default.example.com'
): ReachSample[] => Array.from({ length: n }, () => ({ status: 0, error }))
const err5 = (n: number): ReachSample[] => Array.from({ length: n }, () => ({ status: 503 }))
const URL = 'http://current-hello.default.example.com'

describe('judgeReachability', () => {
  it.each<[string, ReachSample[], boolean]>([
    ['all answers fine', ok(5), true],
    ['one answer among network errors', [...net(4), ...ok(1)], true],
    ['a 404 still proves the route', [{ status: 404 }], true],
    ['DNS failure everywhere', net(5), false],
    ['every answer a 503', err5(5), false],
    ['no probe at all', [], false]
  ])('%s', (_name, samples, reachable) => {
    expect(judgeReachability(URL, samples).reachable).toBe(reachable)
  })

  it('names the URL, the network error and the likely fix', () => {
    const r = judgeReachability(URL, net(3))
    expect(r).toMatchObject({ reachable: false, networkErrors: 3 })
    if (r.reachable) throw new Error('unreachable expected')
    expect(r.message).toContain(URL)
    expect(r.message).toContain('ENOTFOUND')
    expect(r.message).toContain('ingress-address')
  })

  it('escapes a hostile network error', () => {
    const r = judgeReachability(URL, net(1, 'x\n::error::owned'))
    if (r.reachable) throw new Error('unreachable expected')
    expect(r.message).not.toContain('\n')
  })
})

describe('currentAsBadReason', () => {
  it.each<[string, ReachSample[], ReachSample[], boolean]>([
    ['both unreachable', net(10), net(10), true],
    ['current worse than candidate', net(10), [...net(6), ...ok(4)], true],
    ['healthy current, bad candidate', ok(10), net(10), false],
    ['current mildly bad, candidate worse', [...net(2), ...ok(8)], net(10), false],
    ['current mostly failing, candidate worse', [...net(6), ...ok(4)], net(10), false],
    ['no current data', [], net(10), false]
  ])('%s', (_name, current, candidate, applies) => {
    expect(currentAsBadReason(current, candidate) !== undefined).toBe(applies)
  })
})

it('counts network errors', () => {
  expect(countNetworkErrors([...net(2), ...ok(3), ...err5(1)])).toBe(2)
})

describe('judgeReachability: what the setup error says', () => {
  const FIX =
    "This is a setup problem, not the candidate: set ingress-address to the ingress gateway's " +
    "address, check the Knative domain, or check that the runner's network can reach the " +
    'cluster. Nothing was changed.'
  const said = (what: string) => `the current revision is not reachable at ${URL}: ${what}. ${FIX}`
  it.each<[string, ReachSample[], string, number]>([
    ['no probe at all', [], 'no probe was sent', 0],
    [
      'every request failed on the network: the first error is named',
      [...net(2, 'ECONNREFUSED'), ...net(1)],
      'every request failed on the network (ECONNREFUSED)',
      3
    ],
    [
      'a network error without a message',
      [{ status: 0 }],
      'every request failed on the network (no answer)',
      1
    ],
    ['a 500 is a failed answer, not a route', [{ status: 500 }], 'every answer failed (500)', 0],
    [
      'network errors and 5xx answers: the first 5xx status is named',
      [...net(2), { status: 502 }, { status: 503 }],
      'every answer failed (502)',
      2
    ]
  ])('%s', (_name, samples, what, networkErrors) => {
    expect(judgeReachability(URL, samples)).toEqual({
      reachable: false,
      networkErrors,
      message: said(what)
    })
  })

  it('a 499 is an answer below 500: the route works', () => {
    expect(judgeReachability(URL, [...err5(3), { status: 499 }])).toEqual({ reachable: true })
  })
})

describe('currentAsBadReason: when it applies and what it says', () => {
  it.each<[string, ReachSample[], ReachSample[], string | undefined]>([
    [
      'both unreachable: the rates and every network error counted',
      net(10),
      [...net(6), ...err5(4)],
      'the current revision fails as badly as the candidate (100.0% against 100.0%, 16 network errors): not evidence against the candidate'
    ],
    [
      'exactly the threshold (half of the current failing) applies',
      [...err5(5), ...ok(5)],
      [...net(2), ...ok(8)],
      'the current revision fails as badly as the candidate (50.0% against 20.0%, 2 network errors): not evidence against the candidate'
    ],
    [
      'a current worse than the candidate but mostly healthy: the candidate is judged',
      [...net(2), ...ok(8)],
      [...net(1), ...ok(9)],
      undefined
    ],
    [
      'a 30% failing current is under the default threshold',
      [...net(3), ...ok(7)],
      [...net(1), ...ok(9)],
      undefined
    ]
  ])('%s', (_name, current, candidate, reason) => {
    expect(currentAsBadReason(current, candidate)).toBe(reason)
  })

  it('the threshold is a parameter', () => {
    expect(currentAsBadReason([...net(3), ...ok(7)], [...net(1), ...ok(9)], 0.3)).toBe(
      'the current revision fails as badly as the candidate (30.0% against 10.0%, 4 network errors): not evidence against the candidate'
    )
  })
})
