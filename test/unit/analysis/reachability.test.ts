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
