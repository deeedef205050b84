// How a run ends once the candidate is out there: promoted, paused, rolled back, or
// stopped short (drift, a lost lease, the timeout, a cancel, an error), each leaving the
// Service in a safe, explained state and the lease released.

import { isPreviewTemplate } from './preview-traffic.js'
import { isReady, type KService, type RevisionTemplate } from '../knative/types.js'
import { statusShows, type Release } from '../traffic.js'
import type { Phase, RolloutState } from './state.js'
import type { Stop } from './ports.js'
import type { RunOutcome } from './result.js'
import { announce } from './hooks.js'
import { checkContext, event, outcome, type RunContext } from './context.js'

/** Writes 100% to the candidate; the caller has passed the confirm-promotion gate. */
export async function promoteNow(ctx: RunContext): Promise<RunOutcome> {
  ctx.log.phase?.('Promote')
  const st = ctx.progress.state!
  await announce(ctx, 'Promoting', `promoting ${st.candidate}`)
  const release: Release = { current: st.candidate!, percent: 0 }
  const promoted = event(
    ctx,
    // A pause's reason is over once promoted.
    {
      ...st,
      phase: 'promoted',
      current: st.candidate!,
      candidate: undefined,
      percent: 0,
      reason: undefined
    },
    `promoted ${st.candidate}`
  )
  const written = await ctx.executor.apply({
    release,
    expect: { current: st.current, candidate: st.candidate, percent: st.percent },
    state: promoted
  })
  if (!written.ok) return stopped(ctx, written.stop)
  ctx.progress.state = promoted
  const shown = await ctx.executor.waitFor(
    (s) => statusShows(s.status?.traffic, release),
    `100% on ${st.candidate}`
  )
  if (!shown.ok) return stopped(ctx, shown.stop)
  const released = await ctx.executor.apply({ state: promoted, lease: 'release' })
  if (!released.ok) return stopped(ctx, released.stop)
  await ctx.checks
    .postRollout(checkContext(ctx, 100, st.candidate))
    .catch((err: Error) => ctx.log.warn(`post-rollout hooks: ${err.message}`))
  await announce(ctx, 'Succeeded', `promotion of ${st.candidate} completed`, false, st.candidate)
  return outcome(
    ctx,
    'promoted',
    `promoted ${st.candidate}: it serves 100% (was ${st.current})`,
    shown.service,
    { currentRevision: st.current, candidateRevision: st.candidate }
  )
}

export async function pause(ctx: RunContext, message: string): Promise<RunOutcome> {
  const paused = event(ctx, { ...ctx.progress.state!, phase: 'paused', reason: message }, message)
  const written = await ctx.executor.apply({ state: paused, lease: 'release' })
  if (!written.ok) return stopped(ctx, written.stop)
  ctx.progress.state = paused
  await announce(ctx, 'Waiting', message)
  const svc = await ctx.executor.read()
  return outcome(ctx, 'paused', message, svc, {
    reason: message,
    currentRevision: paused.current,
    candidateRevision: paused.candidate
  })
}

/**
 * Traffic back to current 100 / candidate 0. The candidate keeps its tag for debugging,
 * unless it never became ready (a tag on a failed revision keeps the Route from resolving).
 */
export async function rollBack(
  ctx: RunContext,
  reason: string,
  result: 'rolled-back' | 'aborted' | 'failed',
  dropCandidate: boolean
): Promise<RunOutcome> {
  const st = ctx.progress.state!
  const release: Release = dropCandidate
    ? { current: st.current, percent: 0 }
    : { current: st.current, candidate: st.candidate, percent: 0 }
  const phase: Phase = result === 'aborted' ? 'aborted' : 'rolled-back'
  const back = event(ctx, { ...st, phase, percent: 0, reason }, `${phase}: ${reason}`)
  // An abort is what someone asked for: a warning. A rollback is a progress line without
  // its reason: the step's line gave it, and the entry's result line (the action: one
  // error annotation) gives it once more at the end, where people look.
  ctx.log.phase?.(result === 'aborted' ? 'Abort' : 'Roll back')
  if (result === 'aborted') ctx.log.warn(`aborting: ${reason}`)
  else ctx.log.info(`rolling back: all traffic to ${st.current}, ${st.candidate} to 0%`)
  const template = dropCandidate ? await previousTemplate(ctx, st) : undefined
  const written = await ctx.executor.apply({ release, template, state: back, lease: 'release' })
  if (!written.ok) return stopped(ctx, written.stop)
  ctx.progress.state = back
  await announce(ctx, 'Failed', `${phase} ${st.candidate}: ${reason}`, true)
  const svc = await rolledBackService(ctx, release)
  const verb = result === 'aborted' ? 'aborted' : 'rolled back'
  return outcome(
    ctx,
    result,
    `${verb} ${st.candidate}: ${reason}; ${st.current} serves 100%`,
    svc,
    {
      currentRevision: st.current,
      candidateRevision: st.candidate,
      reason
    }
  )
}

