// What one run of the engine ends with: the report the summary and outputs are drawn from,
// plus the one-line message and the state left on the Service; and the exit status.

import type { TrafficTarget } from '../knative/types.js'
import type { RolloutReport, TrafficShare } from '../report/types.js'
import type { RolloutState } from './state.js'

export interface RunOutcome extends RolloutReport {
  /** One line for humans: what happened and why. */
  message: string
  /** The state on the Service at the end, when there is one. */
  state?: RolloutState
}

/** The exit status: 0 for promoted, previewed, paused, aborted, unchanged and status; non-zero otherwise. */
export function exitCodeFor(outcome: Pick<RolloutReport, 'command' | 'result'>): number {
  // status reports a phase (a rolled-back one too) with 0; a status that could not read the
  // Service (unreachable, untrusted, forbidden) has failed, and says so.
  if (outcome.command === 'status') return outcome.result === 'failed' ? 1 : 0
  return outcome.result === 'rolled-back' || outcome.result === 'failed' ? 1 : 0
}

/** status.traffic as the report's shares (entries without a resolved revision are skipped). */
export function toShares(traffic: readonly TrafficTarget[] | undefined): TrafficShare[] {
  return (traffic ?? [])
    .filter((t) => t.revisionName)
    .map((t) => ({
      revisionName: t.revisionName!,
      percent: t.percent ?? 0,
      ...(t.tag ? { tag: t.tag } : {})
    }))
}
