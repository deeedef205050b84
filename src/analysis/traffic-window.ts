// Users' traffic per revision since a window opened (a step began), as Knative's queue-proxy
// counted it in Prometheus: the thin adapter that runs the raw queries of data-plane.ts and
// feeds its trackers. One query per family and read (counter and histogram buckets of both
// revisions); the OpenTelemetry names only when the OpenCensus ones are empty.

import {
  DATA_PLANE_FAMILIES,
  familySelector,
  ServedTracker,
  type MetricFamily,
  type RevisionPair,
  type Sample
} from './data-plane.js'
import type { RevisionEvidence } from './judge.js'
import type { PrometheusClient } from './prometheus.js'

export interface ServedTraffic {
  candidate: RevisionEvidence
  current: RevisionEvidence
  /** which metric family answered, e.g. 'revision_app_request_count' or 'kn_serving_invocation_duration_seconds' */
  source: string
}

export interface TrafficWindow {
  /** Users' traffic per revision since the window opened; undefined when Prometheus has no series for them (no data) or cannot answer. Never throws. */
  read(): Promise<ServedTraffic | undefined>
}

/**
 * Takes the baseline snapshot of every family now. Never throws: a family whose baseline
 * cannot be read takes its first successful read as the baseline instead (see
 * CounterTracker), so a flaky Prometheus costs a few seconds of evidence, never counts
 * traffic from before the window. `families` is for tests; the order is the fallback order.
 */
export async function openTrafficWindow(
  prometheus: PrometheusClient,
  target: RevisionPair,
  families: readonly MetricFamily[] = DATA_PLANE_FAMILIES
): Promise<TrafficWindow> {
  const trackers = await Promise.all(
    families.map(
      async (family) =>
        new ServedTracker(family, target, await snapshot(prometheus, family, target))
    )
  )
  return {
    async read() {
      for (const tracker of trackers) {
        const now = await snapshot(prometheus, tracker.family, target)
        if (!now) return undefined
        tracker.observe(now)
        if (tracker.hasSeries) return { ...tracker.evidence(), source: tracker.family.source }
      }
      return undefined
    }
  }
}

/** One family's series for both revisions, or undefined when Prometheus cannot answer. */
async function snapshot(
  prometheus: PrometheusClient,
  family: MetricFamily,
  target: RevisionPair
): Promise<Sample[] | undefined> {
  return prometheus.queryVector(familySelector(family, target)).catch(() => undefined)
}
