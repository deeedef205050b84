// `abort`: the open rollout's candidate back to 0%, on request.

import type { KService } from '../../knative/types.js'
import { dns1035LabelErrors } from '../../manifest/names.js'
import { trafficToRelease } from '../../traffic.js'
import { outcome, stateOf, type RunContext } from '../context.js'
import { inFlight } from '../decide.js'
import { guard, rollBack } from '../finish.js'
import { holderName } from '../lease.js'
import type { RunOutcome } from '../result.js'
import type { RolloutState } from '../state.js'
import { dryRun } from './dry-run.js'

export async function abort(ctx: RunContext): Promise<RunOutcome> {
  const live = await ctx.executor.read()
  const state = stateOf(ctx, live)
  const open = inFlight(state) ?? splitToAbort(live, state)
  if (!live || !open) return outcome(ctx, 'unchanged', `no rollout to abort on "${ctx.name}"`, live)
  if (!inFlight(state))
    ctx.log.warn(
      `the rollout state on the Service names no open rollout, but its traffic gives ${open.candidate} ${open.percent}%: aborting that split`
    )
  if (ctx.inputs.dryRun)
    return dryRun(
      ctx,
      live,
      live.spec.template,
      { current: open.current, candidate: open.candidate, percent: 0 },
      []
    )
  const { before } = await ctx.executor.acquire()
  if (before.kind === 'held')
    ctx.log.warn(
      `force: broke the lease of ${holderName(before.lease)}, which was still live; that run stops at its next write`
    )
  ctx.progress.state = open
  return guard(ctx, () => rollBack(ctx, 'aborted on request', 'aborted', false))
}

/**
 * The emergency path must not depend on the state annotations, which anyone with `patch` on
 * the Service can garble (readState then reads no rollout, or one without a candidate): the
 * split this action writes (`current` and `candidate` tags, src/traffic.ts) names the two
 * revisions as well. Undefined unless that split gives the candidate a share.
 */
export function splitToAbort(
  live: KService | undefined,
  state: RolloutState | undefined
): RolloutState | undefined {
  const release = trafficToRelease(live?.spec.traffic)
  if (!release?.candidate || release.percent === 0) return undefined
  const names = [release.current, release.candidate]
  if (names.some((n) => dns1035LabelErrors(n).length > 0)) return undefined
  return {
    phase: 'progressing',
    current: release.current,
    candidate: release.candidate,
    percent: release.percent,
    steps: state?.steps ?? [],
    failures: state?.failures ?? 0,
    history: state?.history ?? []
  }
}
