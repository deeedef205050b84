// Scale to zero as a rollout sees it (pkg/reconciler/autoscaling/kpa/ in knative/serving):
// a ready revision that gets no request for the stable window plus the scale-to-zero grace
// period goes inactive (Active=False NoTraffic, no pod, actualReplicas 0), unless its
// `autoscaling.knative.dev/min-scale` keeps replicas; the next request wakes it, after a
// cold start. Pure: times in ms. docs/knative-semantics.md ("Scale to zero").

import type { KObject } from '../store.js'

export interface AutoscalingSettings {
  /** On by default, as `enable-scale-to-zero` in config-autoscaler. */
  scaleToZero: boolean
  /** `stable-window` in config-autoscaler: 60s. */
  stableWindowMs: number
  /** `scale-to-zero-grace-period` in config-autoscaler: 30s. */
  gracePeriodMs: number
  /** How long the first request to an inactive revision waits for its pod. */
  coldStartMs: number
}

export const KNATIVE_AUTOSCALING: AutoscalingSettings = {
  scaleToZero: true,
  stableWindowMs: 60_000,
  gracePeriodMs: 30_000,
  coldStartMs: 1_000
}

const MIN_SCALE = ['autoscaling.knative.dev/min-scale', 'autoscaling.knative.dev/minScale']

/** The revision's min-scale annotation, 0 when absent or not a whole number. */
export function minScaleOf(rev: KObject): number {
  const annotations = rev.metadata.annotations ?? {}
  const value = MIN_SCALE.map((k) => annotations[k]).find((v) => v !== undefined)
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : 0
}

export interface Activity {
  active: boolean
  /** When an active revision goes inactive if no request comes first. */
  inactiveAtMs?: number
}

/**
 * `readyMs`: when the revision became ready; `lastRequestMs`: its last request, if any.
 * Idle time counts from the later of the two.
 */
export function activityOf(
  nowMs: number,
  readyMs: number,
  lastRequestMs: number | undefined,
  minScale: number,
  settings: AutoscalingSettings
): Activity {
  if (!settings.scaleToZero || minScale > 0) return { active: true }
  const idleSince = Math.max(readyMs, lastRequestMs ?? readyMs)
  const inactiveAtMs = idleSince + settings.stableWindowMs + settings.gracePeriodMs
  return nowMs >= inactiveAtMs ? { active: false } : { active: true, inactiveAtMs }
}

/** The Revision condition for an inactive revision (revision_lifecycle.go). */
export const NO_TRAFFIC = { reason: 'NoTraffic', message: 'The target is not receiving traffic.' }

export const isInactive = (rev: KObject): boolean =>
  (rev.status?.conditions ?? []).some(
    (c: { type: string; status: string; reason?: string }) =>
      c.type === 'Active' && c.status === 'False' && c.reason === NO_TRAFFIC.reason
  )
