// The data-plane evidence, pure: raw queue-proxy series in, the judge's per-revision
// requests, 5xx errors and latency pseudo-samples out, counted since the window opened.

import {
  OPEN_CENSUS,
  OPEN_TELEMETRY,
  pseudoSamples,
  familySelector,
  ServedTracker,
  type MetricFamily,
  type Sample
} from '../../../src/analysis/data-plane.js'
import { median } from '../../../src/analysis/mann-whitney.js'
import { percentile } from '../../../src/analysis/stats.js'
import { MS_BUCKETS } from '../../../emulator/dataplane/metrics.js'

const PAIR = { namespace: 'shop', candidate: 'web-v2', current: 'web-v1' }
const CAND = PAIR.candidate
const CUR = PAIR.current

/** revision_app_request_count as Prometheus returns it (incl. its own `instance`/`job`). */
function oc(revision: string, code: number, value: number, pod = `${revision}-pod-a`): Sample {
  return {
    labels: {
      __name__: 'revision_app_request_count',
      instance: '10.0.0.1:9091',
      job: 'queue-proxy',
      namespace_name: PAIR.namespace,
      revision_name: revision,
      pod_name: pod,
      response_code: String(code),
      response_code_class: `${Math.floor(code / 100)}xx`
    },
    value
  }
}

/** revision_app_request_latencies_bucket: one cumulative series per `le` (ms). */
function ocBuckets(revision: string, cumulative: Record<string, number>, code = 200): Sample[] {
  return Object.entries(cumulative).map(([le, value]) => {
    const { labels } = oc(revision, code, 0)
    return { labels: { ...labels, __name__: 'revision_app_request_latencies_bucket', le }, value }
  })
}

function otel(revision: string, code: number, value: number): Sample {
  return {
    labels: {
      __name__: 'kn_serving_invocation_duration_seconds_count',
      instance: '10.0.0.1:9091',
      k8s_namespace_name: PAIR.namespace,
      kn_revision_name: revision,
      http_response_status_code: String(code)
    },
    value
  }
}

/** kn_serving_invocation_duration_seconds_bucket, `le` in seconds. */
function otelBuckets(revision: string, cumulative: Record<string, number>, code = 200): Sample[] {
  return Object.entries(cumulative).map(([le, value]) => {
    const { labels } = otel(revision, code, 0)
    return {
      labels: { ...labels, __name__: 'kn_serving_invocation_duration_seconds_bucket', le },
      value
    }
  })
}

interface Read {
  counts: Sample[]
  buckets: Sample[]
}
const counts = (...samples: Sample[]): Read => ({ counts: samples, buckets: [] })

/** Latency pseudo-samples as `value ms → how many`, the way a reader checks them. */
function tally(latencies: number[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const v of latencies) out[v] = (out[v] ?? 0) + 1
  return out
}

interface Row {
  name: string
  family: MetricFamily
  /** undefined: the baseline query failed. */
  baseline: Read | undefined
  reads: Read[]
  candidate: [requests: number, errors: number, latencies?: Record<string, number>]
  current: [requests: number, errors: number, latencies?: Record<string, number>]
}

