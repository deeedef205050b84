// Users' traffic per revision as the data plane counted it: Knative's queue-proxy counters
// and latency histograms, read raw from Prometheus and turned into the judge's evidence
// (requests, 5xx errors, latencies) for what happened since a window opened. Pure: the
// queries are built and the answers interpreted here; traffic-window.ts runs them.
//
// Raw series, not rate()/increase(): those extrapolate to the range's edges and give
// fractional counts, while the judge's error test needs the exact number of requests and
// errors. So each series is tracked as a counter here, the way increase() would, without
// the extrapolation (see CounterTracker).

import type { RevisionEvidence } from './judge.js'

/** One sample of an instant vector, as PrometheusClient.queryVector returns it. */
export interface Sample {
  labels: Record<string, string>
  value: number
}

/** Where one generation of queue-proxy metrics keeps the numbers the judge needs. */
export interface MetricFamily {
  /** Names the family in the evidence: the counter's metric name. */
  source: string
  /** A counter of requests per series, every response code. */
  count: string
  /** The latency histogram's cumulative `_bucket` series. */
  bucket: string
  namespaceLabel: string
  revisionLabel: string
  /** Whether a series counts 5xx responses. */
  isError(labels: Record<string, string>): boolean
  /** Multiplier from the histogram's `le` unit to ms. */
  msPerUnit: number
  /**
   * The series carry no resource labels: the revision and namespace are on `target_info`
   * (OpenTelemetry's default, with no scrape relabel), so the selector joins it on the
   * scrape target, and the join's answer has no metric name: a bucket is told by its `le`.
   */
  joinsTargetInfo?: boolean
}

// The queue-proxy metric names and labels (docs/knative-semantics.md, "Metrics"); the
// emulator serves the same ones.
// metric-checks.ts spells the same names inside its PromQL templates.

/** Knative ≤ 1.18: OpenCensus names, latencies in ms. */
export const OPEN_CENSUS: MetricFamily = {
  source: 'revision_app_request_count',
  count: 'revision_app_request_count',
  bucket: 'revision_app_request_latencies_bucket',
  namespaceLabel: 'namespace_name',
  revisionLabel: 'revision_name',
  isError: (l) => l.response_code_class === '5xx' || /^5\d\d$/.test(l.response_code ?? ''),
  msPerUnit: 1
}

/** Knative 1.19.8+ / 1.20.1+: OpenTelemetry names, latencies in seconds. */
export const OPEN_TELEMETRY: MetricFamily = {
  source: 'kn_serving_invocation_duration_seconds',
  count: 'kn_serving_invocation_duration_seconds_count',
  bucket: 'kn_serving_invocation_duration_seconds_bucket',
  namespaceLabel: 'k8s_namespace_name',
  revisionLabel: 'kn_revision_name',
  isError: (l) => /^5\d\d$/.test(l.http_response_status_code ?? ''),
  msPerUnit: 1000
}

/**
 * Knative 1.19.0–1.19.7 and 1.20.0: the first OpenTelemetry name, the same labels. These
 * releases truncate each duration to whole seconds, so sub-second latencies all read as the
 * first bucket: counts and errors are exact, latencies are not evidence below a second.
 */
export const OPEN_TELEMETRY_1_19: MetricFamily = {
  ...OPEN_TELEMETRY,
  source: 'kn_queueproxy_app_duration_seconds',
  count: 'kn_queueproxy_app_duration_seconds_count',
  bucket: 'kn_queueproxy_app_duration_seconds_bucket'
}

/**
 * Tried in this order: the first family with any series for the revisions answers. The
 * OpenTelemetry names labelled per series (a cluster that relabels) first, then joined
 * with `target_info` (one that does not).
 */
export const DATA_PLANE_FAMILIES: readonly MetricFamily[] = [
  OPEN_CENSUS,
  OPEN_TELEMETRY,
  OPEN_TELEMETRY_1_19,
  { ...OPEN_TELEMETRY, joinsTargetInfo: true },
  { ...OPEN_TELEMETRY_1_19, joinsTargetInfo: true }
]

