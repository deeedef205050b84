// `promote`: a paused (or interrupted) rollout walks its remaining steps to 100%.

import { isReady } from '../../knative/types.js'
import { planSteps } from '../../traffic.js'
import { event, outcome, stateOf, type RunContext } from '../context.js'
import { inFlight } from '../decide.js'
import { guard } from '../finish.js'
import { digestOf } from '../readiness.js'
import type { RunOutcome } from '../result.js'
import { walk } from '../walk.js'
import { dryRun } from './dry-run.js'

export async function promote(ctx: RunContext): Promise<RunOutcome> {
  const live = await ctx.executor.read()
  const open = inFlight(stateOf(ctx, live))
  if (!live || !open)
    return outcome(ctx, 'unchanged', `no rollout to promote on "${ctx.name}"`, live)
  const candidate = await ctx.executor.revision(open.candidate!)
  if (!candidate || !isReady(candidate))
    throw new Error(`the candidate ${open.candidate} is not ready; cannot promote it`)
  ctx.progress.candidateDigest = digestOf(candidate.status?.containerStatuses?.[0]?.imageDigest)
  const rest = ctx.inputs.steps.filter((p) => p > open.percent)
  if (ctx.inputs.dryRun)
    return dryRun(
      ctx,
      live,
      live.spec.template,
      { current: open.current, candidate: open.candidate, percent: rest[0] ?? 100 },
      rest
    )
  await ctx.executor.acquire()
  ctx.progress.state = event(
    ctx,
    { ...open, phase: 'progressing', failures: 0 },
    `promote requested at ${open.percent}%`
  )
  return guard(ctx, () => walk(ctx, planSteps({ steps: rest, startPercent: open.percent })))
}
