// What the judge measures and against what: the synthetic probes, the thresholds, and
// Prometheus with its credentials, metric checks and webhooks.

import { parseMetricChecks, type MetricCheck } from '../analysis/metric-checks.js'
import { parseWebhooks, type Webhook } from '../analysis/webhooks.js'
import type { Thresholds } from '../inputs.js'
import { checkUrl, duration, integer, parseRate, type Problems } from './fields.js'

const MAX_PROBE_RPS = 1000

export interface JudgeInputs {
  probe: { path: string; rps: number; ingressAddress?: string }
  /** Undefined where the input is bad (reported). */
  thresholds: Partial<Thresholds>
  prometheusUrl?: string
  /** Prometheus bearer token (secret); or basic auth with username and password (secret). */
  prometheusToken?: string
  prometheusUsername?: string
  prometheusPassword?: string
  metrics: MetricCheck[]
  webhooks: Webhook[]
}

export function parseJudgeInputs(
  p: Problems,
  raw: (name: string) => string,
  command: string | undefined
): JudgeInputs {
  const optional = (name: string) => raw(name) || undefined
  const probe = parseProbe(p, raw)
  const thresholds = {
    minSuccessRate: parseRate(p, raw('min-success-rate')),
    maxLatencyP99Ms: duration(p, 'max-latency-p99', raw('max-latency-p99')),
    minRequests: integer(p, 'min-requests', raw('min-requests'), 0),
    failureThreshold: integer(p, 'failure-threshold', raw('failure-threshold'), 1)
  }
  const prometheusUrl = optional('prometheus-url')
  if (prometheusUrl) checkUrl(p, 'prometheus-url', prometheusUrl, false)
  const prometheusToken = optional('prometheus-token')
  const prometheusUsername = optional('prometheus-username')
  const prometheusPassword = optional('prometheus-password')
  if (prometheusToken && (prometheusUsername || prometheusPassword))
    p.need('prometheus-token', 'give a bearer token or a username and password, not both')
  if (!prometheusUsername !== !prometheusPassword)
    p.need(
      'prometheus-username, prometheus-password',
      'basic auth needs both (keep the password in a secret)'
    )
  if ((prometheusToken || prometheusUsername) && !prometheusUrl)
    p.need('prometheus-url', 'required when Prometheus credentials are given')
  const metricsText = optional('metrics')
  const metrics = p.from(() => parseMetricChecks(metricsText)) ?? []
  const webhooks = p.from(() => parseWebhooks(optional('webhooks'))) ?? []
  if (metricsText && !prometheusUrl)
    p.need('metrics', 'needs prometheus-url to run its queries against')
  if (probe.rps === 0 && !prometheusUrl && command === 'rollout') {
    p.need(
      'probe-rps',
      '0 turns synthetic probes off, which leaves the judge nothing to measure without prometheus-url'
    )
  }
  return {
    probe,
    thresholds,
    prometheusUrl,
    prometheusToken,
    prometheusUsername,
    prometheusPassword,
    metrics,
    webhooks
  }
}

function parseProbe(p: Problems, raw: (name: string) => string): JudgeInputs['probe'] {
  const path = raw('probe-path')
  if (!path.startsWith('/') || /\s/.test(path)) {
    p.add(
      'probe-path',
      path,
      'must be a URL path starting with "/" and without spaces, e.g. /healthz'
    )
  }
  const rps = Number(raw('probe-rps'))
  if (!/^\d+(\.\d+)?$/.test(raw('probe-rps')) || rps > MAX_PROBE_RPS) {
    p.add(
      'probe-rps',
      raw('probe-rps'),
      `must be a number of requests per second from 0 to ${MAX_PROBE_RPS} (0 turns synthetic probes off)`
    )
  }
  const ingressAddress = raw('ingress-address') || undefined
  if (ingressAddress) checkUrl(p, 'ingress-address', ingressAddress, true)
  return { path, rps, ingressAddress }
}
