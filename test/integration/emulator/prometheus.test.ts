// A real Prometheus (Debian's `prometheus`) scrapes the whole emulator's /metrics (on its
// API port) every second while traffic flows through its ingress to revisions the Knative
// controller made; the canary queries a rollout would run then name the right revisions
// with the right rates, error ratios and latency units.

import { readFile } from 'node:fs/promises'
import { parse as parseYaml } from 'yaml'
import { startEmulator, type Emulator } from '../../../emulator/emulator.js'
import { startPrometheus, type RunningPrometheus } from '../../helpers/prometheus.js'
import {
  countBy,
  ingressClient,
  type Client,
  type Reply
} from '../../helpers/dataplane-fixtures.js'

const HOST = 'shop.default.example.com'
const STABLE = 'shop-v1'
const CANARY = 'shop-v2'
const SERVICES = '/apis/serving.knative.dev/v1/namespaces/default/services'

type Vector = { metric: Record<string, string>; value: [number, string] }[]
const byRevision = (v: Vector, label = 'revision_name') =>
  Object.fromEntries(v.map((s) => [s.metric[label], Number(s.value[1])]))

const template = (name: string, env: Record<string, string>) => ({
  metadata: { name },
  spec: {
    containers: [
      {
        image: 'example.test/shop',
        env: Object.entries(env).map(([k, v]) => ({ name: k, value: v }))
      }
    ]
  }
})

/** Polls until `probe` returns something, bounded. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('Prometheus scraping the emulator', () => {
  let emulator: Emulator
  let ingress: Client
  let prom: RunningPrometheus
  let phase2: Reply[]

  beforeAll(async () => {
    emulator = await startEmulator({ knativeVersion: '1.18' }) // OpenCensus: knative-version.test.ts has the others
    ingress = ingressClient(emulator.ingressUrl)
    const kubeconfig = parseYaml(await readFile(emulator.kubeconfigPath, 'utf8'))
    const auth = { authorization: `Bearer ${kubeconfig.users[0].user.token}` }
    const api = async (
      method: string,
      path: string,
      body?: unknown,
      type = 'application/json'
    ): Promise<any> => {
      const res = await fetch(emulator.apiUrl + path, {
        method,
        headers: { ...auth, 'content-type': type },
        body: body === undefined ? undefined : JSON.stringify(body)
      })
      const json = await res.json()
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
      return json
    }

    // The rollout's shape: the stable revision, then a candidate at 50% that fails half its
    // requests and answers in about 30 ms.
    await api('POST', SERVICES, {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'shop', namespace: 'default' },
      spec: { template: template(STABLE, {}) }
    })
    await eventually('the first revision to serve', async () => {
      const svc = await api('GET', `${SERVICES}/shop`)
      return svc.status?.latestReadyRevisionName === STABLE || undefined
    })
    await api(
      'PATCH',
      `${SERVICES}/shop`,
      {
        spec: {
          template: template(CANARY, { EMULATOR_ERROR_RATE: '0.5', EMULATOR_LATENCY_MS: '30' }),
          traffic: [
            { tag: 'current', revisionName: STABLE, percent: 50 },
            { tag: 'candidate', revisionName: CANARY, percent: 50 }
          ]
        }
      },
      'application/merge-patch+json'
    )
    await eventually('the route to publish 50/50', async () => {
      const svc = await api('GET', `${SERVICES}/shop`)
      const traffic: { revisionName: string; percent: number }[] = svc.status?.traffic ?? []
      return traffic.filter((t) => t.percent === 50).length === 2 || undefined
    })

    prom = await startPrometheus([new URL(emulator.apiUrl).host])

    // Phase 1 creates every series; only once Prometheus holds them does phase 2 start, so
    // rate() sees phase 2 as an increase of series it already knows.
    const phase1 = await ingress.many(HOST, 60)
    expect(countBy(phase1, (r) => `${r.revision} ${r.status}`)).toMatchObject({
      [`${STABLE} 200`]: expect.any(Number),
      [`${CANARY} 200`]: expect.any(Number),
      [`${CANARY} 500`]: expect.any(Number)
    })
    await prom.waitFor(
      'count(revision_app_request_count)',
      (r) => r.length === 1 && r[0].value[1] === '3'
    )
    phase2 = await ingress.many(HOST, 400)
    await prom.waitFor(
      'sum(revision_app_request_count)',
      (r) => r.length === 1 && r[0].value[1] === '460'
    )
  }, 120_000)

  afterAll(async () => {
    await prom?.stop()
    ingress?.close()
    await emulator?.stop()
  })

  test('the target is up and healthy', async () => {
    const up = await prom.waitFor('up', (r) => r.length === 1)
    expect(up[0].value[1]).toBe('1')
  })

  test('sum by (revision_name) (rate(revision_app_request_count[1m])) splits about 50/50', async () => {
    const rates = byRevision(
      await prom.waitFor(
        'sum by (revision_name) (rate(revision_app_request_count[1m]))',
        (r) => r.length === 2
      )
    )
    expect(Object.keys(rates).sort()).toEqual([STABLE, CANARY])
    const share = rates[STABLE] / (rates[STABLE] + rates[CANARY])
    expect(share).toBeGreaterThan(0.35)
    expect(share).toBeLessThan(0.65)
  })

  test('the per-revision 5xx ratio names only the canary, near what the clients saw', async () => {
    const query =
      'sum by (revision_name) (rate(revision_request_count{response_code_class="5xx"}[1m]))' +
      ' / sum by (revision_name) (rate(revision_request_count[1m]))'
    const ratios = byRevision(await prom.waitFor(query, (r) => r.length >= 1))
    const canary = phase2.filter((r) => r.revision === CANARY)
    const seen = canary.filter((r) => r.status === 500).length / canary.length
    expect(Object.keys(ratios)).toEqual([CANARY]) // the stable revision has no 5xx series at all
    expect(Math.abs(ratios[CANARY] - seen)).toBeLessThan(0.1)
  })

  test.each([
    [
      'milliseconds, OpenCensus',
      `histogram_quantile(0.5, sum by (le) (rate(revision_app_request_latencies_bucket{revision_name="${CANARY}"}[1m])))`,
      20
    ]
  ])('the canary p50 latency in %s reflects its 30 ms', async (_name, query, atLeast) => {
    const result = await prom.waitFor(query, (r) => r.length === 1)
    expect(Number(result[0].value[1])).toBeGreaterThanOrEqual(atLeast)
  })

  test('revision_request_count carries route_tag="DEFAULT" for the main host', async () => {
    const result = await prom.waitFor(
      'sum by (route_tag) (revision_request_count)',
      (r) => r.length >= 1
    )
    expect(byRevision(result, 'route_tag')).toEqual({ DEFAULT: 460 })
  })
})
