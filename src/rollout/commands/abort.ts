// `abort`: the open rollout's candidate back to 0%, on request.

import { outcome, stateOf, type RunContext } from '../context.js'
import { inFlight } from '../decide.js'
import { guard, rollBack } from '../finish.js'
import { holderName } from '../lease.js'
import type { RunOutcome } from '../result.js'
import { dryRun } from './dry-run.js'

export async function abort(ctx: RunContext): Promise<RunOutcome> {
  const live = await ctx.executor.read()
  const open = inFlight(stateOf(ctx, live))
  if (!live || !open) return outcome(ctx, 'unchanged', `no rollout to abort on "${ctx.name}"`, live)
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
