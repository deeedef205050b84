// The metrics exposition parsed back: queue-proxy's names and labels, counts that match
// the traffic sent, well-formed histograms, and Prometheus' own checker (promtool).

import { spawnSync } from 'node:child_process'
import {
  escapeLabelValue,
  MS_BUCKETS,
  SECONDS_BUCKETS
} from '../../../../emulator/dataplane/metrics.js'
import {
  countBy,
  revision,
  route,
  startDataPlane,
  type Reply,
  type Running
} from '../../../helpers/dataplane-fixtures.js'

interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

/** A small text-format 0.0.4 reader: enough to check what the emulator writes. */
function parse(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = []
  const types = new Map<string, string>()
  for (const line of text.split('\n')) {
    if (line === '') continue
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line)
    if (type) {
      types.set(type[1], type[2])
      continue
    }
    if (line.startsWith('# HELP ')) continue
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line)
    if (!m) throw new Error(`unparseable line: ${line}`)
    const labels: Record<string, string> = {}
    for (const l of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]] = l[2]
    samples.push({ name: m[1], labels, value: Number(m[3]) })
  }
  return { samples, types }
}

const sum = (samples: Sample[], name: string, match: Record<string, string>) =>
  samples
    .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0)

describe('queue-proxy metrics', () => {
  let dp: Running
  let main: Reply[]
  let tagged: Reply[]
  let text: string
  /** The same traffic as Knative 1.21 exports it. */
  let otelText: string

  beforeAll(async () => {
    dp = await startDataPlane([
      revision('shop-00001', {}, { service: 'shop' }),
      revision('shop-00002', { EMULATOR_ERROR_RATE: '0.3' }, { service: 'shop' }),
      route('shop', [
        { revisionName: 'shop-00001', percent: 70, tag: 'current' },
        { revisionName: 'shop-00002', percent: 30, tag: 'candidate' }
      ])
    ])
    main = await dp.many('shop.default.example.com', 300)
    tagged = await dp.many('candidate-shop.default.example.com', 50)
    dp.settings.knativeVersion = '1.18'
    text = dp.dataPlane.metrics()
    dp.settings.knativeVersion = '1.21'
    otelText = dp.dataPlane.metrics()
  })
  afterAll(() => dp.close())

  const observed = (replies: Reply[]) => countBy(replies, (r) => `${r.revision} ${r.status}`)

  test.each([
    ['shop-00001', '200'],
    ['shop-00002', '200'],
    ['shop-00002', '500']
  ])('revision_app_request_count{%s, %s} counts what the clients saw', (rev, code) => {
    const { samples } = parse(text)
    const key = `${rev} ${code}`
    const expected = (observed(main)[key] ?? 0) + (observed(tagged)[key] ?? 0)
    expect(expected).toBeGreaterThan(0)
    expect(
      sum(samples, 'revision_app_request_count', { revision_name: rev, response_code: code })
    ).toBe(expected)
  })

  test.each([
    ['DEFAULT', () => main],
    ['candidate', () => tagged]
  ])('revision_request_count{route_tag=%s} counts that host only', (tag, replies) => {
    const { samples } = parse(text)
    expect(sum(samples, 'revision_request_count', { route_tag: tag })).toBe(replies().length)
  })

  test('every OpenCensus series carries the revision labels and the queue-proxy container', () => {
    const { samples } = parse(text)
    const series = samples.filter((s) => s.name.startsWith('revision_'))
    expect(series.length).toBeGreaterThan(0)
    for (const s of series) {
      expect(s.labels).toMatchObject({
        namespace_name: 'default',
        service_name: 'shop',
        configuration_name: 'shop',
        container_name: 'queue-proxy'
      })
      expect(s.labels.pod_name).toMatch(new RegExp(`^${s.labels.revision_name}-deployment-`))
      expect(s.labels.response_code_class).toBe(`${s.labels.response_code[0]}xx`)
      expect('route_tag' in s.labels).toBe(s.name.startsWith('revision_request_'))
    }
  })

  test.each([
    ['revision_app_request_latencies', MS_BUCKETS, '1.18'],
    ['revision_request_latencies', MS_BUCKETS, '1.18'],
    ['kn_serving_invocation_duration_seconds', SECONDS_BUCKETS, '1.21']
  ])('%s is a histogram with the right buckets, cumulative, +Inf = _count', (name, bounds, v) => {
    const { samples, types } = parse(v === '1.18' ? text : otelText)
    expect(types.get(name)).toBe('histogram')
    const counts = samples.filter((s) => s.name === `${name}_count`)
    expect(counts.length).toBeGreaterThan(0)
    for (const c of counts) {
      const same = (s: Sample) =>
        Object.entries(c.labels).every(([k, v]) => s.labels[k] === v) &&
        Object.keys(s.labels).length === Object.keys(c.labels).length + 1
      const buckets = samples.filter((s) => s.name === `${name}_bucket` && same(s))
      expect(buckets.map((b) => b.labels.le)).toEqual([...bounds.map(String), '+Inf'])
      for (let i = 1; i < buckets.length; i++)
        expect(buckets[i].value).toBeGreaterThanOrEqual(buckets[i - 1].value)
      expect(buckets[buckets.length - 1].value).toBe(c.value)
    }
  })

  test('the OpenTelemetry histogram names revisions as kn_* / k8s_* labels', () => {
    const { samples } = parse(otelText)
    const total = sum(samples, 'kn_serving_invocation_duration_seconds_count', {
      kn_revision_name: 'shop-00002',
      kn_service_name: 'shop',
      kn_configuration_name: 'shop',
      k8s_namespace_name: 'default',
      http_response_status_code: '500'
    })
    expect(total).toBe(
      (observed(main)['shop-00002 500'] ?? 0) + (observed(tagged)['shop-00002 500'] ?? 0)
    )
  })

  test.each([
    ['revision_app_request_count', 'counter'],
    ['revision_request_count', 'counter'],
    ['revision_request_latencies', 'histogram']
  ])('%s has HELP and TYPE %s', (name, type) => {
    expect(text).toContain(`# HELP ${name} `)
    expect(parse(text).types.get(name)).toBe(type)
  })

  test.each(['1.18', '1.21'])("Prometheus' promtool parses the exposition (%s)", (v) => {
    const input = v === '1.18' ? text : otelText
    const result = spawnSync('promtool', ['check', 'metrics'], { input, encoding: 'utf8' })
    // promtool also lints names (e.g. counters without `_total`, as OpenCensus named them);
    // only a parse failure says the format is wrong.
    // Exit 3 is "lint problems only"; 1 is a parse error.
    expect(result.error).toBeUndefined()
    expect([0, 3]).toContain(result.status)
    expect(result.stderr).not.toMatch(/error while linting/)
  })

  test('an empty data plane still writes valid HELP and TYPE lines', async () => {
    const empty = await startDataPlane([])
    empty.settings.knativeVersion = '1.18'
    try {
      const { samples, types } = parse(empty.dataPlane.metrics())
      expect(samples).toEqual([])
      expect(types.get('revision_app_request_count')).toBe('counter')
    } finally {
      await empty.close()
    }
  })

  test.each([
    ['a plain value', 'shop', 'shop'],
    ['a double quote', 'a"b', 'a\\"b'],
    ['a backslash', 'a\\b', 'a\\\\b'],
    ['a line feed', 'a\nb', 'a\\nb']
  ])('label values escape %s', (_name, raw, escaped) => {
    expect(escapeLabelValue(raw)).toBe(escaped)
  })
})
