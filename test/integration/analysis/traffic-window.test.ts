// The traffic window against the real thing: a real Prometheus scrapes the emulator's
// queue-proxy metrics while users' requests go through its ingress to a Service split
// 50/50 between two revisions, one of them failing part of its requests. The window must
// count exactly what the ingress answered, per revision, since it opened.

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  OPEN_CENSUS,
  OPEN_TELEMETRY,
  familySelector,
  type MetricFamily
} from '../../../src/analysis/data-plane.js'
import { median } from '../../../src/analysis/mann-whitney.js'
import { PrometheusClient } from '../../../src/analysis/prometheus.js'
import {
  openTrafficWindow,
  type ServedTraffic,
  type TrafficWindow
} from '../../../src/analysis/traffic-window.js'
import { getOnce, usersOf } from '../../helpers/dataplane-fixtures.js'
import { eventually, kubectl, withoutWarnings, withEmulator } from '../../helpers/emulator.js'
import { freePort, startPrometheus, type RunningPrometheus } from '../../helpers/prometheus.js'
import { setBehaviour } from '../../helpers/rollout-e2e.js'

// Knative 1.18 (OpenCensus names) unless a test plays another release.
const emulator = withEmulator({ statusDelayMs: 5, knativeVersion: '1.18' })
const SERVICE = 'tw'
const PAIR = { namespace: 'default', candidate: 'tw-v2', current: 'tw-v1' }
const HOST = `${SERVICE}.default.example.com`

let prometheus: RunningPrometheus
let client: PrometheusClient

function manifest(revision: string, traffic = ''): string {
  return `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: ${SERVICE}
spec:
  template:
    metadata:
      name: ${revision}
    spec:
      containers:
        - image: docker.io/acme/${SERVICE}:${revision}
${traffic}`
}

/** One request through the ingress with the route's Host header: who answered, with what. */
const get = (host: string) => getOnce(emulator().ingressUrl, host)
/** `n` requests, 10 at a time; the tally per revision as the client saw it. */
const users = (n: number) => usersOf(emulator().ingressUrl, HOST, n, 10)

/** Reads until both revisions' requests add up to `total` (Prometheus scrapes every 1s). */
async function readUntil(window: TrafficWindow, total: number): Promise<ServedTraffic> {
  return eventually(
    async () => {
      const t = await window.read()
      return t && t.candidate.requests + t.current.requests === total && t
    },
    `the window to count ${total} requests`,
    20_000
  )
}