export interface RevisionPair {
  namespace: string
  candidate: string
  current: string
}

/** The judge's `latenciesMs` carries at most this many pseudo-samples per revision. */
export const MAX_LATENCY_SAMPLES = 2000

/**
 * `{__name__=~"^(?:count|bucket)$",ns="…",rev=~"^(?:a|b)$"}`: the counter and the histogram
 * of both revisions in one raw selector, so one evaluation sees them at the same scrape
 * (two queries can straddle one: the counts would include requests the buckets miss).
 * Revision names are DNS labels in practice, but they come from a manifest: regex
 * metacharacters are escaped, then the PromQL string escapes (backslash, quote, newline).
 */
export function familySelector(family: MetricFamily, pair: RevisionPair): string {
  const either = (values: string[]) => promString(`^(?:${values.map(escapeRegex).join('|')})$`)
  const names = `__name__=~"${either([family.count, family.bucket])}"`
  const revisions =
    `${family.namespaceLabel}="${promString(pair.namespace)}",` +
    `${family.revisionLabel}=~"${either([pair.candidate, pair.current])}"`
  if (!family.joinsTargetInfo) return `{${names},${revisions}}`
  const labels = `${family.namespaceLabel}, ${family.revisionLabel}`
  return `{${names}} * on(job, instance) group_left(${labels}) target_info{${revisions}}`
}

const escapeRegex = (v: string) => v.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
const promString = (v: string) => v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))

/** A series' identity: its whole label set (incl. `instance`, `pod_name`), order-free. */
export function seriesKey(labels: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]])
  )
}

/**
 * Increase of each counter series since the window opened.
 * - a series present at the baseline counts from its baseline value;
 * - a value below the last one seen is a counter reset (the pod restarted): the new value
 *   is all increase, from 0;
 * - a series first seen after the baseline started after the window opened: all of it counts;
 * - a series that disappears (pod gone, stale) keeps what it contributed.
 * Without a baseline (the query at opening failed) the first observation becomes it: what
 * was served between opening and that read is missed, but nothing from before the window
 * (an earlier step, the previous rollout) is ever counted as this step's evidence.
 */
export class CounterTracker {
  private readonly series = new Map<
    string,
    { labels: Record<string, string>; last: number; increase: number }
  >()
  private primed = false

  /** `undefined`: the baseline could not be read. */
  constructor(baseline?: readonly Sample[]) {
    if (baseline) this.prime(baseline)
  }

  observe(samples: readonly Sample[]): void {
    if (!this.primed) return this.prime(samples)
    for (const { labels, value } of samples) {
      if (!Number.isFinite(value)) continue
      const key = seriesKey(labels)
      const seen = this.series.get(key)
      if (!seen) this.series.set(key, { labels, last: value, increase: value })
      else {
        seen.increase += value >= seen.last ? value - seen.last : value
        seen.last = value
      }
    }
  }

  /** Whether any series was ever seen, at the baseline or since. */
  get hasSeries(): boolean {
    return this.series.size > 0
  }

  increases(): Sample[] {
    return [...this.series.values()].map((s) => ({ labels: s.labels, value: s.increase }))
  }

  private prime(samples: readonly Sample[]): void {
    this.primed = true
    for (const { labels, value } of samples) {
      if (Number.isFinite(value))
        this.series.set(seriesKey(labels), { labels, last: value, increase: 0 })
    }
  }
}

/** One family's counter and histogram series for a pair of revisions, since the window opened. */
export class ServedTracker {
  private readonly series: CounterTracker

  /** `baseline`: familySelector's answer when the window opened; undefined if it failed. */
  constructor(
    readonly family: MetricFamily,
    private readonly pair: RevisionPair,
    baseline?: readonly Sample[]
  ) {
    this.series = new CounterTracker(baseline)
  }

  observe(samples: readonly Sample[]): void {
    this.series.observe(samples)
  }

  get hasSeries(): boolean {
    return this.series.hasSeries
  }

