// The one result a run of many rollouts ends with: the worst of theirs. Pure.

import type { RolloutResult } from '../report/types.js'

/**
 * Each result's rank, best lowest (docs/pipelines.md). A Record, so a new result cannot be
 * left out: one missing from the order would never count as worse than `unchanged`. A
 * preview ready on its tag (`previewed`) reached its goal as a promotion does, with
 * production untouched; one run has one command, so it only meets `unchanged`, `aborted`
 * (a cleanup) and `failed`.
 */
const RANK: Record<RolloutResult, number> = {
  unchanged: 0,
  promoted: 1,
  previewed: 2,
  paused: 3,
  aborted: 4,
  'rolled-back': 5,
  failed: 6
}

/** Best first: a later result is worse. */
export const SEVERITY: readonly RolloutResult[] = (Object.keys(RANK) as RolloutResult[]).sort(
  (a, b) => RANK[a] - RANK[b]
)

/** The worst of `results`; `unchanged` when there are none. */
export function worstResult(results: readonly RolloutResult[]): RolloutResult {
  let worst: RolloutResult = 'unchanged'
  for (const r of results) if (RANK[r] > RANK[worst]) worst = r
  return worst
}

/** A stage may be followed by the next only when every rollout in it ended here. */
export function reachedGoal(result: RolloutResult): boolean {
  return result === 'promoted' || result === 'previewed' || result === 'unchanged'
}

/** A result fail-fast stops the others on. */
export function isFailure(result: RolloutResult): boolean {
  return result === 'failed' || result === 'rolled-back'
}