/** The emulator's own count of requests to the two revisions, from its /metrics. */
async function servedSoFar(): Promise<number> {
  const text = await (await fetch(`${emulator().apiUrl}/metrics`)).text()
  // Whichever generation the emulated release exports (knativeVersion).
  const mine =
    /^(?:revision_app_request_count\{.*revision_name|kn_serving_invocation_duration_seconds_count\{.*kn_revision_name)="tw-v[12]".*\} (\d+)$/
  return text
    .split('\n')
    .map((line) => mine.exec(line))
    .reduce((sum, m) => sum + (m ? Number(m[1]) : 0), 0)
}

/** Waits until Prometheus has scraped every request served so far. */
async function scraped(): Promise<void> {
  const total = await servedSoFar()
  await prometheus.waitFor(
    'sum(revision_app_request_count{namespace_name="default",revision_name=~"tw-v1|tw-v2"})' +
      ' or sum(kn_serving_invocation_duration_seconds_count{k8s_namespace_name="default",kn_revision_name=~"tw-v1|tw-v2"})',
    (r) => Number(r[0]?.value[1]) === total,
    20_000
  )
}

beforeAll(async () => {
  prometheus = await startPrometheus([new URL(emulator().apiUrl).host])
  client = new PrometheusClient(prometheus.url)
  const v1 = await kubectl(emulator(), ['apply', '-f', '-'], manifest('tw-v1'))
  expect(withoutWarnings(v1.stderr)).toBe('')
  await eventually(async () => (await get(HOST)).revision === 'tw-v1', 'tw-v1 serving')
  const split = `  traffic:
    - { revisionName: tw-v1, percent: 50, tag: current }
    - { revisionName: tw-v2, percent: 50, tag: candidate }
`
  const v2 = await kubectl(emulator(), ['apply', '-f', '-'], manifest('tw-v2', split))
  expect(withoutWarnings(v2.stderr)).toBe('')
  await eventually(
    async () => (await get(`candidate-${HOST}`)).revision === 'tw-v2',
    'tw-v2 serving'
  )
  // The candidate fails a known share; the current is slower, so the histograms differ.
  await setBehaviour(emulator(), 'tw-v2', { errorRate: 0.3 })
  await setBehaviour(emulator(), 'tw-v1', { latencyMs: 100 })
}, 60_000)
afterAll(async () => {
  await prometheus?.stop()
})

/** The OpenCensus names made absent, so only the fallback can answer. */
const NO_OPEN_CENSUS: MetricFamily = {
  ...OPEN_CENSUS,
  source: 'no_such_request_count',
  count: 'no_such_request_count',
  bucket: 'no_such_request_latencies_bucket'
}

describe('a window over users’ traffic', () => {
  test.each([
    {
      name: 'OpenCensus names',
      families: [OPEN_CENSUS],
      source: 'revision_app_request_count',
      version: '1.18'
    },
    {
      name: 'OpenTelemetry names, when the OpenCensus ones answer nothing',
      families: [NO_OPEN_CENSUS, OPEN_TELEMETRY],
      source: 'kn_serving_invocation_duration_seconds',
      version: '1.21'
    }
  ])(
    '$name: exactly the requests and 5xx each revision answered since it opened',
    async ({ families, source, version }) => {
      emulator().settings.knativeVersion = version
      try {
        // Traffic before the window, scraped before it opens: its baseline includes it. (A
        // window opened within a scrape interval of traffic counts that traffic as its own.)
        await users(30)
        await scraped()

        const window = await openTrafficWindow(client, PAIR, families)
        const sent = await users(200)
        const got = await readUntil(window, 200)

        expect(got.source).toBe(source)
        expect(sent[PAIR.candidate].errors).toBeGreaterThan(0)
        expect(sent[PAIR.current].errors).toBe(0)
        for (const role of ['candidate', 'current'] as const) {
          const revision = PAIR[role]
          expect([got[role].requests, got[role].errors]).toEqual([
            sent[revision].requests,
            sent[revision].errors
          ])
          // One pseudo-sample per request (fewer than the cap).
          expect(got[role].latenciesMs).toHaveLength(sent[revision].requests)
        }
        // In ms and per revision: the candidate answers at once (mostly the first bucket,
        // 2.5 ms), the current after ~100 ms, never below 35 ms (a bucket midpoint that low
        // needs a delay 4.6 sigmas short; unconverted seconds would be 0.1).
        expect(median(got.candidate.latenciesMs)).toBeLessThan(35)
        expect(Math.min(...got.current.latenciesMs)).toBeGreaterThanOrEqual(35)

        // Nothing more arrives: a later read is the same.
        await new Promise((r) => setTimeout(r, 2_500))
        expect(await window.read()).toEqual(got)
      } finally {
        emulator().settings.knativeVersion = '1.18'
      }
    },
    60_000
  )

  test('revisions with no series at all: undefined, though Prometheus answers', async () => {
    const ghosts = { namespace: 'default', candidate: 'ghost-v2', current: 'ghost-v1' }
    const window = await openTrafficWindow(client, ghosts)
    await expect(window.read()).resolves.toBeUndefined()
    await expect(client.queryVector(familySelector(OPEN_CENSUS, ghosts))).resolves.toEqual([])
  })

  test('a baseline Prometheus could not give: the first answer becomes it', async () => {
    // A loopback proxy in front of Prometheus that refuses (503) while `down`.
    let down = true
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        if (down) return void res.writeHead(503).end()
        fetch(prometheus.url + req.url, {
          method: req.method,
          headers: { 'content-type': req.headers['content-type'] ?? 'text/plain' },
          body: Buffer.concat(chunks)
        }).then(
          async (r) =>
            res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()),
          () => res.writeHead(502).end()
        )
      })
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = proxy.address() as AddressInfo
      const window = await openTrafficWindow(new PrometheusClient(`http://127.0.0.1:${port}`), PAIR)
      await expect(window.read()).resolves.toBeUndefined()
      await users(20) // served while Prometheus cannot answer: missed, by design
      await scraped()
      down = false
      const first = await window.read()
      expect([first?.candidate.requests, first?.current.requests]).toEqual([0, 0])
      const sent = await users(50)
      const got = await readUntil(window, 50)
      expect(got.candidate.requests).toBe(sent[PAIR.candidate].requests)
      expect(got.candidate.errors).toBe(sent[PAIR.candidate].errors)
      expect(got.current.requests).toBe(sent[PAIR.current].requests)
    } finally {
      await new Promise((resolve) => proxy.close(resolve))
    }
  }, 60_000)

  test('Prometheus unreachable: opens and reads undefined, never throws', async () => {
    const nowhere = new PrometheusClient(`http://127.0.0.1:${await freePort()}`)
    const window = await openTrafficWindow(nowhere, PAIR)
    await expect(window.read()).resolves.toBeUndefined()
    // The same query through a reachable Prometheus does answer: the undefined is the outage.
    await expect(openTrafficWindow(client, PAIR).then((w) => w.read())).resolves.toMatchObject({
      source: 'revision_app_request_count'
    })
  })
})
