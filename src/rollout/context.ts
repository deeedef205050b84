// What every phase of a run shares: the request, the ports, the derived timing, and the
// run's progress (the one mutable record: the state last written, the analysed steps).
// Plus the two helpers every phase needs: a history event and the run's outcome.

import type { Inputs } from '../inputs.js'
import type { Logger } from '../log.js'
import type { KService, RevisionTemplate } from '../knative/types.js'
import type { JudgeInput, Judgement } from '../analysis/judge.js'
import type { StepReport } from '../report/types.js'
import type { StepProgress } from '../report/progress.js'
import type { Clock, Executor, Prober } from './ports.js'
import type { RunIdentity } from './lease.js'
import type { CheckContext, StepChecks } from './step-checks.js'
import { readState, withEvent, type RolloutState } from './state.js'
import type { StepEvidence } from './evidence.js'
import type { Timing } from './timing.js'
import { tagUrl } from './decide.js'
import { toShares, type RunOutcome } from './result.js'

export type Judge = (input: JudgeInput) => Judgement

/** A `release` block from the manifest: revisions[0], revisions[1] (`@latest` allowed), rolloutPercent. */
export interface ManifestRelease {
  current: string
  candidate?: string
  rolloutPercent: number
}

export interface EngineRequest {
  inputs: Inputs
  /** Resolved: the input, else the manifest's name. */
  service: string
  /** The manifest's Service (v1), its image already replaced by the `image` input. */
  manifest?: { service: KService; release?: ManifestRelease }
  /** The commit (GITHUB_SHA) for the default revision name. */
  sha?: string
}

/** The run's progress: written by the phases as they go, read by the outcome. */
export interface Progress {
  /** The latest state written (or read): what an interruption rolls back from. */
  state?: RolloutState
  steps: StepReport[]
  candidateDigest?: string
  /** The template this `rollout` wrote for the candidate: a different one live is a person's edit. */
  template?: RevisionTemplate
  /** A `rollback` hook that answered 2xx: roll back now, whatever failure-threshold says. */
  rollbackHook?: string
  warnedNoDataPlane: boolean
}

export interface RunContext {
  readonly request: EngineRequest
  readonly inputs: Inputs
  readonly ns: string
  readonly name: string
  readonly log: Logger
  readonly clock: Clock
  readonly me: RunIdentity
  readonly judge: Judge
  readonly checks: StepChecks
  readonly prober: Prober
  readonly executor: Executor
  readonly timing: Timing
  /** ms since the epoch: the overall timeout. */
  readonly deadline: number
  /** Cancellation (SIGINT/SIGTERM) or the overall timeout. */
  readonly signal: AbortSignal
  /** Cancellation alone. */
  readonly cancelled?: AbortSignal
  /** The overall timeout alone; its reason is the timeout's message. */
  readonly timedOut: AbortSignal
  readonly onStep?: (step: StepReport) => void
  /** The step so far, at least every PROGRESS_EVERY_MS of its analysis (live progress). */
  readonly onProgress?: (progress: StepProgress) => void
  readonly progress: Progress
}

/** The history event `text` (bounded: a hook's answer can be long), at now, by this run. */
export function event(
  ctx: RunContext,
  st: RolloutState,
  text: string,
  evidence?: StepEvidence
): RolloutState {
  return withEvent(st, {
    at: ctx.clock.now(),
    event: text.length > 500 ? `${text.slice(0, 500)}…` : text,
    by: ctx.me.id,
    ...(evidence ? { evidence } : {})
  })
}

/** The hooks' view of the rollout; `candidate` names it once the state no longer does. */
export function checkContext(ctx: RunContext, percent: number, candidate?: string): CheckContext {
  const st = ctx.progress.state!
  return {
    namespace: ctx.ns,
    service: ctx.name,
    candidate: candidate ?? st.candidate!,
    current: st.current,
    percent
  }
}

export function outcome(
  ctx: RunContext,
  result: RunOutcome['result'],
  message: string,
  svc?: KService,
  extra: Partial<RunOutcome> = {}
): RunOutcome {
  const traffic = svc?.status?.traffic
  const { state, steps, candidateDigest } = ctx.progress
  return {
    command: ctx.inputs.command,
    result,
    message,
    service: ctx.name,
    namespace: ctx.ns,
    image: state?.image ?? ctx.inputs.image,
    digest: candidateDigest,
    url: svc?.status?.url,
    candidateUrl: tagUrl(traffic, 'candidate'),
    traffic: toShares(traffic),
    steps,
    state,
    // A failure always carries its reason (the annotation and the summary show it).
    ...(result === 'failed' || result === 'rolled-back' ? { reason: message } : {}),
    ...extra
  }
}

/** The state on `live`, its malformed parts (annotations are untrusted) logged as warnings. */
export function stateOf(ctx: RunContext, live: KService | undefined): RolloutState | undefined {
  const problems: string[] = []
  const state = readState(live, problems)
  for (const problem of problems) ctx.log.warn(problem)
  return state
}
