// queue-proxy's request metrics, as Prometheus scrapes them from a revision's pods
// (docs/knative-semantics.md, "Metrics"), in text exposition format 0.0.4, in the one
// generation the emulated release exports (knative-version.ts). Label strings are built
// once per series so recording a request is a few map lookups and additions.

import type { MetricGeneration } from '../knative-version.js'

/** The revision-level labels every series carries. */
export interface RevisionLabels {
  namespace: string
  service: string
  configuration: string
  revision: string
  pod: string
}

/** OpenCensus-era latency buckets, in ms. */
export const MS_BUCKETS = [
  5, 10, 20, 40, 60, 80, 100, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000,
  2000, 5000, 10000, 20000, 50000, 100000
]
/** OpenTelemetry-era `kn.serving.invocation.duration` buckets, in seconds. */
export const SECONDS_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10
]

class Histogram {
  /** Per bucket (not cumulative), the last one being +Inf. */
  readonly counts: number[]
  sum = 0
  count = 0

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0)
  }

  observe(value: number): void {
    let i = 0
    while (i < this.bounds.length && value > this.bounds[i]) i++
    this.counts[i]++
    this.sum += value
    this.count++
  }

  write(out: string[], name: string, labels: string): void {
    let running = 0
    for (let i = 0; i < this.counts.length; i++) {
      running += this.counts[i]
      const le = i < this.bounds.length ? String(this.bounds[i]) : '+Inf'
      out.push(`${name}_bucket{${labels},le="${le}"} ${running}`)
    }
    out.push(`${name}_sum{${labels}} ${this.sum}`)
    out.push(`${name}_count{${labels}} ${this.count}`)
  }
}

/** One counter plus one latency histogram under a fixed label string. */
class Series {
  count = 0
  readonly latency: Histogram

  constructor(
    readonly labels: string,
    bounds: readonly number[]
  ) {
    this.latency = new Histogram(bounds)
  }
}

/** A revision's series; `record` is the per-request hot path. */
export class RevisionMetrics {
  /** by response code: revision_app_request_* (what reached the user container) */
  readonly app = new Map<number, Series>()
  /** by `code route_tag`: revision_request_* (what reached queue-proxy) */
  readonly request = new Map<string, Series>()
  /** by response code: the OpenTelemetry histogram, in seconds */
  readonly otel = new Map<number, Series>()
  /** the same, truncated to whole seconds as 1.19.0–1.20.1 record it */
  readonly otelWhole = new Map<number, Series>()
  private readonly openCensusLabels: string
  private readonly otelLabels: string
  /** The OpenTelemetry resource attributes, as the exporter writes them on `target_info`. */
  readonly targetInfo: string

  constructor(readonly labels: RevisionLabels) {
    this.openCensusLabels = labelString([
      ['namespace_name', labels.namespace],
      ['service_name', labels.service || 'unknown'],
      ['configuration_name', labels.configuration],
      ['revision_name', labels.revision],
      ['pod_name', labels.pod],
      ['container_name', 'queue-proxy']
    ])
    // Real OpenTelemetry puts these on `target_info` only; a cluster copies them onto each
    // series with a scrape-time relabel (or a join). The emulator serves them as if that
    // relabel were configured, so per-revision queries work against it unchanged.
    this.otelLabels = labelString([
      ['k8s_namespace_name', labels.namespace],
      ['kn_service_name', labels.service],
      ['kn_configuration_name', labels.configuration],
      ['kn_revision_name', labels.revision]
    ])
    this.targetInfo = labelString([
      ['k8s_container_name', 'queue-proxy'],
      ['k8s_namespace_name', labels.namespace],
      ['k8s_pod_name', labels.pod],
      ['kn_configuration_name', labels.configuration],
      ['kn_revision_name', labels.revision],
      ['kn_service_name', labels.service],
      ['service_name', 'queue-proxy']
    ])
  }

  /** `text` with this revision's resource labels taken off its OpenTelemetry series. */
  withoutResource(text: string): string {
    return text.split(`{${this.otelLabels},`).join('{')
  }

