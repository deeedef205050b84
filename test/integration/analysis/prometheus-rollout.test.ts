// Metric checks through full rollouts: a real Prometheus scrapes the emulator's queue-proxy
// metrics while users' traffic flows through its ingress, and the rollout's `metrics`
// (the built-in request-success-rate, or a query with no data) decide the steps. Requests
// to Prometheus pass a loopback proxy that demands credentials, as a secured one would.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { wallClock } from '../../../src/clock.js'
import { PrometheusClient, type PrometheusAuth } from '../../../src/analysis/prometheus.js'
import { createStepChecks } from '../../../src/rollout/step-checks.js'
import { readState } from '../../../src/rollout/state.js'
import { withEmulator } from '../../helpers/emulator.js'
import { startPrometheus, type RunningPrometheus } from '../../helpers/prometheus.js'
import { rolloutRig, split, userTraffic, type RolloutRig } from '../../helpers/rollout-e2e.js'
import { parseMetricChecks } from '../../../src/analysis/metric-checks.js'

const TOKEN = 's3cret-token-for-prometheus'
const BASIC = { username: 'grafana', password: 'pa55-word' }

const emulator = withEmulator({ knativeVersion: '1.18' }) // asserts the OpenCensus source
let rig: RolloutRig
let prometheus: RunningPrometheus
let proxy: { url: string; seen: string[]; server: Server }

/** Forwards to Prometheus only with the bearer token or the basic credentials; 401 otherwise. */
async function authProxy(upstream: string) {
  const seen: string[] = []
  const allowed = [
    `Bearer ${TOKEN}`,
    `Basic ${Buffer.from(`${BASIC.username}:${BASIC.password}`).toString('base64')}`
  ]
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const auth = req.headers.authorization ?? ''
      seen.push(auth)
      if (!allowed.includes(auth)) {
        res.writeHead(401, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ status: 'error', error: 'unauthorized' }))
        return
      }
      fetch(upstream + req.url, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'text/plain' },
        body: req.method === 'GET' ? undefined : Buffer.concat(chunks)
      }).then(
        async (r) => {
          res.writeHead(r.status, { 'content-type': 'application/json' })
          res.end(await r.text())
        },
        () => res.writeHead(502).end()
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, seen, server }
}

beforeAll(async () => {
  rig = await rolloutRig(emulator())
  prometheus = await startPrometheus([new URL(emulator().apiUrl).host])
  proxy = await authProxy(prometheus.url)
}, 60_000)
afterAll(async () => {
  await new Promise((resolve) => proxy.server.close(resolve))
  await prometheus.stop()
  await rig.cleanup()
})

const SUCCESS_RATE = `
- name: request-success-rate
  interval: 10s
  thresholdRange: { min: 99 }
`
/** A p99 no revision meets (every answer takes more than 1 ms): fails whatever the judge says. */
const DURATION_1MS = `
- name: request-duration
  interval: 10s
  thresholdRange: { max: 1 }
`
const NO_DATA = `
- name: ghost-errors
  query: sum(rate(no_such_metric_total{revision="{{ revision }}"}[{{ interval }}]))
  interval: 10s
  thresholdRange: { max: 1 }
`

