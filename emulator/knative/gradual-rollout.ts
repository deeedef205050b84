// Gradual rollout (`serving.knative.dev/rollout-duration`, pkg/reconciler/route/traffic/
// rollout.go): when a `latestRevision: true` target's revision changes, the new one starts
// at 1% and gains equal steps until it holds the target's whole share, while status.traffic
// carries one entry per revision of that target. Pure: times in ms, state in and out.
// docs/knative-semantics.md ("Gradual rollout").

import type { TrafficTarget } from '../../src/knative/types.js'
import type { KObject } from '../store.js'
import { A } from './labels.js'
import { parseGoDuration } from './names.js'

/** One config target's rollout: revisions oldest first, the newest gaining. */
export interface TargetRollout {
  percent: number
  revisions: { revisionName: string; percent: number }[]
  stepSize: number
  stepMs: number
  nextStepMs: number
}

/** By the target's tag ('' for none). */
export type RolloutState = Record<string, TargetRollout>

export function rolloutDurationMs(route: KObject): number {
  const a = route.metadata.annotations ?? {}
  const value = a[A.rolloutDuration] ?? a[A.rolloutDurationAlias]
  const ns = value ? parseGoDuration(value) : undefined
  return ns && ns > 0 ? Math.floor(ns / 1e9) * 1000 : 0
}

export interface RolloutResult {
  traffic: TrafficTarget[]
  state: RolloutState
  /** A rollout is still moving traffic. */
  inProgress: boolean
  /** When the next step is due. */
  wakeAtMs?: number
}

const keyOf = (t: TrafficTarget) => t.tag ?? ''

/**
 * `served`: the previous status.traffic; `desired`: the traffic resolved now (config targets
 * on their latest ready revision); `state`: the rollouts in progress.
 */
export function stepRollout(
  served: readonly TrafficTarget[] | undefined,
  desired: readonly TrafficTarget[],
  state: RolloutState,
  durationMs: number,
  nowMs: number
): RolloutResult {
  const next: RolloutState = {}
  const traffic: TrafficTarget[] = []
  for (const target of desired) {
    const key = keyOf(target)
    const percent = target.percent ?? 0
    const rollout =
      target.latestRevision && percent > 1 && durationMs > 0
        ? advance(state[key] ?? start(served, target, durationMs, nowMs), target, nowMs)
        : undefined
    if (!rollout || rollout.revisions.length < 2) {
      traffic.push(target)
      continue
    }
    next[key] = rollout
    for (const r of rollout.revisions) traffic.push({ ...target, ...r })
  }
  const pending = Object.values(next)
  return {
    traffic,
    state: next,
    inProgress: pending.length > 0,
    wakeAtMs: pending.length ? Math.min(...pending.map((r) => r.nextStepMs)) : undefined
  }
}

/** A new rollout when the target's single served revision is not the desired one. */
function start(
  served: readonly TrafficTarget[] | undefined,
  target: TrafficTarget,
  durationMs: number,
  nowMs: number
): TargetRollout | undefined {
  const before = (served ?? []).filter((t) => t.latestRevision && keyOf(t) === keyOf(target))
  if (before.length !== 1 || !before[0].percent || before[0].revisionName === target.revisionName)
    return undefined // a new tag starts at its full share at once
  const percent = target.percent!
  // The ingress is ready at once here, so the minimum step is 1 s.
  const minStepSec = 1
  const durSec = Math.max(1, durationMs / 1000 - minStepSec)
  const steps = Math.max(1, Math.min(Math.floor(durSec / minStepSec), percent - 1))
  const stepMs = (durSec * 1000) / steps
  return {
    percent,
    revisions: [
      { revisionName: before[0].revisionName!, percent: percent - 1 },
      { revisionName: target.revisionName!, percent: 1 }
    ],
    stepSize: Math.max(1, Math.round((percent - 1) / steps)),
    stepMs,
    nextStepMs: nowMs + stepMs
  }
}

function advance(
  rollout: TargetRollout | undefined,
  target: TrafficTarget,
  nowMs: number
): TargetRollout | undefined {
  if (!rollout) return undefined
  const r = structuredClone(rollout)
  const newest = () => r.revisions[r.revisions.length - 1]
  if (newest().revisionName !== target.revisionName) {
    // Another revision arrived mid-rollout: it starts at 1%, taken from the newest one.
    const donor = [...r.revisions].reverse().find((x) => x.percent > 1)
    if (donor) donor.percent -= 1
    r.revisions.push({ revisionName: target.revisionName!, percent: donor ? 1 : 0 })
  }
  const percent = target.percent ?? 0
  if (percent !== r.percent) {
    // Less: taken from the oldest; more: given to the newest.
    let delta = percent - r.percent
    if (delta > 0) newest().percent += delta
    for (const x of r.revisions) {
      if (delta >= 0) break
      const take = Math.min(x.percent, -delta)
      x.percent -= take
      delta += take
    }
    r.percent = percent
  }
  while (nowMs >= r.nextStepMs && r.revisions.length > 1) {
    let move = r.stepSize
    for (let i = r.revisions.length - 2; i >= 0 && move > 0; i--) {
      const take = Math.min(r.revisions[i].percent, move)
      r.revisions[i].percent -= take
      newest().percent += take
      move -= take
    }
    newest().percent = Math.min(newest().percent, r.percent)
    r.revisions = r.revisions.filter((x, i) => x.percent > 0 || i === r.revisions.length - 1)
    r.nextStepMs += r.stepMs
  }
  return r
}