  evidence(): { candidate: RevisionEvidence; current: RevisionEvidence } {
    return {
      candidate: this.revision(this.pair.candidate),
      current: this.revision(this.pair.current)
    }
  }

  private revision(name: string): RevisionEvidence {
    const { family, pair } = this
    let requests = 0
    let errors = 0
    const cumulative = new Map<number, number>()
    for (const { labels, value } of this.series.increases()) {
      if (labels[family.revisionLabel] !== name || labels[family.namespaceLabel] !== pair.namespace)
        continue
      if (isSeries(family, labels, 'count')) {
        requests += value
        if (family.isError(labels)) errors += value
      } else if (isSeries(family, labels, 'bucket')) {
        // toPrecision: 0.075 s is 75 ms, not 75.00000000000001
        const le = Number((parseLe(labels.le) * family.msPerUnit).toPrecision(12))
        if (!Number.isNaN(le)) cumulative.set(le, (cumulative.get(le) ?? 0) + value)
      }
    }
    return { requests, errors, latenciesMs: pseudoSamples(perBucket(cumulative)) }
  }
}

/** Whether a sample is the family's counter or one of its buckets (a join drops the name). */
function isSeries(
  family: MetricFamily,
  labels: Record<string, string>,
  kind: 'count' | 'bucket'
): boolean {
  if (family.joinsTargetInfo) return (labels.le !== undefined) === (kind === 'bucket')
  return labels.__name__ === family[kind]
}

/** Prometheus writes the top bound `+Inf`, which Number() does not read. */
const parseLe = (le: string | undefined) => (le === '+Inf' ? Infinity : Number(le))

export interface Bucket {
  /** Upper bound in ms (Infinity for +Inf). */
  le: number
  count: number
}

/** Cumulative `le` counts → counts per bucket, ascending. A dip (a reset seen by one bucket series and not another) counts as 0. */
export function perBucket(cumulative: ReadonlyMap<number, number>): Bucket[] {
  const bounds = [...cumulative.keys()].sort((a, b) => a - b)
  let below = 0
  return bounds.map((le) => {
    const total = cumulative.get(le)!
    const count = Math.max(0, total - below)
    below = Math.max(below, total)
    return { le, count }
  })
}

/**
 * Pseudo-samples for the judge's `latenciesMs`: at most `max`, allotted to buckets in
 * proportion to their counts (largest remainder), each at its bucket's midpoint; the first
 * bucket at half its bound, +Inf at the highest finite bound (as histogram_quantile does).
 * Why midpoints: Mann-Whitney only needs the order, which buckets preserve; the Hodges-
 * Lehmann shift and the p99 guard need values, and a midpoint is at most half a bucket
 * from any value in it, the best a histogram can promise without assuming a distribution.
 */
export function pseudoSamples(buckets: readonly Bucket[], max = MAX_LATENCY_SAMPLES): number[] {
  const finite = buckets.filter((b) => Number.isFinite(b.le)).map((b) => b.le)
  if (finite.length === 0) return []
  const highest = finite[finite.length - 1]
  const total = buckets.reduce((sum, b) => sum + b.count, 0)
  const n = Math.min(max, Math.round(total))
  if (n <= 0) return []
  const quotas = buckets.map((b) => (b.count * n) / total)
  const allotted = quotas.map(Math.floor)
  const byRemainder = quotas
    .map((q, i) => ({ i, rest: q - Math.floor(q) }))
    // Array sort is stable: equal remainders keep the lower bucket first.
    .sort((a, b) => b.rest - a.rest)
  let missing = n - allotted.reduce((sum, k) => sum + k, 0)
  for (const { i } of byRemainder) {
    if (missing-- <= 0) break
    allotted[i]++
  }
  const out: number[] = []
  let lower = 0
  buckets.forEach((b, i) => {
    const value = Number.isFinite(b.le) ? (lower + b.le) / 2 : highest
    for (let k = 0; k < allotted[i]; k++) out.push(value)
    if (Number.isFinite(b.le)) lower = b.le
  })
  return out
}