/** The Service once status.traffic shows the rollback; a cancelled run has seconds left, so waits briefly. */
async function rolledBackService(ctx: RunContext, release: Release): Promise<KService | undefined> {
  const svc = await ctx.executor.settle(
    (s) => statusShows(s.status?.traffic, release),
    ctx.cancelled?.aborted ? 3_000 : 30_000
  )
  if (svc) return svc
  ctx.log.warn(`the rollback was written but status.traffic did not show it yet`)
  return ctx.executor.read()
}

/**
 * The template that made the current revision, to put back when the candidate never became
 * ready: while the template names a failed revision the Service stays Ready=False. Knative's
 * BYO rollback reuses the named revision (same spec, no new revision) and moves
 * latestCreated/latestReady back to it. Undefined when the live template is no longer the
 * candidate's (a person's edit is theirs) or the current revision is gone.
 */
async function previousTemplate(
  ctx: RunContext,
  st: RolloutState
): Promise<RevisionTemplate | undefined> {
  const live = await ctx.executor.read()
  // A preview's template in its brief write window counts as the candidate's: the current's
  // goes back over it, and the preview's own put-back then sees a newer template and skips.
  const template = live?.spec.template
  if (template?.metadata?.name !== st.candidate && !isPreviewTemplate(template)) return undefined
  const rev = await ctx.executor.revision(st.current)
  if (!rev?.spec) return undefined
  // The revision's own annotations minus Knative's bookkeeping (creator, routes, ...).
  const annotations = Object.fromEntries(
    Object.entries(rev.metadata.annotations ?? {}).filter(
      ([k]) => !k.startsWith('serving.knative.dev/')
    )
  )
  return {
    metadata: { name: st.current, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: structuredClone(rev.spec)
  } as RevisionTemplate
}

/** A run stopped short of its intent by a returned reason. */
export async function stopped(ctx: RunContext, stop: Stop): Promise<RunOutcome> {
  if (stop.kind === 'lease-lost' || stop.kind === 'unapplied')
    return outcome(ctx, 'failed', stop.message)
  if (stop.kind === 'drift') return pauseOnDrift(ctx, stop.message)
  return failed(ctx, stop.message)
}

/**
 * Runs a phase that may leave the candidate with traffic; whatever stops it (cancel,
 * timeout, an error) leaves the Service in a safe, explained state.
 */
export async function guard(
  ctx: RunContext,
  phase: () => Promise<RunOutcome>
): Promise<RunOutcome> {
  try {
    return await phase()
  } catch (err) {
    if (!ctx.progress.state || !ctx.executor.holding) throw err
    if (ctx.cancelled?.aborted) return rollBack(ctx, 'cancelled (SIGINT/SIGTERM)', 'aborted', false)
    const reason = ctx.timedOut.aborted
      ? String((ctx.timedOut.reason as Error).message)
      : (err as Error).message
    return failed(ctx, reason)
  }
}

/** Something other than the judge ended the run: take the candidate's traffic back, say why. */
async function failed(ctx: RunContext, reason: string): Promise<RunOutcome> {
  const st = ctx.progress.state!
  if (!st.candidate) {
    // No candidate traffic to take back (a first deploy, or a promotion already written).
    const recorded = event(ctx, { ...st, reason }, `failed: ${reason}`)
    const written = await ctx.executor.apply({ state: recorded, lease: 'release' })
    if (written.ok) ctx.progress.state = recorded
    return outcome(ctx, 'failed', reason, undefined, { reason })
  }
  // A candidate that never became ready is dropped from the traffic block (a failed
  // revision there keeps the Route from resolving); a ready one keeps its tag.
  const revision = await ctx.executor.revision(st.candidate)
  return rollBack(ctx, reason, 'failed', !revision || !isReady(revision))
}

/**
 * A person changed the Service under us: pause without touching traffic or template, and
 * record the split that is really there (the state must describe the traffic).
 */
async function pauseOnDrift(ctx: RunContext, message: string): Promise<RunOutcome> {
  const live = await ctx.executor.read()
  const st = ctx.progress.state!
  const tagged = (tag: string) => live?.spec.traffic?.find((t) => t.tag === tag)
  const candidate = tagged('candidate')
  ctx.progress.state = {
    ...st,
    current: tagged('current')?.revisionName ?? st.current,
    percent: candidate?.revisionName === st.candidate ? (candidate?.percent ?? 0) : 0
  }
  return pause(ctx, message)
}