const ROWS: Row[] = [
  {
    name: 'steady: the increase since the baseline',
    family: OPEN_CENSUS,
    baseline: counts(oc(CAND, 200, 10), oc(CUR, 200, 1000)),
    reads: [
      counts(oc(CAND, 200, 14), oc(CUR, 200, 1030)),
      counts(oc(CAND, 200, 25), oc(CUR, 200, 1090))
    ],
    candidate: [15, 0],
    current: [90, 0]
  },
  {
    name: 'reset: a value below the last one (pod restart) counts from 0',
    family: OPEN_CENSUS,
    baseline: counts(oc(CAND, 200, 100)),
    reads: [counts(oc(CAND, 200, 120)), counts(oc(CAND, 200, 7)), counts(oc(CAND, 200, 9))],
    candidate: [20 + 7 + 2, 0],
    current: [0, 0]
  },
  {
    name: 'new series: absent at the baseline, all of it counts',
    family: OPEN_CENSUS,
    baseline: counts(oc(CAND, 200, 50, 'pod-a')),
    reads: [
      counts(oc(CAND, 200, 60, 'pod-a'), oc(CAND, 200, 5, 'pod-b'), oc(CAND, 503, 2, 'pod-b'))
    ],
    candidate: [10 + 5 + 2, 2],
    current: [0, 0]
  },
  {
    name: 'vanished series: keeps what it contributed',
    family: OPEN_CENSUS,
    baseline: counts(oc(CUR, 200, 10, 'pod-a')),
    reads: [counts(oc(CUR, 200, 30, 'pod-a')), counts(oc(CUR, 200, 4, 'pod-b')), counts()],
    candidate: [0, 0],
    current: [20 + 4, 0]
  },
  {
    name: 'non-5xx vs 5xx: every code is a request, only 5xx an error',
    family: OPEN_CENSUS,
    baseline: counts(),
    reads: [
      counts(
        oc(CAND, 200, 50),
        oc(CAND, 404, 7),
        oc(CAND, 429, 3),
        oc(CAND, 500, 4),
        oc(CAND, 503, 1),
        oc(CUR, 502, 2),
        oc(CUR, 302, 8)
      )
    ],
    candidate: [65, 5],
    current: [10, 2]
  },
  {
    name: 'both revisions separated; another namespace and revision ignored',
    family: OPEN_CENSUS,
    baseline: counts(oc(CAND, 200, 1), oc(CUR, 200, 2)),
    reads: [
      counts(oc(CAND, 200, 11), oc(CUR, 200, 32), oc('web-v3', 200, 500), {
        ...oc(CAND, 500, 99),
        labels: { ...oc(CAND, 500, 99).labels, namespace_name: 'other' }
      })
    ],
    candidate: [10, 0],
    current: [30, 0]
  },
  {
    name: 'failed baseline: the first read becomes it, nothing before it counts',
    family: OPEN_CENSUS,
    baseline: undefined,
    reads: [
      counts(oc(CAND, 200, 400), oc(CAND, 500, 40)),
      counts(oc(CAND, 200, 406), oc(CAND, 500, 41))
    ],
    candidate: [7, 1],
    current: [0, 0]
  },
  {
    name: 'histogram buckets: cumulative le increases → per-bucket midpoints, +Inf at the top bound',
    family: OPEN_CENSUS,
    baseline: {
      counts: [oc(CAND, 200, 2)],
      buckets: ocBuckets(CAND, { '5': 1, '10': 2, '20': 2, '+Inf': 2 })
    },
    reads: [
      {
        counts: [oc(CAND, 200, 9)],
        buckets: ocBuckets(CAND, { '5': 4, '10': 7, '20': 8, '+Inf': 9 })
      }
    ],
    candidate: [7, 0, { '2.5': 3, '7.5': 2, '15': 1, '20': 1 }],
    current: [0, 0, {}]
  },
  {
    name: 'histogram of two codes and pods: buckets summed per le before differencing',
    family: OPEN_CENSUS,
    baseline: counts(),
    reads: [
      {
        counts: [oc(CUR, 200, 3), oc(CUR, 500, 2)],
        buckets: [
          ...ocBuckets(CUR, { '5': 1, '10': 3, '+Inf': 3 }, 200),
          ...ocBuckets(CUR, { '5': 0, '10': 0, '+Inf': 2 }, 500)
        ]
      }
    ],
    candidate: [0, 0, {}],
    current: [5, 2, { '2.5': 1, '7.5': 2, '10': 2 }]
  },
  {
    name: 'OTel: status-code label, seconds buckets → ms',
    family: OPEN_TELEMETRY,
    baseline: {
      counts: [otel(CAND, 200, 1)],
      buckets: otelBuckets(CAND, { '0.005': 1, '0.01': 1, '0.025': 1, '+Inf': 1 })
    },
    reads: [
      {
        counts: [otel(CAND, 200, 4), otel(CAND, 503, 1), otel(CUR, 200, 2)],
        buckets: [
          ...otelBuckets(CAND, { '0.005': 1, '0.01': 3, '0.025': 4, '+Inf': 4 }),
          ...otelBuckets(CAND, { '0.005': 0, '0.01': 0, '0.025': 0, '+Inf': 1 }, 503),
          ...otelBuckets(CUR, { '0.005': 2, '0.01': 2, '0.025': 2, '+Inf': 2 })
        ]
      }
    ],
    candidate: [4, 1, { '7.5': 2, '17.5': 1, '25': 1 }],
    current: [2, 0, { '2.5': 2 }]
  },
  {
    name: 'one series whatever the order of its labels: only its increase counts',
    family: OPEN_CENSUS,
    baseline: counts(oc(CAND, 200, 100)),
    reads: [counts(reversed(oc(CAND, 200, 104))), counts(oc(CAND, 200, 110))],
    candidate: [10, 0],
    current: [0, 0]
  },
  {
    name: 'a value that is not a number (a stale marker) is skipped, at the baseline too',
    family: OPEN_CENSUS,
    baseline: counts(oc(CAND, 200, NaN), oc(CUR, 200, 40)),
    reads: [
      counts(oc(CAND, 200, 5), oc(CUR, 200, NaN)),
      counts(oc(CAND, 200, 8), oc(CUR, 200, 43))
    ],
    candidate: [8, 0],
    current: [3, 0]
  },
  {
    name: 'buckets read in any order are differenced from the lowest bound up',
    family: OPEN_CENSUS,
    baseline: counts(),
    reads: [
      {
        counts: [oc(CAND, 200, 4)],
        buckets: ocBuckets(CAND, { '5': 1, '10': 3, '20': 4, '+Inf': 4 }).reverse()
      }
    ],
    candidate: [4, 0, { '2.5': 1, '7.5': 2, '15': 1 }],
    current: [0, 0, {}]
  },
  {
    name: 'a bucket without a readable bound and a series of another name are not latencies',
    family: OPEN_CENSUS,
    baseline: counts(),
    reads: [
      {
        counts: [oc(CAND, 200, 2)],
        buckets: [
          ...ocBuckets(CAND, { '10': 2, '+Inf': 2 }),
          ...ocBuckets(CAND, { fast: 7 }),
          ...ocBuckets(CAND, { '10': 9 }).map((b) => ({
            ...b,
            labels: { ...b.labels, __name__: 'revision_app_request_latencies_sum' }
          }))
        ]
      }
    ],
    candidate: [2, 0, { '5': 2 }],
    current: [0, 0, {}]
  }
]