describe.each([
  {
    name: 'healthy candidate, judged on users’ traffic, the metric check passes → promoted',
    svc: 'metric-healthy',
    env: {} as Record<string, string>,
    metrics: SUCCESS_RATE,
    rps: '0',
    interval: '4s',
    result: 'promoted',
    reason: undefined,
    verdicts: ['50:pass']
  },
  {
    name: 'bad candidate (50% errors): the judge sees it in users’ traffic and rolls back mid-step',
    svc: 'metric-bad',
    env: { EMULATOR_ERROR_RATE: '0.5' },
    metrics: SUCCESS_RATE,
    rps: '0',
    // Long enough that only the judge, mid-step, can act before the metric check's turn.
    interval: '30s',
    result: 'rolled-back',
    reason: /^step 50%: The (candidate fails more often|success rate is below)/,
    verdicts: ['50:fail']
  },
  {
    name: 'slow candidate (+100 ms): the judge sees it in users’ latency histogram and rolls back',
    svc: 'metric-latency',
    env: { EMULATOR_LATENCY_MS: '100' },
    metrics: SUCCESS_RATE,
    rps: '0',
    interval: '30s',
    result: 'rolled-back',
    reason:
      /^step 50%: The candidate is slower: median shift \+\d+ ms against a tolerance of \d+ ms/,
    verdicts: ['50:fail']
  },
  {
    name: 'a metric check that fails where the judge sees no difference → rolled back',
    svc: 'metric-slow',
    env: {} as Record<string, string>,
    metrics: DURATION_1MS,
    rps: '0',
    interval: '4s',
    result: 'rolled-back',
    reason: /^step 50%: request-duration [\d.]+ is above the maximum 1$/,
    verdicts: ['50:fail']
  },
  {
    name: 'a check with no data is inconclusive: the step extends, nothing is promoted',
    svc: 'metric-nodata',
    env: {} as Record<string, string>,
    metrics: NO_DATA,
    rps: '20',
    interval: '4s',
    result: 'rolled-back',
    reason:
      /^step 50%: not enough evidence after \d+s: ghost-errors: no data yet \(no data is not a pass\)$/,
    verdicts: ['50:inconclusive']
  }
])('$name', ({ svc, env, metrics, rps, interval, result, reason, verdicts }) => {
  test('the rollout, with its metric check behind a bearer token', async () => {
    await rig.deployV1(svc)
    const stop = await userTraffic(rig, emulator(), svc)
    const seenBefore = proxy.seen.length
    let out: Awaited<ReturnType<RolloutRig['rollout']>>
    try {
      out = await rig.rollout({
        manifest: await rig.manifest(svc, 'v2', env),
        'revision-name': `${svc}-v2`,
        steps: '50,100',
        'step-interval': interval,
        'probe-rps': rps,
        'prometheus-url': proxy.url,
        'prometheus-token': TOKEN,
        metrics
      })
    } finally {
      await stop()
    }
    expect(`${out.result}: ${out.message}`).toMatch(new RegExp(`^${result}: `))
    if (reason) expect(out.reason).toMatch(reason)
    expect(out.steps.map((s) => `${s.percent}:${s.verdict}`)).toEqual(verdicts)
    // Every query carried the token, and the token is nowhere in the log.
    expect(proxy.seen.slice(seenBefore)).not.toHaveLength(0)
    expect(new Set(proxy.seen.slice(seenBefore))).toEqual(new Set([`Bearer ${TOKEN}`]))
    expect(out.lines.join('\n')).not.toContain(TOKEN)

    const step = out.steps[0]
    // With probe-rps 0 the judge weighed the queue-proxy's count of users' requests.
    if (rps === '0') {
      expect(step.source).toBe('revision_app_request_count')
      expect(step.candidate!.requests).toBeGreaterThan(0)
    }
    const live = await rig.service(svc)
    expect(split(live)[0]).toBe(`current:${svc}-${result === 'promoted' ? 'v2' : 'v1'}:100`)
    const evidence = readState(live)!.history.find((h) => h.evidence)!.evidence!
    if (svc === 'metric-bad' || svc === 'metric-latency') {
      // Decided mid-step, before any metric check's turn came; the history says on what.
      expect(step.checks).toBeUndefined()
      expect(evidence.source).toBe('revision_app_request_count')
      return
    }
    const check = step.checks?.find((c) => c.name !== undefined)
    expect(check?.verdict).toBe(verdicts[0].split(':')[1])
    if (check?.verdict === 'inconclusive') {
      // Extended to its maximum (3 intervals) rather than failed at the first look.
      expect(step.endedAt! - step.startedAt!).toBeGreaterThanOrEqual(3 * 4_000)
      expect(check.value).toBeUndefined()
    } else {
      expect(check?.value).toEqual(expect.any(Number))
    }
    expect(evidence.checks?.[0]).toMatchObject({ name: check!.name, verdict: check!.verdict })
  }, 90_000)
})

describe('Prometheus credentials', () => {
  test.each<{ name: string; auth: PrometheusAuth; ok: boolean }>([
    { name: 'bearer token', auth: { kind: 'bearer', token: TOKEN }, ok: true },
    { name: 'basic auth', auth: { kind: 'basic', ...BASIC }, ok: true },
    { name: 'a wrong token', auth: { kind: 'bearer', token: 'nope' }, ok: false },
    { name: 'none', auth: { kind: 'none' }, ok: false }
  ])('$name', async ({ auth, ok }) => {
    const query = new PrometheusClient(proxy.url, auth).query('vector(1)')
    if (ok) await expect(query).resolves.toBe(1)
    else await expect(query).rejects.toThrow(/refused the query: unauthorized/)
  })

  test('refused credentials make a check inconclusive, never a pass nor a failure, and are not shown', async () => {
    const checks = createStepChecks(
      {
        prometheusUrl: proxy.url,
        prometheusToken: 'wrong-token-xyz',
        metrics: parseMetricChecks(SUCCESS_RATE)
      },
      wallClock
    )
    const [outcome] = await checks.step({
      namespace: 'default',
      service: 'shop',
      candidate: 'shop-v2',
      current: 'shop-v1',
      percent: 10
    })
    expect(outcome.verdict).toBe('inconclusive')
    expect(outcome.reason).toMatch(/^request-success-rate: Prometheus at .* refused the query/)
    expect(outcome.reason).not.toContain('wrong-token-xyz')
  })
})
