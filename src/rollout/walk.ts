// The walk through the steps: carry out intent.ts's next move (write a split, analyse,
// promote, pause) until the run ends. Shared by `rollout` and `promote`.

import { describeTraffic, statusShows, type Release, type StepPlan } from '../traffic.js'
import type { RunOutcome } from './result.js'
import type { GateType } from './step-checks.js'
import { checkContext, event, type RunContext } from './context.js'
import { stepEvidence } from './evidence.js'
import { templateDrift, trafficDrift } from './drift.js'
import { announce, waitGate } from './hooks.js'
import { advance, afterStep, nextIntent, type Walk } from './intent.js'
import { analyse, readRevisionsEarly, stepPhase, type Hold } from './step-loop.js'
import { pause, promoteNow, rollBack, stopped } from './finish.js'

export async function walk(ctx: RunContext, plan: StepPlan): Promise<RunOutcome> {
  let w: Walk = {
    percents: plan.percents,
    done: 0,
    pause: plan.pause,
    share: ctx.progress.state!.percent,
    analysedAny: ctx.progress.steps.length > 0,
    command: ctx.inputs.command
  }
  for (;;) {
    const intent = nextIntent(w)
    switch (intent.kind) {
      case 'promote':
        return (await holdWhileGated(ctx, 'confirm-promotion', 100)) ?? promoteNow(ctx)
      case 'pause':
        return pause(
          ctx,
          `paused at ${ctx.progress.state!.percent}% (pause-at); run the promote or abort command to finish`
        )
      case 'split': {
        const ended = await writeSplit(ctx, intent.percent, intent.gated)
        if (ended) return ended
        break
      }
      case 'analyse': {
        const ended = await analyseStep(ctx, intent.percent)
        if (ended) return ended
        break
      }
    }
    w = advance(w, intent)
  }
}

/** The candidate's share to `percent` (asking confirm-traffic-increase first when it grows). */
async function writeSplit(
  ctx: RunContext,
  percent: number,
  gated: boolean
): Promise<RunOutcome | undefined> {
  if (gated) {
    const failed = await holdWhileGated(ctx, 'confirm-traffic-increase', percent)
    if (failed) return failed
  }
  // The step's log group begins where its split is written (the step loop's is the same one).
  ctx.log.phase?.(stepPhase(ctx, percent))
  const st = ctx.progress.state!
  const next = event(ctx, { ...st, percent }, `step ${percent}%`)
  const written = await ctx.executor.apply({
    release: { current: st.current, candidate: st.candidate, percent },
    expect: { current: st.current, candidate: st.candidate, percent: st.percent },
    state: next
  })
  if (!written.ok) return stopped(ctx, written.stop)
  ctx.progress.state = next
  await announce(ctx, 'Progressing', `advance ${st.candidate} weight ${percent}`)
  return undefined
}

/**
 * A confirm-* gate before the candidate's share grows to `askedPercent`. While it is
 * closed and the candidate serves users, the wait is spent analysing at the present share
 * (Flagger does so during confirm-promotion): a candidate that goes bad while someone
 * decides is rolled back, not promoted on an old pass. The hold is one sequential test
 * over all its evidence, so a long wait does not add false alarms round after round.
 * Returns the run's end (a rollback, a stop), or undefined once the gate is open.
 */
async function holdWhileGated(
  ctx: RunContext,
  gate: GateType,
  askedPercent: number
): Promise<RunOutcome | undefined> {
  const heldAt = ctx.progress.state!.percent
  if (heldAt === 0 || ctx.inputs.command !== 'rollout') {
    const stop = await waitGate(ctx, gate, askedPercent)
    return stop && stopped(ctx, stop)
  }
  const closed = await ctx.checks.closedGates(gate, checkContext(ctx, askedPercent))
  if (!closed.length) return undefined
  ctx.log.info(
    `${gate} gate ${closed.map((n) => `"${n}"`).join(', ')} is closed: holding at ${heldAt}% and analysing until it opens`
  )
  return analyseStep(ctx, heldAt, { gate, askedPercent })
}

/**
 * Waits for the split at `percent`, then analyses until a step passes; returns the
 * rollback's outcome when failures reach failure-threshold (or a rollback hook asks).
 */
async function analyseStep(
  ctx: RunContext,
  percent: number,
  hold?: Hold
): Promise<RunOutcome | undefined> {
  const st = ctx.progress.state!
  const what = hold ? `holding at ${percent}% for ${hold.gate}` : `step ${percent}%`
  const release: Release = { current: st.current, candidate: st.candidate, percent }
  const waiting = ctx.executor.waitFor(
    (s) => statusShows(s.status?.traffic, release),
    `${percent}% on ${st.candidate}`
  )
  // The first analysis's revision reads run during the wait (step-loop.ts); begun after the
  // wait, which starts from what our write returned (a read before it would cost a list).
  let early = readRevisionsEarly(ctx)
  const shown = await waiting
  if (!shown.ok) return stopped(ctx, shown.stop)
  ctx.log.info(`step ${percent}%: ${describeTraffic(shown.service.status?.traffic ?? [])}`)
  for (;;) {
    const step = await analyse(ctx, shown.service, percent, hold, early)
    early = undefined
    if ('kind' in step) return stopped(ctx, step)
    ctx.progress.steps.push(step)
    ctx.onStep?.(step)
    const drift = await driftAfterStep(ctx, release)
    if (drift) return drift
    const evidence = stepEvidence(step)
    const failures = ctx.progress.state!.failures + (step.verdict === 'pass' ? 0 : 1)
    const threshold = ctx.inputs.thresholds.failureThreshold
    const next = afterStep(step.verdict, failures, threshold, !!ctx.progress.rollbackHook)
    if (next === 'next') {
      ctx.progress.state = event(ctx, ctx.progress.state!, `${what} passed`, evidence)
      return undefined
    }
    const verdict = step.verdict === 'fail' ? 'failed' : 'inconclusive'
    ctx.progress.state = event(
      ctx,
      { ...ctx.progress.state!, failures },
      `${what} ${verdict} (${failures}/${threshold}): ${step.reason}`,
      evidence
    )
    // Traffic goes back either way; a setup fault is not a verdict on the candidate.
    const result = step.setupFault ? 'failed' : 'rolled-back'
    if (next === 'roll-back') return rollBack(ctx, `${what}: ${step.reason}`, result, false)
    ctx.log.warn(`${what} failed (${failures} of ${threshold} allowed); analysing again`)
    const written = await ctx.executor.apply({ state: ctx.progress.state })
    if (!written.ok) return stopped(ctx, written.stop)
  }
}

/** Someone changed the split we wrote (spec or status) during the step: stop and let a human decide. */
async function driftAfterStep(ctx: RunContext, release: Release): Promise<RunOutcome | undefined> {
  const live = await ctx.executor.read()
  if (!live)
    return stopped(ctx, {
      kind: 'drift',
      message: `service "${ctx.name}" was deleted during the rollout`
    })
  const drift = templateDrift(live, ctx.progress.template, ctx.name) ?? trafficDrift(live, release)
  return drift && stopped(ctx, drift)
}
