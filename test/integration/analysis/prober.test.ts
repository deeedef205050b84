// The HTTP prober against a real local server.

import { getEventListeners } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHttpProber } from '../../../src/analysis/prober.js'
import { summarise } from '../../../src/analysis/stats.js'
import { wallClock } from '../../../src/clock.js'
import type { Clock } from '../../../src/rollout/ports.js'

interface Seen {
  path: string
  host: string | undefined
}

let base = ''
const seen: Seen[] = []
let inFlight = 0
let maxInFlight = 0
const server = http.createServer((req, res) => {
  seen.push({ path: req.url ?? '', host: req.headers.host })
  const finish = (code: number): void => {
    res.writeHead(code).end(code === 200 ? 'Hello World!' : 'boom')
  }
  if (req.url === '/ok') finish(200)
  else if (req.url === '/fail') finish(500)
  else if (req.url === '/flaky')
    finish(seen.filter((s) => s.path === '/flaky').length % 2 === 0 ? 503 : 200)
  else if (req.url === '/slow') {
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    setTimeout(() => {
      inFlight--
      finish(200)
    }, 40)
  } else if (req.url === '/hang')
    return // never answers: the per-request timeout ends it
  else finish(404)
})

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})
beforeEach(() => {
  seen.length = 0
  maxInFlight = 0
})

/** Virtual time: sleeping advances it at once, so the schedule is exact and instant. */
function virtualClock(start = 1_000_000): Clock {
  let t = start
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms
    }
  }
}

describe('createHttpProber', () => {
  test.each([
    { name: '20 rps for 500 ms sends 10', rps: 20, durationMs: 500, expected: 10 },
    { name: '5 rps for 2 s sends 10', rps: 5, durationMs: 2000, expected: 10 },
    { name: '0.5 rps for 4 s sends 2', rps: 0.5, durationMs: 4000, expected: 2 },
    { name: 'a zero duration sends none', rps: 10, durationMs: 0, expected: 0 }
  ])('$name', async ({ rps, durationMs, expected }) => {
    const samples = await createHttpProber(virtualClock()).probe(
      { url: `${base}/ok` },
      rps,
      durationMs
    )
    expect(samples).toHaveLength(expected)
    expect(seen).toHaveLength(expected)
    expect(samples.every((s) => s.status === 200)).toBe(true)
  })

  test('requests start on an even schedule, not in a burst', async () => {
    const samples = await createHttpProber(virtualClock(0)).probe({ url: `${base}/ok` }, 4, 2000)
    expect(samples.map((s) => s.at)).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750])
  })

  test('with the wall clock the count is still rps × duration', async () => {
    const samples = await createHttpProber(wallClock).probe({ url: `${base}/ok` }, 50, 200)
    expect(samples).toHaveLength(10)
  })

  test('the Host header is sent when probing through the ingress address', async () => {
    await createHttpProber(virtualClock()).probe(
      { url: `${base}/ok`, host: 'candidate-hello.default.example.com' },
      10,
      300
    )
    expect(seen.map((s) => s.host)).toEqual(Array(3).fill('candidate-hello.default.example.com'))
  })

  test('without a host the URL’s own host is sent', async () => {
    await createHttpProber(virtualClock()).probe({ url: `${base}/ok` }, 10, 100)
    expect(seen[0].host).toBe(base.replace('http://', ''))
  })

  test.each([
    { name: '5xx answers are counted as errors', path: '/fail', status: 500, errors: 4 },
    { name: 'half failing', path: '/flaky', status: undefined, errors: 2 },
    { name: 'a hanging server times out with status 0', path: '/hang', status: 0, errors: 4 }
  ])('$name', async ({ path, status, errors }) => {
    const prober = createHttpProber(virtualClock(), { requestTimeoutMs: 150 })
    const samples = await prober.probe({ url: `${base}${path}` }, 10, 400)
    expect(samples).toHaveLength(4)
    if (status !== undefined) expect(samples.every((s) => s.status === status)).toBe(true)
    expect(summarise(samples).errors).toBe(errors)
  })

  test('connection refused is status 0 for every request', async () => {
    const closed = http.createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise((r) => closed.close(r))
    const samples = await createHttpProber(virtualClock()).probe(
      { url: `http://127.0.0.1:${port}/` },
      10,
      300
    )
    expect(samples.map((s) => s.status)).toEqual([0, 0, 0])
  })

  test('requests in flight never exceed the bound', async () => {
    // Virtual time starts all 12 at once; only the bound holds them back.
    const samples = await createHttpProber(virtualClock(), { maxConcurrency: 3 }).probe(
      { url: `${base}/slow` },
      40,
      300
    )
    expect(samples).toHaveLength(12)
    expect(maxInFlight).toBeLessThanOrEqual(3)
    expect(maxInFlight).toBeGreaterThan(1)
  })

  test('an aborted probe rejects with the reason', async () => {
    const controller = new AbortController()
    const probing = createHttpProber(wallClock).probe(
      { url: `${base}/ok` },
      10,
      10_000,
      controller.signal
    )
    setTimeout(() => controller.abort(new Error('step cancelled')), 100)
    await expect(probing).rejects.toThrow('step cancelled')
  })

  test('a request past its timeout is status 0 with TIMEOUT', async () => {
    const prober = createHttpProber(virtualClock(), { requestTimeoutMs: 100 })
    const samples = await prober.probe({ url: `${base}/hang` }, 10, 200)
    expect(samples.map((s) => [s.status, s.error])).toEqual([
      [0, 'TIMEOUT'],
      [0, 'TIMEOUT']
    ])
  })

  test('an abort ends the requests in flight at once, not at their timeout', async () => {
    const controller = new AbortController()
    // Jest's 5 s limit fails this if the hanging requests wait for their minute.
    const probing = createHttpProber(virtualClock(), { requestTimeoutMs: 60_000 }).probe(
      { url: `${base}/hang` },
      10,
      300,
      controller.signal
    )
    setTimeout(() => controller.abort(new Error('run cancelled')), 100)
    await expect(probing).rejects.toThrow('run cancelled')
  })

  test('requests leave no listener on the run signal behind', async () => {
    // The run's signal lives as long as the rollout: a listener per request would pile up.
    const controller = new AbortController()
    const samples = await createHttpProber(virtualClock()).probe(
      { url: `${base}/ok` },
      50,
      400,
      controller.signal
    )
    expect(samples).toHaveLength(20)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })
})
