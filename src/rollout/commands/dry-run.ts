// `dry-run`: what a command would write, printed; nothing is written.

import type { KService, RevisionTemplate } from '../../knative/types.js'
import type { Release } from '../../traffic.js'
import { outcome, type RunContext } from '../context.js'
import type { RunOutcome } from '../result.js'

export async function dryRun(
  ctx: RunContext,
  live: KService | undefined,
  template: RevisionTemplate,
  release: Release,
  plan: number[]
): Promise<RunOutcome> {
  const { command, pauseAt } = ctx.inputs
  const steps = plan.join(', ') || 'none'
  ctx.log.info(`dry run: nothing is written. ${command} of ${ctx.name} would write:`)
  const changes = await ctx.executor.describe({ template, release }, live)
  ctx.log.info(changes)
  ctx.log.info(`steps: ${steps}${pauseAt ? `, pausing at ${pauseAt}%` : ''}`)
  const revision = release.candidate ?? release.current
  return {
    ...outcome(ctx, 'unchanged', `dry run: would ${command} ${revision} (steps ${steps})`, live, {
      currentRevision: release.candidate ? release.current : undefined,
      candidateRevision: revision
    }),
    dryRun: true,
    // The summary shows the plan and, folded, what would be written.
    plan: { steps: plan, pauseAt, stepIntervalMs: ctx.inputs.stepIntervalMs, changes }
  }
}
