// Each queue-proxy metric generation end to end: the emulator plays one Knative release,
// a real Prometheus scrapes it, and the product's traffic window (src/analysis/) finds the
// family that release exports and counts exactly the requests and 5xx the users saw.

import { PrometheusClient } from '../../../src/analysis/prometheus.js'
import { openTrafficWindow } from '../../../src/analysis/traffic-window.js'
import {
  eventually,
  kubectl,
  withoutWarnings,
  startTestEmulator,
  type TestEmulator
} from '../../helpers/emulator.js'
import { getOnce, usersOf } from '../../helpers/dataplane-fixtures.js'
import { startPrometheus, type RunningPrometheus } from '../../helpers/prometheus.js'
import { setBehaviour } from '../../helpers/rollout-e2e.js'

const PAIR = { namespace: 'default', candidate: 'kv-v2', current: 'kv-v1' }
const HOST = 'kv.default.example.com'

const manifest = (revision: string, traffic = '') => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: kv
spec:
  template:
    metadata:
      name: ${revision}
    spec:
      containers:
        - image: docker.io/acme/kv:${revision}
${traffic}`

const get = (e: TestEmulator, host: string) => getOnce(e.ingressUrl, host)
const users = (e: TestEmulator, n: number) => usersOf(e.ingressUrl, HOST, n, 1)

describe.each([
  ['1.18', 'revision_app_request_count', false],
  ['1.19', 'kn_queueproxy_app_duration_seconds', true],
  ['1.21', 'kn_serving_invocation_duration_seconds', false]
])('Knative %s', (version, source, wholeSeconds) => {
  let e: TestEmulator
  let prometheus: RunningPrometheus
  beforeAll(async () => {
    e = await startTestEmulator({ statusDelayMs: 5, knativeVersion: version })
    prometheus = await startPrometheus([new URL(e.apiUrl).host])
    expect(
      withoutWarnings((await kubectl(e, ['apply', '-f', '-'], manifest('kv-v1'))).stderr)
    ).toBe('')
    await eventually(async () => (await get(e, HOST)).revision === 'kv-v1', 'kv-v1 serving')
    const split = `  traffic:
    - { revisionName: kv-v1, percent: 50, tag: current }
    - { revisionName: kv-v2, percent: 50, tag: candidate }
`
    expect(
      withoutWarnings((await kubectl(e, ['apply', '-f', '-'], manifest('kv-v2', split))).stderr)
    ).toBe('')
    await eventually(
      async () => (await get(e, `candidate-${HOST}`)).revision === 'kv-v2',
      'kv-v2 serving'
    )
    await setBehaviour(e, 'kv-v2', { errorRate: 0.3 })
    await setBehaviour(e, 'kv-v1', { latencyMs: 100 })
  }, 60_000)
  afterAll(async () => {
    await prometheus?.stop()
    await e?.stop()
  })

  test(`the window reads ${source}: exact counts per revision`, async () => {
    const client = new PrometheusClient(prometheus.url)
    await users(e, 20) // creates every series before the window opens
    // Wait until Prometheus holds every request served so far: the baseline includes them.
    const count = source === 'revision_app_request_count' ? source : `${source}_count`
    const text = await (await fetch(`${e.apiUrl}/metrics`)).text()
    const total = text
      .split('\n')
      .filter((l) => l.startsWith(`${count}{`))
      .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0)
    expect(total).toBeGreaterThanOrEqual(20)
    await prometheus.waitFor(`sum(${count})`, (r) => Number(r[0]?.value[1]) === total, 30_000)
    const window = await openTrafficWindow(client, PAIR)
    const sent = await users(e, 100)
    const got = await eventually(
      async () => {
        const t = await window.read()
        return t && t.candidate.requests + t.current.requests === 100 && t
      },
      'the window to count 100 requests',
      20_000
    )
    expect(got.source).toBe(source)
    for (const role of ['candidate', 'current'] as const) {
      expect([got[role].requests, got[role].errors]).toEqual([
        sent[PAIR[role]].requests,
        sent[PAIR[role]].errors
      ])
    }
    const slowest = Math.max(...got.current.latenciesMs)
    // The current answers after ~100 ms; 1.19 records that as 0 s (the first bucket).
    if (wholeSeconds) expect(slowest).toBeLessThanOrEqual(5)
    else expect(slowest).toBeGreaterThanOrEqual(35)
  }, 60_000)
})
