// `status`: the rollout's phase, the traffic, who holds the lease and why it last stopped.

import { describeTraffic } from '../../traffic.js'
import { outcome, stateOf, type RunContext } from '../context.js'
import { servingRevision } from '../decide.js'
import { describeEvidence } from '../evidence.js'
import { holderName } from '../lease.js'
import type { RunOutcome } from '../result.js'
import { readLease } from '../state.js'

export async function status(ctx: RunContext): Promise<RunOutcome> {
  const live = await ctx.executor.read()
  if (!live)
    return outcome(
      ctx,
      'unchanged',
      `service "${ctx.name}" does not exist in namespace "${ctx.ns}"`
    )
  const state = stateOf(ctx, live)
  const lease = readLease(live)
  const traffic = describeTraffic(live.status?.traffic ?? [])
  const phase = state
    ? `${state.phase}${state.candidate ? ` (candidate ${state.candidate} at ${state.percent}%)` : ''}`
    : 'no rollout yet'
  const held = lease ? `; lease held by ${holderName(lease)}` : ''
  // "Why did it roll back?": the reason and the last analysed step's figures, from the history.
  const last = state?.history.findLast((h) => h.evidence)?.evidence
  // A promotion ends what a pause or a rollback said: its old reason is not this phase's.
  const reason = state && STOPPED.has(state.phase) ? state.reason : undefined
  const why =
    (reason ? `; reason: ${reason}` : '') +
    (last ? `; last analysed ${describeEvidence(last)}` : '')
  ctx.progress.state = state
  // A paused or finished rollout reports its phase; one in progress (or none) is "unchanged".
  const result = !state || state.phase === 'progressing' ? 'unchanged' : state.phase
  return outcome(ctx, result, `${ctx.name}: ${phase}; traffic ${traffic}${held}${why}`, live, {
    currentRevision: state?.current ?? servingRevision(live),
    candidateRevision: state?.candidate,
    ...(reason ? { reason } : {})
  })
}

/** The phases a reason explains. */
const STOPPED = new Set(['paused', 'rolled-back', 'aborted'])