/** A join's answer: the metric name gone, the resource labels copied from target_info. */
const joined = (samples: Sample[]): Sample[] =>
  samples.map(({ labels: { __name__: _name, ...rest }, value }) => ({ labels: rest, value }))

ROWS.push({
  name: 'OTel joined with target_info: no metric name, a bucket told by its le',
  family: { ...OPEN_TELEMETRY, joinsTargetInfo: true },
  baseline: { counts: [], buckets: [] },
  reads: [
    {
      counts: joined([otel(CAND, 200, 3), otel(CAND, 500, 1)]),
      buckets: joined([
        ...otelBuckets(CAND, { '0.005': 1, '0.01': 3, '+Inf': 3 }),
        ...otelBuckets(CAND, { '0.005': 0, '0.01': 0, '+Inf': 1 }, 500)
      ])
    }
  ],
  candidate: [4, 1, { '2.5': 1, '7.5': 2, '10': 1 }],
  current: [0, 0, {}]
})

/** The same series with its labels in the opposite order. */
function reversed(sample: Sample): Sample {
  return { ...sample, labels: Object.fromEntries(Object.entries(sample.labels).reverse()) }
}

describe('ServedTracker: evidence since the window opened', () => {
  test.each(ROWS)('$name', ({ family, baseline, reads, candidate, current }) => {
    const flat = (read: Read) => [...read.counts, ...read.buckets]
    const tracker = new ServedTracker(family, PAIR, baseline && flat(baseline))
    for (const read of reads) tracker.observe(flat(read))
    const got = tracker.evidence()
    const shape = (e: typeof got.candidate, expected: Row['candidate']) =>
      expected[2] === undefined
        ? [e.requests, e.errors]
        : [e.requests, e.errors, tally(e.latenciesMs)]
    expect(shape(got.candidate, candidate)).toEqual(candidate)
    expect(shape(got.current, current)).toEqual(current)
  })

  test('a baseline of values that are not numbers holds no series', () => {
    const tracker = new ServedTracker(OPEN_CENSUS, PAIR, [oc(CAND, 200, NaN)])
    expect(tracker.hasSeries).toBe(false)
    tracker.observe([oc(CUR, 200, Infinity)])
    expect(tracker.hasSeries).toBe(false)
  })

  test('no series at all, before or after: hasSeries stays false', () => {
    const tracker = new ServedTracker(OPEN_CENSUS, PAIR, [])
    tracker.observe([])
    expect(tracker.hasSeries).toBe(false)
    tracker.observe([oc(CAND, 200, 1)])
    expect(tracker.hasSeries).toBe(true)
  })
})

