// Prometheus metric checks, as users write them in the `metrics` input (Flagger's
// MetricTemplate shape, flattened): a name, a PromQL template, a threshold range. Pure:
// parsing, template rendering and judging one value; the query itself is prometheus.ts.
//
//   - name: request-success-rate        # built in (Knative queue-proxy metrics)
//     thresholdRange: { min: 99 }
//   - name: checkout-errors
//     query: sum(rate(app_errors_total{revision="{{ revision }}"}[{{ interval }}]))
//     thresholdRange: { max: 0.5 }
//     interval: 1m

import { parseYamlInput } from '../yaml-input.js'
import type { Verdict } from './verdict.js'

export interface MetricCheck {
  name: string
  query: string
  interval: string
  min?: number
  max?: number
}

export interface MetricContext {
  revision: string
  namespace: string
  service: string
}

export interface CheckResult {
  name: string
  verdict: Verdict
  value?: number
  reason: string
}

export class MetricsConfigError extends Error {}

// Knative's queue-proxy metrics (OpenCensus names, Knative ≤ 1.18) with the OpenTelemetry
// names (kn_serving_invocation_*, 1.19.8+ / 1.20.1+; kn_queueproxy_app_*, 1.19.0–1.20.0) as
// the fallbacks of an `or`, so one query works on any of them (docs/knative-semantics.md):
// first labelled per series (OpenCensus does; a cluster may relabel OpenTelemetry's), then
// OpenTelemetry's joined with `target_info`, where its resource attributes are by default.
const SCOPE = '="{{ namespace }}",'
const OTEL = ['kn_serving_invocation_duration_seconds', 'kn_queueproxy_app_duration_seconds']
const TARGET = `target_info{k8s_namespace_name${SCOPE}kn_revision_name="{{ revision }}"}`
const JOIN = ` * on(job, instance) group_left() ${TARGET}`
const RANGE = '[{{ interval }}]'
const OC_SCOPE = `namespace_name${SCOPE}revision_name="{{ revision }}"`
const OTEL_SCOPE = `k8s_namespace_name${SCOPE}kn_revision_name="{{ revision }}"`
const rate = (series: string, joined: boolean) =>
  joined ? `sum(rate(${series}${RANGE})${JOIN})` : `sum(rate(${series}${RANGE}))`
const withLabels = (labels: string[]) => (labels.length ? `{${labels.join(',')}}` : '')
const successRate = (count: string, scope: string | undefined, good: string) =>
  `100 * (${rate(`${count}${withLabels([scope, good].filter((l) => l !== undefined))}`, !scope)}` +
  ` / ${rate(`${count}${withLabels(scope ? [scope] : [])}`, !scope)})`
const p99 = (bucket: string, scope: string | undefined, toMs: string) =>
  `${toMs}histogram_quantile(0.99, sum by (le) (rate(${bucket}${withLabels(scope ? [scope] : [])}${RANGE})${scope ? '' : JOIN}))`
const BUILT_IN: Record<string, string> = {
  'request-success-rate': [
    successRate('revision_app_request_count', OC_SCOPE, 'response_code_class!="5xx"'),
    ...[OTEL_SCOPE, undefined].flatMap((scope) =>
      OTEL.map((n) => successRate(`${n}_count`, scope, 'http_response_status_code!~"5.."'))
    )
  ].join(' or '),
  'request-duration': [
    p99('revision_app_request_latencies_bucket', OC_SCOPE, ''),
    ...[OTEL_SCOPE, undefined].flatMap((scope) =>
      OTEL.map((n) => p99(`${n}_bucket`, scope, '1000 * '))
    )
  ].join(' or ')
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const PROM_DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/

/** Parses the `metrics` input. Every problem names the check and the field. */
export function parseMetricChecks(yamlText: string | undefined): MetricCheck[] {
  if (!yamlText?.trim()) return []
  let doc: unknown
  try {
    doc = parseYamlInput(yamlText, 'metrics')
  } catch (error) {
    throw new MetricsConfigError((error as Error).message, { cause: error })
  }
  if (!Array.isArray(doc)) throw new MetricsConfigError('metrics: must be a YAML list of checks')
  return doc.map((entry, i) => parseOne(entry, i))
}

function parseOne(entry: unknown, index: number): MetricCheck {
  const where = `metrics[${index}]`
  if (!entry || typeof entry !== 'object')
    throw new MetricsConfigError(`${where}: must be a mapping`)
  const e = entry as Record<string, unknown>
  const name = String(e.name ?? '')
  if (!NAME.test(name))
    throw new MetricsConfigError(
      `${where}.name: "${name}" must be a lowercase name like request-success-rate`
    )
  const query = typeof e.query === 'string' && e.query.trim() ? e.query : BUILT_IN[name]
  if (!query) {
    throw new MetricsConfigError(
      `${where} (${name}): needs a query; the built-in checks are ${Object.keys(BUILT_IN).join(', ')}`
    )
  }
  const interval = String(e.interval ?? '1m')
  if (!PROM_DURATION.test(interval))
    throw new MetricsConfigError(
      `${where}.interval: "${interval}" is not a Prometheus duration such as 30s or 1m`
    )
  const range = (e.thresholdRange ?? {}) as Record<string, unknown>
  const min = number(range.min, `${where}.thresholdRange.min`)
  const max = number(range.max, `${where}.thresholdRange.max`)
  if (min === undefined && max === undefined)
    throw new MetricsConfigError(`${where}.thresholdRange: give min, max or both`)
  // A missing bound is no bound.
  if ((min ?? -Infinity) > (max ?? Infinity))
    throw new MetricsConfigError(`${where}.thresholdRange: min ${min} is above max ${max}`)
  return { name, query, interval, min, max }
}

function number(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined
  const n = Number(value)
  if (!Number.isFinite(n))
    throw new MetricsConfigError(`${where}: "${String(value)}" is not a number`)
  return n
}

/** Fills `{{ revision }}`, `{{ namespace }}`, `{{ service }}`, `{{ interval }}`. */
export function renderQuery(check: MetricCheck, ctx: MetricContext): string {
  const values: Record<string, string> = { ...ctx, interval: check.interval }
  return check.query.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
    key in values ? escapeLabel(values[key]) : whole
  )
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')

/** One value against its range. No value (no series, NaN) is inconclusive, never pass or fail. */
export function judgeMetric(check: MetricCheck, value: number | undefined): CheckResult {
  if (value === undefined || Number.isNaN(value)) {
    return { name: check.name, verdict: 'inconclusive', reason: `${check.name}: no data yet` }
  }
  const shown = Number(value.toPrecision(4))
  if (value < (check.min ?? -Infinity)) {
    return {
      name: check.name,
      verdict: 'fail',
      value,
      reason: `${check.name} ${shown} is below the minimum ${check.min}`
    }
  }
  if (value > (check.max ?? Infinity)) {
    return {
      name: check.name,
      verdict: 'fail',
      value,
      reason: `${check.name} ${shown} is above the maximum ${check.max}`
    }
  }
  return { name: check.name, verdict: 'pass', value, reason: `${check.name} ${shown} within range` }
}
