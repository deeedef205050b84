// The one result a run of many rollouts ends with: the worst of theirs. Pure.

import type { RolloutResult } from '../report/types.js'

/** Best first: a later result is worse (docs/pipelines.md). */
export const SEVERITY: readonly RolloutResult[] = [
  'unchanged',
  'promoted',
  'paused',
  'aborted',
  'rolled-back',
  'failed'
]

/** The worst of `results`; `unchanged` when there are none. */
export function worstResult(results: readonly RolloutResult[]): RolloutResult {
  let worst: RolloutResult = 'unchanged'
  for (const r of results) if (SEVERITY.indexOf(r) > SEVERITY.indexOf(worst)) worst = r
  return worst
}

/** A stage may be followed by the next only when every rollout in it ended here. */
export function promotedOrUnchanged(result: RolloutResult): boolean {
  return result === 'promoted' || result === 'unchanged'
}

/** A result fail-fast stops the others on. */
export function isFailure(result: RolloutResult): boolean {
  return result === 'failed' || result === 'rolled-back'
}