describe('which series count 5xx errors', () => {
  test.each<{ family: MetricFamily; labels: Record<string, string>; error: boolean }>([
    { family: OPEN_CENSUS, labels: { response_code_class: '5xx' }, error: true },
    { family: OPEN_CENSUS, labels: { response_code: '503' }, error: true },
    {
      family: OPEN_CENSUS,
      labels: { response_code: '504', response_code_class: '5xx' },
      error: true
    },
    {
      family: OPEN_CENSUS,
      labels: { response_code: '404', response_code_class: '4xx' },
      error: false
    },
    { family: OPEN_CENSUS, labels: { response_code: '5031' }, error: false },
    { family: OPEN_CENSUS, labels: { response_code: '1503' }, error: false },
    { family: OPEN_CENSUS, labels: {}, error: false },
    { family: OPEN_TELEMETRY, labels: { http_response_status_code: '500' }, error: true },
    { family: OPEN_TELEMETRY, labels: { http_response_status_code: '599' }, error: true },
    { family: OPEN_TELEMETRY, labels: { http_response_status_code: '200' }, error: false },
    { family: OPEN_TELEMETRY, labels: { http_response_status_code: '5000' }, error: false },
    { family: OPEN_TELEMETRY, labels: { http_response_status_code: '1500' }, error: false },
    { family: OPEN_TELEMETRY, labels: { response_code_class: '5xx' }, error: false },
    { family: OPEN_TELEMETRY, labels: {}, error: false }
  ])('$family.source $labels: $error', ({ family, labels, error }) => {
    expect(family.isError(labels)).toBe(error)
  })
})

describe('familySelector: counter and buckets of both revisions, escaped and anchored', () => {
  test.each([
    {
      name: 'OpenCensus',
      family: OPEN_CENSUS,
      pair: PAIR,
      query:
        '{__name__=~"^(?:revision_app_request_count|revision_app_request_latencies_bucket)$",' +
        'namespace_name="shop",revision_name=~"^(?:web-v2|web-v1)$"}'
    },
    {
      name: 'OpenTelemetry',
      family: OPEN_TELEMETRY,
      pair: PAIR,
      query:
        '{__name__=~"^(?:kn_serving_invocation_duration_seconds_count|kn_serving_invocation_duration_seconds_bucket)$",' +
        'k8s_namespace_name="shop",kn_revision_name=~"^(?:web-v2|web-v1)$"}'
    },
    {
      name: 'OpenTelemetry with its resource attributes on target_info: joined on the target',
      family: { ...OPEN_TELEMETRY, joinsTargetInfo: true },
      pair: PAIR,
      query:
        '{__name__=~"^(?:kn_serving_invocation_duration_seconds_count|kn_serving_invocation_duration_seconds_bucket)$"}' +
        ' * on(job, instance) group_left(k8s_namespace_name, kn_revision_name)' +
        ' target_info{k8s_namespace_name="shop",kn_revision_name=~"^(?:web-v2|web-v1)$"}'
    },
    {
      name: 'regex metacharacters and PromQL quotes escaped',
      family: { ...OPEN_CENSUS, count: 'c', bucket: 'b' },
      pair: { namespace: 'a"b', candidate: 'x.y', current: 'p|q(r)*' },
      query: String.raw`{__name__=~"^(?:c|b)$",namespace_name="a\"b",revision_name=~"^(?:x\\.y|p\\|q\\(r\\)\\*)$"}`
    },
    {
      name: 'a newline and a backslash in a value are PromQL escapes',
      family: { ...OPEN_CENSUS, count: 'c', bucket: 'b' },
      pair: { namespace: 'a\nb\\', candidate: 'x', current: 'y' },
      query: String.raw`{__name__=~"^(?:c|b)$",namespace_name="a\nb\\",revision_name=~"^(?:x|y)$"}`
    }
  ])('$name', ({ family, pair, query }) => {
    expect(familySelector(family, pair)).toBe(query)
  })

  test.each([
    { name: 'the candidate', value: 'x.y', matches: true },
    { name: 'the current', value: 'p|q(r)*', matches: true },
    { name: 'a dot is no wildcard', value: 'xzy', matches: false },
    { name: 'a prefix is not enough', value: 'x.y-2', matches: false },
    { name: 'an alternation inside the name is literal', value: 'p', matches: false }
  ])('the regex, unquoted, matches $name: $matches', ({ value, matches }) => {
    const query = familySelector(OPEN_CENSUS, {
      namespace: 'n',
      candidate: 'x.y',
      current: 'p|q(r)*'
    })
    // PromQL's double-quoted string → the RE2 text (Go string escapes: \\ → \).
    const quoted = /revision_name=~"(.*)"\}$/.exec(query)![1]
    const regex = new RegExp(quoted.replace(/\\(.)/g, '$1'))
    expect(regex.test(value)).toBe(matches)
  })
})