  record(code: number, routeTag: string, ms: number): void {
    let app = this.app.get(code)
    if (!app) {
      app = new Series(`${this.openCensusLabels},${codeLabels(code)}`, MS_BUCKETS)
      this.app.set(code, app)
    }
    app.count++
    app.latency.observe(ms)

    const key = `${code} ${routeTag}`
    let request = this.request.get(key)
    if (!request) {
      const labels = `${this.openCensusLabels},${codeLabels(code)},${labelString([['route_tag', routeTag]])}`
      request = new Series(labels, MS_BUCKETS)
      this.request.set(key, request)
    }
    request.count++
    request.latency.observe(ms)

    this.observeOtel(this.otel, code, ms / 1000)
    this.observeOtel(this.otelWhole, code, Math.trunc(ms / 1000))
  }

  private observeOtel(map: Map<number, Series>, code: number, seconds: number): void {
    let otel = map.get(code)
    if (!otel) {
      otel = new Series(`${this.otelLabels},http_response_status_code="${code}"`, SECONDS_BUCKETS)
      map.set(code, otel)
    }
    otel.count++
    otel.latency.observe(seconds)
  }
}

export class MetricsRegistry {
  /** Keyed by label content, so a revision rebuilt with the same labels keeps its counts. */
  private readonly revisions = new Map<string, RevisionMetrics>()

  /** `generation` is read at each scrape: the release's one family is exported. */
  constructor(private readonly generation: () => MetricGeneration) {}

  forRevision(labels: RevisionLabels): RevisionMetrics {
    const key = JSON.stringify(labels)
    let found = this.revisions.get(key)
    if (!found) {
      found = new RevisionMetrics(labels)
      this.revisions.set(key, found)
    }
    return found
  }

  /** The pods that have metrics, each a scrape target of its own on a cluster. */
  pods(): RevisionLabels[] {
    return [...this.revisions.values()].map((r) => r.labels)
  }

  /**
   * One pod's queue-proxy endpoint as the release exports it: OpenTelemetry releases put
   * the resource attributes on `target_info` only (no resource labels on the series), so a
   * query has to join on the scrape target; OpenCensus ones label each series.
   */
  podExposition(namespace: string, pod: string): string | undefined {
    const mine = [...this.revisions.values()].filter(
      (r) => r.labels.namespace === namespace && r.labels.pod === pod
    )
    if (!mine.length) return undefined
    const { family } = this.generation()
    if (family === 'revision') return this.exposition(mine)
    const info = `# HELP target_info Target metadata\n# TYPE target_info gauge\ntarget_info{${mine[0].targetInfo}} 1\n`
    return mine.reduce((text, r) => r.withoutResource(text), info + this.exposition(mine))
  }

  exposition(all = [...this.revisions.values()]): string {
    const out: string[] = []
    const counter = (name: string, help: string, series: Series[]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`)
      for (const s of series) out.push(`${name}{${s.labels}} ${s.count}`)
    }
    const histogram = (name: string, help: string, series: Series[]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`)
      for (const s of series) s.latency.write(out, name, s.labels)
    }
    const { family, wholeSeconds } = this.generation()
    if (family !== 'revision') {
      const otel = all.flatMap((r) => [...(wholeSeconds ? r.otelWhole : r.otel).values()])
      histogram(family, 'The duration of task execution (unit: s)', otel)
      return out.join('\n') + '\n'
    }
    const app = all.flatMap((r) => [...r.app.values()])
    const request = all.flatMap((r) => [...r.request.values()])
    counter(
      'revision_app_request_count',
      'The number of requests that are routed to user-container',
      app
    )
    histogram('revision_app_request_latencies', 'The response time in millisecond', app)
    counter(
      'revision_request_count',
      'The number of requests that are routed to queue-proxy',
      request
    )
    histogram('revision_request_latencies', 'The response time in millisecond', request)
    return out.join('\n') + '\n'
  }
}

function codeLabels(code: number): string {
  return `response_code="${code}",response_code_class="${Math.floor(code / 100)}xx"`
}

function labelString(pairs: [string, string][]): string {
  return pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')
}

/** Text format 0.0.4: backslash, double quote and line feed are escaped in label values. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))
}