describe('pseudoSamples', () => {
  test.each([
    {
      name: 'fewer than the cap: one per request',
      buckets: [
        { le: 10, count: 2 },
        { le: 20, count: 1 },
        { le: Infinity, count: 1 }
      ],
      max: 2000,
      samples: [5, 5, 15, 20]
    },
    {
      name: 'capped: proportional, largest remainder (ties to the lower bucket)',
      buckets: [
        { le: 10, count: 1 },
        { le: 20, count: 1 },
        { le: 40, count: 1 }
      ],
      max: 2,
      samples: [5, 15]
    },
    {
      name: 'capped 7:3 of 10,000 → 1,400 and 600',
      buckets: [
        { le: 100, count: 7000 },
        { le: 200, count: 3000 }
      ],
      max: 2000,
      samples: [...Array<number>(1400).fill(50), ...Array<number>(600).fill(150)]
    },
    {
      name: 'capped: the largest remainder gets the sample left, not the largest bucket',
      buckets: [
        { le: 10, count: 5 },
        { le: 20, count: 2 }
      ],
      // quotas 15/7 = 2.14 and 6/7 = 0.86: 2 and 0 whole, the one left to the second
      max: 3,
      samples: [5, 5, 15]
    },
    {
      name: 'capped: the remainder of a later bucket beats an earlier one',
      buckets: [
        { le: 10, count: 2 },
        { le: 20, count: 1 },
        { le: 40, count: 3 }
      ],
      // quotas 2/3, 1/3, 1: the 1 is whole, the one left goes to the first (2/3)
      max: 2,
      samples: [5, 30]
    },
    {
      name: 'capped: equal remainders go to the lower buckets',
      buckets: [
        { le: 10, count: 1 },
        { le: 20, count: 3 },
        { le: 40, count: 1 },
        { le: 80, count: 3 }
      ],
      // quotas 0.5, 1.5, 0.5, 1.5: 0, 1, 0, 1 whole, the two left to the two lowest buckets
      max: 4,
      samples: [5, 15, 15, 60]
    },
    {
      name: 'fewer requests than one (a fractional increase) give no sample',
      buckets: [{ le: 10, count: 0.4 }],
      max: 2000,
      samples: []
    },
    { name: 'empty histogram', buckets: [{ le: 10, count: 0 }], max: 2000, samples: [] },
    {
      name: 'only +Inf: no finite bound to place it at',
      buckets: [{ le: Infinity, count: 3 }],
      max: 2000,
      samples: []
    }
  ])('$name', ({ buckets, max, samples }) => {
    // Strict: toEqual would take [undefined, undefined] for [].
    expect(pseudoSamples(buckets, max)).toStrictEqual(samples)
  })

  // Known latencies (a right-skewed spread from 3 ms to ~1.2 s), bucketed with Knative's ms
  // bounds; the pseudo-samples' median and p99 must sit within half a bucket of the truth.
  test.each([
    { name: '1,000 requests (one sample each)', n: 1000 },
    { name: '50,000 requests (capped at 2,000)', n: 50_000 }
  ])('median and p99 within half a bucket: $name', ({ n }) => {
    const values = Array.from({ length: n }, (_, i) => 3 + 1200 * ((i + 0.5) / n) ** 3)
    const bounds = [...MS_BUCKETS, Infinity]
    const buckets = bounds.map((le) => ({ le, count: 0 }))
    for (const v of values) buckets.find((b) => v <= b.le)!.count++
    const samples = pseudoSamples(buckets)
    expect(samples).toHaveLength(Math.min(n, 2000))

    const halfBucket = (v: number) => {
      const i = bounds.findIndex((le) => v <= le)
      return (bounds[i] - (i === 0 ? 0 : bounds[i - 1])) / 2
    }
    const truth = { median: median(values), p99: percentile(values, 99) }
    const seen = { median: median(samples), p99: percentile(samples, 99) }
    expect(Math.abs(seen.median - truth.median)).toBeLessThanOrEqual(halfBucket(truth.median))
    expect(Math.abs(seen.p99 - truth.p99)).toBeLessThanOrEqual(halfBucket(truth.p99))
    // ...and it is not trivially true: the truth is not itself a midpoint.
    expect(seen.p99).not.toBe(truth.p99)
  })
})
