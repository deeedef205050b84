// The rollout engine: commands `rollout`, `promote`, `abort`, `status` (and `dry-run`).
// Decisions are the pure functions in decide.ts / lease.ts / state.ts; this file is the thin
// loop that reads the Service, writes one intent at a time through the ports, and waits.
// Every write renews the lease and goes through updateService's resourceVersion check, so a
// run that lost its lease (or a Service changed by hand) is noticed before it writes.

import type { Inputs } from '../inputs.js'
import type { Logger } from '../log.js'
import { observed, isReady, type KService, type RevisionTemplate } from '../knative/types.js'
import { evidenceOf, summarise, summariseEvidence } from '../analysis/stats.js'
import { chooseEvidence, type Evidence } from '../analysis/choose-evidence.js'
import { judge as sequentialJudge, type JudgeInput, type Judgement } from '../analysis/judge.js'
import type { StepReport, StepVerdict } from '../report/types.js'
import {
  describeTraffic,
  mergeUserTags,
  planSteps,
  releaseToTraffic,
  statusShows,
  trafficToRelease,
  type Release,
  type StepPlan
} from '../traffic.js'
import type { Clock, ProbeSample, ProbeTarget, Prober, ServingClient } from './ports.js'
import { acquireLease, newLease, releaseLease, type LeaseCheck, type RunIdentity } from './lease.js'
import {
  readLease,
  readState,
  withEvent,
  writeLease,
  writeState,
  type Phase,
  type RolloutState
} from './state.js'
import {
  FATAL_REASONS,
  candidateName,
  inFlight,
  readinessFailure,
  sameRollout,
  sameTemplate,
  servingRevision,
  stepPlan,
  tagUrl
} from './decide.js'
import { toShares, type RunOutcome } from './result.js'
import {
  NO_CHECKS,
  type CheckContext,
  type CheckOutcome,
  type FlaggerPhase,
  type GateType,
  type StepChecks
} from './step-checks.js'
import { describeEvidence, stepEvidence, type StepEvidence } from './evidence.js'

export type Judge = (input: JudgeInput) => Judgement

export interface EngineDeps {
  client: ServingClient
  prober: Prober
  clock: Clock
  log: Logger
  me: RunIdentity
  judge?: Judge
  /** SIGINT/SIGTERM: stop probing, put the candidate back to 0%, release the lease. */
  signal?: AbortSignal
  /** Each analysed step as it ends (live progress). */
  onStep?: (step: StepReport) => void
  /** Metric queries and webhooks, beside the probes; none by default. */
  checks?: StepChecks
}

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

/** An inconclusive step is extended up to this many intervals, then fails: never promote on no data. */
export const MAX_STEP_ROUNDS = 3
/** Probes are judged in batches of a fifth of the interval (at least 1s): a bad candidate fails mid-step. */
const BATCHES_PER_INTERVAL = 5

class DriftError extends Error {}
class LeaseLostError extends Error {}
class TimeoutError extends Error {}

/** A confirm-* gate the candidate is held at, analysed, until it opens. */
interface Hold {
  gate: GateType
  /** The share the gate is asked about (100: promotion). */
  askedPercent: number
}

export async function runEngine(request: EngineRequest, deps: EngineDeps): Promise<RunOutcome> {
  return new Engine(request, deps).execute()
}

class Engine {
  private readonly inputs: Inputs
  private readonly ns: string
  private readonly name: string
  private readonly log: Logger
  private readonly deadline: number
  private readonly timeout = new AbortController()
  private readonly signal: AbortSignal
  private readonly judge: Judge
  private readonly checks: StepChecks
  /** Lease duration: longer than the longest gap between two renewals (one probe interval or wait chunk). */
  private readonly leaseSeconds: number
  /** The latest state we wrote (or read): what an interruption rolls back from. */
  private state?: RolloutState
  private holding = false
  private readonly steps: StepReport[] = []
  private candidateDigest?: string
  /** The template this `rollout` wrote for the candidate: a different one live is a person's edit. */
  private template?: RevisionTemplate
  /** A `rollback` hook that answered 2xx: roll back now, whatever failure-threshold says. */
  private rollbackHook?: string
  private warnedNoDataPlane = false

  constructor(
    private readonly request: EngineRequest,
    private readonly deps: EngineDeps
  ) {
    this.inputs = request.inputs
    this.ns = request.inputs.namespace
    this.name = request.service
    this.log = deps.log
    this.deadline = deps.clock.now() + request.inputs.timeoutMs
    this.judge = deps.judge ?? sequentialJudge
    this.checks = deps.checks ?? NO_CHECKS
    this.signal = deps.signal
      ? AbortSignal.any([deps.signal, this.timeout.signal])
      : this.timeout.signal
    this.leaseSeconds = Math.max(120, Math.ceil((2 * request.inputs.stepIntervalMs) / 1000) + 30)
  }

  async execute(): Promise<RunOutcome> {
    const stopTimer = new AbortController()
    this.deps.clock.sleep(this.inputs.timeoutMs, stopTimer.signal).then(
      () =>
        this.timeout.abort(
          new TimeoutError(`timed out after ${this.inputs.timeoutMs / 1000}s (timeout)`)
        ),
      () => undefined
    )
    try {
      switch (this.inputs.command) {
        case 'status':
          return await this.status()
        case 'abort':
          return await this.abort()
        case 'promote':
          return await this.promote()
        default:
          return await this.rollout()
      }
    } finally {
      stopTimer.abort()
      // A command that ended with nothing to do while holding the lease lets it go.
      if (this.holding)
        await releaseLease(this.deps.client, this.ns, this.name, this.deps.me).catch((err) =>
          this.log.warn(`could not release the lease: ${(err as Error).message}`)
        )
    }
  }

  // ---- commands -------------------------------------------------------------------------

  private async status(): Promise<RunOutcome> {
    const live = await this.deps.client.getService(this.ns, this.name)
    if (!live)
      return this.outcome(
        'unchanged',
        `service "${this.name}" does not exist in namespace "${this.ns}"`
      )
    const state = readState(live)
    const lease = readLease(live)
    const traffic = describeTraffic(live.status?.traffic ?? [])
    const phase = state
      ? `${state.phase}${state.candidate ? ` (candidate ${state.candidate} at ${state.percent}%)` : ''}`
      : 'no rollout yet'
    const held = lease ? `; lease held by ${lease.url ?? lease.holder}` : ''
    // "Why did it roll back?": the reason and the last analysed step's figures, from the history.
    const last = state?.history.findLast((h) => h.evidence)?.evidence
    const why =
      (state?.reason && state.phase !== 'progressing' ? `; reason: ${state.reason}` : '') +
      (last ? `; last analysed ${describeEvidence(last)}` : '')
    this.state = state
    // A paused or finished rollout reports its phase; one in progress (or none) is "unchanged".
    const result = !state || state.phase === 'progressing' ? 'unchanged' : state.phase
    return this.outcome(result, `${this.name}: ${phase}; traffic ${traffic}${held}${why}`, live, {
      currentRevision: state?.current ?? servingRevision(live),
      candidateRevision: state?.candidate
    })
  }

  private async rollout(redecided = 0): Promise<RunOutcome> {
    const { client } = this.deps
    const live = await client.getService(this.ns, this.name)
    const release = this.request.manifest?.release
    const template0 = this.desiredTemplate(live)
    const candidate = candidateName(this.name, template0, {
      revisionName: this.inputs.revisionName,
      releaseCandidate: release?.candidate,
      sha: this.request.sha
    })
    const template: RevisionTemplate = {
      ...template0,
      metadata: { ...(template0.metadata ?? {}), name: candidate }
    }
    this.template = template
    const state = readState(live)
    const open = inFlight(state)
    const current = live ? (release?.current ?? open?.current ?? servingRevision(live)) : undefined
    if (!live || !current) return this.firstDeploy(live, template)

    // Validate before the first write: the current revision must exist and serve.
    const currentRev = await client.getRevision(this.ns, current)
    if (!currentRev)
      throw new Error(`the current revision "${current}" does not exist in namespace "${this.ns}"`)
    if (candidate === current) {
      if (sameTemplate(live.spec.template, template))
        return this.outcome(
          'unchanged',
          `${current} is already current; nothing to roll out`,
          live,
          { currentRevision: current }
        )
      throw new Error(
        `revision-name "${candidate}" is the current revision but the template differs; Knative refuses a template change without a new name: set revision-name`
      )
    }
    // A name taken by a revision of another template: Knative would take the write, then fail
    // the Configuration (RevisionNameTaken). Said here, before anything is written.
    if (!(open && open.candidate === candidate)) {
      const taken = await client.getRevision(this.ns, candidate)
      if (taken && !sameTemplate({ metadata: taken.metadata, spec: taken.spec }, template))
        throw new Error(
          `revision-name "${candidate}" is already taken by a revision with a different template; Knative cannot reuse the name (RevisionNameTaken): choose another revision-name`
        )
    }
    const resume = open && open.candidate === candidate && open.current === current
    // Unchanged only when the live template is the one that made the current revision (a
    // template left by a failed candidate is tried again).
    const madeCurrent =
      live.status?.latestCreatedRevisionName === current &&
      live.status?.latestReadyRevisionName === current
    if (!open && madeCurrent && sameTemplate(live.spec.template, template)) {
      return this.outcome(
        'unchanged',
        `the template is unchanged and ${current} is serving it; nothing to roll out`,
        live,
        { currentRevision: current }
      )
    }
    const plan = resume ? open.steps : stepPlan(this.inputs.steps, release?.rolloutPercent)
    if (this.inputs.dryRun)
      return this.dryRun(live, template, { current, candidate, percent: 0 }, plan)

    const { service: leased, before } = await this.acquire()
    // Another run changed the Service while we waited for the lease (wait-for-lock): decide
    // again on what it left, or we would step from a current it has replaced.
    if (redecided < 3 && !sameRollout(live, leased)) return this.rollout(redecided + 1)
    if (before.kind === 'expired')
      this.log.warn(
        `took over the lease of ${before.previous.url ?? before.previous.holder}, which expired`
      )
    const now = this.deps.clock.now()
    if (resume) {
      this.log.info(`resuming the rollout of ${candidate} (was ${open.phase} at ${open.percent}%)`)
      this.state = withEvent(
        { ...open, phase: 'progressing' },
        { at: now, event: `resumed at ${open.percent}%`, by: this.deps.me.id }
      )
    } else {
      if (open)
        this.log.warn(
          `superseding the unfinished rollout of ${open.candidate} (${open.phase} at ${open.percent}%)`
        )
      const history = readState(leased)?.history ?? []
      this.state = withEvent(
        {
          phase: 'progressing',
          current,
          candidate,
          percent: 0,
          steps: plan,
          failures: 0,
          image: this.imageOf(template),
          history
        },
        { at: now, event: `candidate ${candidate} created at 0%`, by: this.deps.me.id }
      )
    }
    return this.guard(async () => {
      const st = this.state!
      if (!resume || leased.spec.template.metadata?.name !== candidate) {
        // One write: the new template and traffic pinned current 100 / candidate 0 / latest 0.
        // A live template already naming the candidate (left by a rolled-back run) is kept:
        // it carries Knative's defaults, and a same-name rewrite without them is refused.
        const made =
          leased.spec.template.metadata?.name === candidate &&
          sameTemplate(leased.spec.template, template)
        await this.write({
          template: made ? undefined : template,
          release: { current, candidate, percent: 0 },
          state: st
        })
      }
      const failure = await this.waitCandidateReady(candidate)
      if (failure)
        return this.rollBack(
          `candidate ${candidate} did not become ready: ${failure}`,
          'rolled-back',
          true
        )
      if (this.inputs.command === 'preview') {
        // A preview stops at 0%: the candidate answers only on its tag URL until `promote`.
        const svc = await this.waitService(
          (s) => statusShows(s.status?.traffic, { current, candidate, percent: 0 }),
          `the ${candidate} tag`
        )
        return this.pause(
          `preview: ${candidate} is ready at 0% on ${tagUrl(svc.status?.traffic, 'candidate') ?? 'its candidate tag'}; run promote or abort to finish`
        )
      }
      if (st.percent === 0) {
        await this.announce('Initializing', `candidate ${candidate} is ready at 0%`)
        // Before the candidate gets any traffic: a closed gate waits, it is not a failure.
        await this.waitGate('confirm-rollout', 0)
        const bad = notPassed(await this.checks.preRollout(this.checkContext(0)))
        if (bad) return this.rollBack(`pre-rollout: ${bad}`, 'rolled-back', false)
      }
      // A run that crashed mid-step analyses that step again (start just below it).
      const again = resume && open.phase === 'progressing' && st.percent > 0
      return this.drive(
        planSteps({
          steps: plan,
          startPercent: again ? st.percent - 1 : st.percent,
          pauseAt: this.inputs.pauseAt
        })
      )
    })
  }

  private async promote(): Promise<RunOutcome> {
    const live = await this.deps.client.getService(this.ns, this.name)
    const open = inFlight(readState(live))
    if (!live || !open)
      return this.outcome('unchanged', `no rollout to promote on "${this.name}"`, live)
    const candidate = await this.deps.client.getRevision(this.ns, open.candidate!)
    if (!candidate || !isReady(candidate))
      throw new Error(`the candidate ${open.candidate} is not ready; cannot promote it`)
    const resolved = candidate.status?.containerStatuses?.[0]?.imageDigest
    this.candidateDigest = resolved?.slice(resolved.indexOf('@') + 1)
    const rest = this.inputs.steps.filter((p) => p > open.percent)
    if (this.inputs.dryRun)
      return this.dryRun(
        live,
        live.spec.template,
        { current: open.current, candidate: open.candidate, percent: rest[0] ?? 100 },
        rest
      )
    await this.acquire()
    this.state = withEvent(
      { ...open, phase: 'progressing', failures: 0 },
      {
        at: this.deps.clock.now(),
        event: `promote requested at ${open.percent}%`,
        by: this.deps.me.id
      }
    )
    return this.guard(() => this.drive(planSteps({ steps: rest, startPercent: open.percent })))
  }

  private async abort(): Promise<RunOutcome> {
    const live = await this.deps.client.getService(this.ns, this.name)
    const open = inFlight(readState(live))
    if (!live || !open)
      return this.outcome('unchanged', `no rollout to abort on "${this.name}"`, live)
    if (this.inputs.dryRun)
      return this.dryRun(
        live,
        live.spec.template,
        { current: open.current, candidate: open.candidate, percent: 0 },
        []
      )
    await this.acquire()
    this.state = open
    return this.guard(() => this.rollBack('aborted on request', 'aborted', false))
  }

  // ---- the phases ----------------------------------------------------------------------

  /** No current revision: create (or update) and wait for Ready; nothing to compare a canary with. */
  private async firstDeploy(
    live: KService | undefined,
    template: RevisionTemplate
  ): Promise<RunOutcome> {
    const name = template.metadata!.name!
    const release: Release = { current: name, percent: 0 }
    const now = this.deps.clock.now()
    const state: RolloutState = {
      phase: 'progressing',
      current: name,
      percent: 0,
      steps: [100],
      failures: 0,
      image: this.imageOf(template),
      history: [{ at: now, event: `first deploy of ${name}`, by: this.deps.me.id }]
    }
    if (this.inputs.dryRun) return this.dryRun(live, template, release, [100])
    this.log.info(
      `first deploy of ${this.name}: no current revision, so no canary; ${name} takes 100% once ready`
    )
    if (!live) {
      const base = this.request.manifest?.service ?? {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Service',
        metadata: { name: this.name },
        spec: { template }
      }
      const created: KService = writeLease(
        writeState(
          {
            ...base,
            metadata: { ...base.metadata, name: this.name, namespace: this.ns },
            spec: { ...base.spec, template, traffic: releaseToTraffic(release) }
          } as KService,
          state
        ),
        newLease(this.deps.me, now, this.leaseSeconds)
      )
      await this.deps.client.createService(created)
      this.holding = true
    } else {
      await this.acquire()
      await this.write({ template, release, state })
    }
    this.state = state
    return this.guard(async () => {
      const failure = await this.waitCandidateReady(name)
      if (failure) {
        await this.write({
          state: this.event(
            { ...state, phase: 'rolled-back', reason: failure },
            `first deploy failed: ${failure}`
          ),
          lease: 'release'
        })
        return this.outcome('failed', `first deploy of ${name} failed: ${failure}`, undefined, {
          candidateRevision: name,
          reason: failure
        })
      }
      const svc = await this.waitService(
        (s) => statusShows(s.status?.traffic, release),
        `traffic on ${name}`
      )
      const done = this.event(
        { ...state, phase: 'promoted' },
        `first deploy of ${name} serving 100%`
      )
      await this.write({ state: done, lease: 'release' })
      return this.outcome(
        'promoted',
        `first deploy: ${name} is serving 100% (no current revision, so no canary)`,
        svc,
        {
          candidateRevision: name
        }
      )
    })
  }

  /** Walk the remaining steps: write the split, wait for it, analyse; promote at 100 (or pause). */
  private async drive(plan: StepPlan): Promise<RunOutcome> {
    for (const percent of plan.percents) {
      if (percent === 100) {
        // A rollout that analysed nothing yet (steps: 100, a blue/green switch) analyses the
        // candidate at its present share first, on its tag URL: never promote unseen.
        if (this.steps.length === 0 && this.inputs.command === 'rollout') {
          const failed = await this.analyseStep(this.state!.percent)
          if (failed) return failed
        }
        return this.promoteWhenConfirmed()
      }
      const st = this.state!
      if (st.percent !== percent) {
        if (percent > st.percent) {
          const failed = await this.holdWhileGated('confirm-traffic-increase', percent)
          if (failed) return failed
        }
        const expect: Release = {
          current: st.current,
          candidate: st.candidate,
          percent: st.percent
        }
        await this.write({
          release: { current: st.current, candidate: st.candidate, percent },
          expect,
          state: this.event({ ...this.state!, percent }, `step ${percent}%`)
        })
        await this.announce('Progressing', `advance ${st.candidate} weight ${percent}`)
      }
      const failed = await this.analyseStep(percent)
      if (failed) return failed
    }
    if (plan.pause)
      return this.pause(
        `paused at ${this.state!.percent}% (pause-at); run the promote or abort command to finish`
      )
    return this.promoteWhenConfirmed()
  }

  private async promoteWhenConfirmed(): Promise<RunOutcome> {
    return (await this.holdWhileGated('confirm-promotion', 100)) ?? this.promoteNow()
  }

  /**
   * A confirm-* gate before the candidate's share grows to `askedPercent`. While it is
   * closed and the candidate serves users, the wait is spent analysing at the present share
   * (Flagger does so during confirm-promotion): a candidate that goes bad while someone
   * decides is rolled back, not promoted on an old pass. The hold is one sequential test
   * over all its evidence, so a long wait does not add false alarms round after round.
   * Returns the rollback's outcome, or undefined once the gate is open.
   */
  private async holdWhileGated(
    gate: GateType,
    askedPercent: number
  ): Promise<RunOutcome | undefined> {
    const heldAt = this.state!.percent
    if (heldAt === 0 || this.inputs.command !== 'rollout') {
      await this.waitGate(gate, askedPercent)
      return undefined
    }
    const closed = await this.checks.closedGates(gate, this.checkContext(askedPercent))
    if (!closed.length) return undefined
    this.log.info(
      `${gate} gate ${closed.map((n) => `"${n}"`).join(', ')} is closed: holding at ${heldAt}% and analysing until it opens`
    )
    return this.analyseStep(heldAt, { gate, askedPercent })
  }

  /**
   * Waits for the split at `percent`, then analyses until a step passes; returns the
   * rollback's outcome when failures reach failure-threshold (or a rollback hook asks).
   */
  private async analyseStep(percent: number, hold?: Hold): Promise<RunOutcome | undefined> {
    const st = this.state!
    const what = hold ? `holding at ${percent}% for ${hold.gate}` : `step ${percent}%`
    const release: Release = { current: st.current, candidate: st.candidate, percent }
    const svc = await this.waitService(
      (s) => statusShows(s.status?.traffic, release),
      `${percent}% on ${st.candidate}`
    )
    this.log.info(`step ${percent}%: ${describeTraffic(svc.status?.traffic ?? [])}`)
    for (;;) {
      const step = await this.analyse(svc, percent, hold)
      this.steps.push(step)
      this.deps.onStep?.(step)
      await this.checkDrift(release)
      const evidence = stepEvidence(step)
      if (step.verdict === 'pass') {
        this.state = this.event(this.state!, `${what} passed`, evidence)
        return undefined
      }
      const failures = this.state!.failures + 1
      const threshold = this.inputs.thresholds.failureThreshold
      this.state = this.event(
        { ...this.state!, failures },
        `${what} ${step.verdict === 'fail' ? 'failed' : 'inconclusive'} (${failures}/${threshold}): ${step.reason}`,
        evidence
      )
      if (failures >= threshold || this.rollbackHook)
        return this.rollBack(`${what}: ${step.reason}`, 'rolled-back', false)
      this.log.warn(`${what} failed (${failures} of ${threshold} allowed); analysing again`)
      await this.write({ state: this.state })
    }
  }

  /** Writes 100% to the candidate; the caller has passed the confirm-promotion gate. */
  private async promoteNow(): Promise<RunOutcome> {
    const st = this.state!
    await this.announce('Promoting', `promoting ${st.candidate}`)
    const release: Release = { current: st.candidate!, percent: 0 }
    const promoted = this.event(
      { ...st, phase: 'promoted', current: st.candidate!, candidate: undefined, percent: 0 },
      `promoted ${st.candidate}`
    )
    await this.write({
      release,
      expect: { current: st.current, candidate: st.candidate, percent: st.percent },
      state: promoted
    })
    const svc = await this.waitService(
      (s) => statusShows(s.status?.traffic, release),
      `100% on ${st.candidate}`
    )
    await this.write({ state: promoted, lease: 'release' })
    await this.checks
      .postRollout(this.checkContext(100, st.candidate))
      .catch((err: Error) => this.log.warn(`post-rollout hooks: ${err.message}`))
    await this.announce('Succeeded', `promotion of ${st.candidate} completed`, false, st.candidate)
    return this.outcome(
      'promoted',
      `promoted ${st.candidate}: it serves 100% (was ${st.current})`,
      svc,
      {
        currentRevision: st.current,
        candidateRevision: st.candidate
      }
    )
  }

  /**
   * A person changed the Service under us: pause without touching traffic or template, and
   * record the split that is really there (the state must describe the traffic).
   */
  private async pauseOnDrift(message: string): Promise<RunOutcome> {
    const live = await this.deps.client.getService(this.ns, this.name)
    const st = this.state!
    const tagged = (tag: string) => live?.spec.traffic?.find((t) => t.tag === tag)
    const candidate = tagged('candidate')
    this.state = {
      ...st,
      current: tagged('current')?.revisionName ?? st.current,
      percent: candidate?.revisionName === st.candidate ? (candidate?.percent ?? 0) : 0
    }
    return this.pause(message)
  }

  /**
   * Why the live template is not the one this rollout wrote (a person edited env, image,
   * ...: a new revision the judge never saw), or undefined. Only for `rollout`: a `promote`
   * is the person's go-ahead after reviewing such an edit.
   */
  private templateEdited(live: KService): string | undefined {
    const mine = this.template
    const now = live.spec.template?.metadata?.name
    if (!mine || (now === mine.metadata?.name && sameTemplate(live.spec.template, mine)))
      return undefined
    return (
      `the template of "${this.name}" was changed outside this rollout` +
      `${now && now !== mine.metadata?.name ? ` (it now makes ${now}, not the candidate ${mine.metadata?.name})` : ''}; ` +
      `pausing instead of overwriting it: review the change, then run promote or abort`
    )
  }

  private async pause(message: string): Promise<RunOutcome> {
    const paused = this.event({ ...this.state!, phase: 'paused', reason: message }, message)
    await this.write({ state: paused, lease: 'release' })
    await this.announce('Waiting', message)
    const svc = await this.deps.client.getService(this.ns, this.name)
    return this.outcome('paused', message, svc, {
      reason: message,
      currentRevision: paused.current,
      candidateRevision: paused.candidate
    })
  }

  /**
   * Traffic back to current 100 / candidate 0. The candidate keeps its tag for debugging,
   * unless it never became ready (a tag on a failed revision keeps the Route from resolving).
   */
  private async rollBack(
    reason: string,
    result: 'rolled-back' | 'aborted' | 'failed',
    dropCandidate: boolean
  ): Promise<RunOutcome> {
    const st = this.state!
    const release: Release = dropCandidate
      ? { current: st.current, percent: 0 }
      : { current: st.current, candidate: st.candidate, percent: 0 }
    const phase: Phase = result === 'aborted' ? 'aborted' : 'rolled-back'
    const back = this.event({ ...st, phase, percent: 0, reason }, `${phase}: ${reason}`)
    // An abort is what someone asked for: a warning. A rollback is a progress line here:
    // the entry reports the result itself (the action: one error annotation with the reason).
    if (result === 'aborted') this.log.warn(`aborting: ${reason}`)
    else this.log.info(`rolling back: ${reason}`)
    const template = dropCandidate ? await this.previousTemplate(st) : undefined
    await this.write({ release, template, state: back, lease: 'release' })
    await this.announce('Failed', `${phase} ${st.candidate}: ${reason}`, true)
    let svc: KService | undefined
    try {
      // Cancelled runs have seconds left before the runner kills them: do not wait long.
      const waitMs = this.deps.signal?.aborted ? 3_000 : 30_000
      svc = await this.deps.client.waitForService(
        this.ns,
        this.name,
        (s) => observed(s) && statusShows(s.status?.traffic, release),
        waitMs
      )
    } catch {
      this.log.warn(`the rollback was written but status.traffic did not show it yet`)
      svc = await this.deps.client.getService(this.ns, this.name)
    }
    return this.outcome(
      result,
      `${result === 'aborted' ? 'aborted' : 'rolled back'} ${st.candidate}: ${reason}; ${st.current} serves 100%`,
      svc,
      {
        currentRevision: st.current,
        candidateRevision: st.candidate,
        reason
      }
    )
  }

  /**
   * The template that made the current revision, to put back when the candidate never became
   * ready: while the template names a failed revision the Service stays Ready=False. Knative's
   * BYO rollback reuses the named revision (same spec, no new revision) and moves
   * latestCreated/latestReady back to it. Undefined when the live template is no longer the
   * candidate's (a person's edit is theirs) or the current revision is gone.
   */
  private async previousTemplate(st: RolloutState): Promise<RevisionTemplate | undefined> {
    const live = await this.deps.client.getService(this.ns, this.name)
    if (live?.spec.template?.metadata?.name !== st.candidate) return undefined
    const rev = await this.deps.client.getRevision(this.ns, st.current)
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

  /**
   * Runs a phase that may leave the candidate with traffic; whatever stops it (cancel,
   * timeout, drift, an error) leaves the Service in a safe, explained state.
   */
  private async guard(phase: () => Promise<RunOutcome>): Promise<RunOutcome> {
    try {
      return await phase()
    } catch (err) {
      if (err instanceof LeaseLostError) return this.outcome('failed', err.message)
      const st = this.state
      if (!st || !this.holding) throw err
      if (err instanceof DriftError) return this.pauseOnDrift(err.message)
      if (this.deps.signal?.aborted)
        return this.rollBack('cancelled (SIGINT/SIGTERM)', 'aborted', false)
      const reason = this.timeout.signal.aborted
        ? String((this.timeout.signal.reason as Error).message)
        : (err as Error).message
      if (!st.candidate) {
        // No candidate traffic to take back (a first deploy, or a promotion already written).
        await this.write({
          state: this.event({ ...st, reason }, `failed: ${reason}`),
          lease: 'release'
        })
        return this.outcome('failed', reason, undefined, { reason })
      }
      // A candidate that never became ready is dropped from the traffic block (a failed
      // revision there keeps the Route from resolving); a ready one keeps its tag.
      const revision = await this.deps.client.getRevision(this.ns, st.candidate)
      return this.rollBack(reason, 'failed', !revision || !isReady(revision))
    }
  }

  // ---- waiting and analysing ------------------------------------------------------------

  /** Waits for the candidate Revision; returns Knative's reason when it fails (undefined = Ready). */
  private async waitCandidateReady(candidate: string): Promise<string | undefined> {
    const { client } = this.deps
    this.log.info(`waiting for ${candidate} to become ready`)
    let failure: string | undefined
    await this.waitService((s) => {
      if (!observed(s)) return false
      if (s.status?.latestReadyRevisionName === candidate) return true
      failure = readinessFailure(s, undefined)
      return failure !== undefined && FATAL_REASONS.test(failure)
    }, `${candidate} to become ready`)
    const revision = await client.getRevision(this.ns, candidate)
    if (revision && isReady(revision)) {
      // Knative reports `repository@sha256:...`; the output is the digest itself.
      const resolved = revision.status?.containerStatuses?.[0]?.imageDigest
      this.candidateDigest = resolved?.slice(resolved.indexOf('@') + 1)
      return undefined
    }
    // Prefer the Revision's own words (ContainerMissing, ExitCode1, ...) over the Service's summary.
    const service = await client.getService(this.ns, this.name)
    return (service && readinessFailure(service, revision)) ?? failure ?? 'not ready'
  }

  /** waitForService in chunks, renewing the lease between them, until the overall deadline. */
  private async waitService(until: (s: KService) => boolean, what: string): Promise<KService> {
    const chunk = (this.leaseSeconds * 1000) / 3
    for (;;) {
      const left = this.deadline - this.deps.clock.now()
      if (left <= 0) throw new TimeoutError(`timed out waiting for ${what}`)
      try {
        return await this.deps.client.waitForService(
          this.ns,
          this.name,
          (s) => observed(s) && until(s),
          Math.min(chunk, left),
          this.signal
        )
      } catch (err) {
        if (this.signal.aborted) throw this.signal.reason
        // A chunk ran out (knative/watch.ts WaitTimeoutError): renew the lease, wait on.
        if ((err as Error).name !== 'WaitTimeoutError') throw err
        await this.renew()
      }
    }
  }

  /**
   * One step's analysis, judged as evidence arrives. Every batch (a fifth of the interval,
   * at least 1s) probes both revisions at the same rate over the same window, reads the
   * data plane's count of every request each served (with a prometheus-url), asks the
   * judge about whichever holds more, and polls the rollback hooks; each interval starts
   * with the rollout hooks (a load tester) and ends with the metric checks. The step fails
   * the moment a failure is established (mid-step), passes no earlier than step-interval
   * and only when the judge and every check pass, and is extended while anything is
   * inconclusive, up to MAX_STEP_ROUNDS intervals: then it ends inconclusive ("not enough
   * evidence"), which never promotes. Held at a gate, it has no minimum or maximum: it
   * fails as above, and passes when the gate opens.
   */
  private async analyse(svc: KService, percent: number, hold?: Hold): Promise<StepReport> {
    const { rps } = this.inputs.probe
    const interval = this.inputs.stepIntervalMs
    const maxStepMs = hold ? Infinity : interval * MAX_STEP_ROUNDS
    const batchMs = Math.max(1000, Math.round(interval / BATCHES_PER_INTERVAL))
    const targets = rps > 0 ? this.targets(svc) : undefined
    const ctx = this.checkContext(percent)
    const startedAt = this.deps.clock.now()
    let lastRenew = startedAt
    let nextChecksAt = interval
    let nextHooksAt = 0
    let hooked: CheckOutcome[] = []
    let checks: CheckOutcome[] | undefined
    const cand: ProbeSample[] = []
    const curr: ProbeSample[] = []
    const served = await this.checks.trafficWindow(ctx)
    // The error tests continue from this run's passed steps (as judged, whatever the source).
    const earlier = this.steps
      .filter((s) => s.verdict === 'pass' && s.candidate && s.current)
      .map((s) => ({ candidate: s.candidate!, current: s.current! }))
    /** What the judge weighed at the latest look. */
    let judged: Evidence | undefined
    const report = (verdict: StepVerdict, reason: string, j?: Judgement): StepReport => {
      this.log.debug(`step ${percent}%: ${verdict}: ${reason}`)
      return {
        percent,
        verdict,
        reason,
        ...(judged && judged.source !== PROBES
          ? {
              source: judged.source,
              candidate: summariseEvidence(judged.candidate),
              current: summariseEvidence(judged.current)
            }
          : { candidate: summarise(cand), current: summarise(curr) }),
        ...(j ? { stats: j.stats } : {}),
        ...(checks?.length ? { checks } : {}),
        startedAt,
        endedAt: this.deps.clock.now()
      }
    }
    for (;;) {
      if (this.deps.clock.now() - startedAt >= nextHooksAt) {
        nextHooksAt += interval
        hooked = await this.checks.rolloutHooks(ctx)
        const refused = hooked.filter((o) => o.verdict === 'fail')
        if (refused.length) {
          checks = hooked
          return report('fail', refused.map((o) => o.reason).join('; '))
        }
      }
      if (targets) {
        const [c, k] = await Promise.all([
          this.deps.prober.probe(targets.candidate, rps, batchMs, this.signal),
          this.deps.prober.probe(targets.current, rps, batchMs, this.signal)
        ])
        cand.push(...c)
        curr.push(...k)
      } else {
        await this.deps.clock.sleep(batchMs, this.signal)
      }
      this.signal.throwIfAborted()
      const elapsedMs = this.deps.clock.now() - startedAt
      const hook = await this.checks.rollbackRequested(ctx)
      if (hook) {
        this.rollbackHook = hook
        return report('fail', `rollback hook "${hook}" asked for a rollback`)
      }
      const users = await served?.read()
      if (served && !users && elapsedMs >= interval) this.noDataPlaneOnce(ctx)
      judged = chooseEvidence(
        targets
          ? { candidate: evidenceOf(cand), current: evidenceOf(curr), source: PROBES }
          : undefined,
        served && (users ?? NO_DATA_YET)
      )
      const j = judged
        ? this.judge({
            candidate: judged.candidate,
            current: judged.current,
            earlier,
            elapsedMs,
            minStepMs: interval,
            maxStepMs,
            thresholds: this.inputs.thresholds
          })
        : undefined
      if (j?.final && j.verdict === 'fail') return report('fail', j.reason, j)
      if (elapsedMs >= nextChecksAt) {
        nextChecksAt += interval
        checks = [...(await this.checks.step(ctx)), ...hooked]
        if (!judged && checks.length === 0) {
          return report(
            'fail',
            'no evidence: probe-rps is 0, there is no prometheus-url, and no metric check or rollout hook is configured'
          )
        }
        const failed = checks.filter((o) => o.verdict === 'fail')
        if (failed.length) return report('fail', failed.map((o) => o.reason).join('; '), j)
      }
      if (hold) {
        // Only the gate ends a hold: no pass at the minimum, no end at a maximum.
        const closed = await this.checks.closedGates(
          hold.gate,
          this.checkContext(hold.askedPercent)
        )
        if (!closed.length) {
          const held = `${hold.gate} opened after ${Math.round(elapsedMs / 1000)}s at ${percent}% with no failure established`
          return report('pass', j ? `${held}: ${j.reason}` : held, j)
        }
      } else {
        const probesPass = !j || (j.final && j.verdict === 'pass')
        const pending = (checks ?? []).filter((o) => o.verdict !== 'pass')
        if (checks && probesPass && pending.length === 0) {
          const why = [
            j?.reason ?? 'no synthetic probes (probe-rps 0)',
            ...checks.map((o) => o.reason)
          ]
          return report('pass', why.join('; '), j)
        }
        if (elapsedMs >= maxStepMs) {
          // Too little data (or a doubt that never cleared) at the step's maximum time.
          const doubts = [
            ...(j && !probesPass ? [j.reason] : []),
            ...pending.map((o) => `${o.reason} (no data is not a pass)`)
          ]
          // The judge's own words say "not enough evidence" already; checks need the prefix.
          const reason = pending.length
            ? `not enough evidence after ${Math.round(elapsedMs / 1000)}s: ${doubts.join('; ')}`
            : doubts.join('; ')
          return report('inconclusive', reason, j)
        }
      }
      if (j) this.log.debug(`step ${percent}%: ${j.reason}`)
      if (this.deps.clock.now() - lastRenew >= (this.leaseSeconds * 1000) / 3) {
        await this.renew()
        lastRenew = this.deps.clock.now()
      }
    }
  }

  /** Says once per run that Prometheus shows no queue-proxy series for the revisions. */
  private noDataPlaneOnce(ctx: CheckContext): void {
    if (this.warnedNoDataPlane) return
    this.warnedNoDataPlane = true
    this.log.warn(
      `prometheus-url is set, but Prometheus has no queue-proxy series for ${ctx.candidate} or ${ctx.current} ` +
        `(revision_app_request_count, kn_serving_invocation_duration_seconds) after a step interval: ` +
        `the judge weighs the probes only. Check that Prometheus scrapes the revisions' queue-proxy.`
    )
  }

  /**
   * Waits for a confirm-* gate in chunks, renewing the lease between them. A gate that says
   * no is asked again, not counted as a failure; only the overall timeout ends the wait.
   */
  private async waitGate(type: GateType, percent: number): Promise<void> {
    const chunk = (this.leaseSeconds * 1000) / 3
    for (;;) {
      const left = this.deadline - this.deps.clock.now()
      try {
        return await this.checks.gate(
          type,
          this.checkContext(percent),
          Math.max(0, Math.min(chunk, left)),
          this.signal
        )
      } catch (err) {
        if (this.signal.aborted) throw this.signal.reason
        if (left <= chunk) throw new TimeoutError(`timed out: ${(err as Error).message}`)
        await this.renew()
      }
    }
  }

  /** A phase change for the `event` hooks; they never stop the rollout, nor delay a cancel. */
  private async announce(
    phase: FlaggerPhase,
    message: string,
    warning = false,
    candidate?: string
  ): Promise<void> {
    if (this.deps.signal?.aborted) return
    await this.checks
      .event(this.checkContext(this.state?.percent ?? 0, candidate), phase, message, warning)
      .catch((err: Error) => this.log.warn(`event hooks: ${err.message}`))
  }

  private targets(svc: KService): { candidate: ProbeTarget; current: ProbeTarget } {
    const traffic = svc.status?.traffic
    const target = (tag: string): ProbeTarget => {
      const url = tagUrl(traffic, tag)
      if (!url) throw new Error(`status.traffic has no URL for the tag "${tag}"`)
      const path = this.inputs.probe.path
      const ingress = this.inputs.probe.ingressAddress
      if (!ingress) return { url: joinUrl(url, path) }
      return { url: joinUrl(ingress, path), host: new URL(url).host }
    }
    return { candidate: target('candidate'), current: target('current') }
  }

  /** Someone changed the split we wrote (spec or status): stop and let a human decide. */
  private async checkDrift(release: Release): Promise<void> {
    const live = await this.deps.client.getService(this.ns, this.name)
    if (!live) throw new DriftError(`service "${this.name}" was deleted during the rollout`)
    const edited = this.templateEdited(live)
    if (edited) throw new DriftError(edited)
    if (
      !sameRelease(trafficToRelease(live.spec.traffic ?? []), release) ||
      (observed(live) && !statusShows(live.status?.traffic, release))
    ) {
      throw new DriftError(driftMessage(live, release))
    }
  }

  // ---- writing -------------------------------------------------------------------------

  private async acquire(): Promise<{ service: KService; before: LeaseCheck }> {
    const got = await acquireLease(
      this.deps.client,
      this.deps.clock,
      this.ns,
      this.name,
      this.deps.me,
      {
        durationSeconds: this.leaseSeconds,
        wait: this.inputs.waitForLock,
        deadline: this.deadline,
        signal: this.signal
      }
    )
    this.holding = true
    return got
  }

  private renew(): Promise<KService> {
    return this.write({})
  }

  /**
   * One write through updateService (resourceVersion precondition, re-applied on 409):
   * optionally the template, the traffic (ours replaced, users' tags kept) and the state;
   * always the lease (renewed, or released). `expect` is the split we believe is there.
   */
  private async write(change: {
    template?: RevisionTemplate
    release?: Release
    expect?: Release
    state?: RolloutState
    lease?: 'renew' | 'release'
  }): Promise<KService> {
    const { clock, me } = this.deps
    const svc = await this.deps.client.updateService(this.ns, this.name, (live) => {
      const lease = readLease(live)
      if (lease && lease.holder !== me.id) {
        throw new LeaseLostError(
          `the lease was taken over by ${lease.url ?? lease.holder}; this run stops without touching traffic`
        )
      }
      if (change.expect && !sameRelease(trafficToRelease(live.spec.traffic ?? []), change.expect)) {
        throw new DriftError(driftMessage(live, change.expect))
      }
      const edited = change.expect && this.templateEdited(live)
      if (edited) throw new DriftError(edited)
      let next: KService = { ...live, spec: { ...live.spec } }
      if (change.template) next.spec.template = change.template
      if (change.release) next.spec.traffic = mergeUserTags(live.spec.traffic, change.release)
      if (change.state) next = writeState(next, change.state)
      return writeLease(
        next,
        change.lease === 'release' ? undefined : newLease(me, clock.now(), this.leaseSeconds)
      )
    })
    if (change.state) this.state = change.state
    if (change.lease === 'release') this.holding = false
    return svc
  }

  // ---- small helpers -------------------------------------------------------------------

  private desiredTemplate(live: KService | undefined): RevisionTemplate {
    const base = this.request.manifest?.service.spec.template ?? live?.spec.template
    const image = this.inputs.image
    if (!base && !image)
      throw new Error(
        `service "${this.name}" does not exist: give a manifest or an image to create it`
      )
    const template: RevisionTemplate = structuredClone(
      base ?? { spec: { containers: [{ image: image! }] } }
    )
    if (image) template.spec.containers[0] = { ...template.spec.containers[0], image }
    if (!template.spec.containers[0]?.image)
      throw new Error('the manifest has no container image; set the image input')
    return template
  }

  /** `candidate` names it once the state no longer does (after the promotion). */
  private checkContext(percent: number, candidate?: string): CheckContext {
    const st = this.state!
    return {
      namespace: this.ns,
      service: this.name,
      candidate: candidate ?? st.candidate!,
      current: st.current,
      percent
    }
  }

  private imageOf(template: RevisionTemplate): string | undefined {
    return template.spec.containers[0]?.image
  }

  private event(st: RolloutState, text: string, evidence?: StepEvidence): RolloutState {
    return withEvent(st, {
      at: this.deps.clock.now(),
      // Reasons can be long (a hook's answer): the history annotation stays compact.
      event: text.length > 500 ? `${text.slice(0, 500)}…` : text,
      by: this.deps.me.id,
      ...(evidence ? { evidence } : {})
    })
  }

  private dryRun(
    live: KService | undefined,
    template: RevisionTemplate,
    release: Release,
    plan: number[]
  ): RunOutcome {
    const traffic = mergeUserTags(live?.spec.traffic, release)
    this.log.info(
      `dry run: nothing is written. ${this.inputs.command} of ${this.name} would write:`
    )
    this.log.info(JSON.stringify({ spec: { template, traffic } }, null, 2))
    this.log.info(
      `steps: ${plan.join(', ') || 'none'}${this.inputs.pauseAt ? `, pausing at ${this.inputs.pauseAt}%` : ''}`
    )
    return {
      ...this.outcome(
        'unchanged',
        `dry run: would ${this.inputs.command} ${release.candidate ?? release.current} (steps ${plan.join(', ') || 'none'})`,
        live,
        {
          currentRevision: release.candidate ? release.current : undefined,
          candidateRevision: release.candidate ?? release.current
        }
      ),
      dryRun: true
    }
  }

  private outcome(
    result: RunOutcome['result'],
    message: string,
    svc?: KService,
    extra: Partial<RunOutcome> = {}
  ): RunOutcome {
    const traffic = svc?.status?.traffic
    return {
      command: this.inputs.command,
      result,
      message,
      service: this.name,
      namespace: this.ns,
      image: this.state?.image ?? this.inputs.image,
      digest: this.candidateDigest,
      url: svc?.status?.url,
      candidateUrl: tagUrl(traffic, 'candidate'),
      traffic: toShares(traffic),
      steps: this.steps,
      state: this.state,
      // A failure always carries its reason (the annotation and the summary show it).
      ...(result === 'failed' || result === 'rolled-back' ? { reason: message } : {}),
      ...extra
    }
  }
}

/** The reasons of the checks that did not pass (no data is not a pass), or undefined. */
function notPassed(outcomes: readonly { verdict: string; reason: string }[]): string | undefined {
  const bad = outcomes.filter((o) => o.verdict !== 'pass')
  return bad.length
    ? bad
        .map((o) =>
          o.verdict === 'inconclusive' ? `${o.reason} (no data is not a pass)` : o.reason
        )
        .join('; ')
    : undefined
}

const PROBES = 'probes'
/** A data plane that has counted nothing yet: judged as such (never a pass), not skipped. */
const NO_DATA_YET: Evidence = {
  candidate: { requests: 0, errors: 0, latenciesMs: [] },
  current: { requests: 0, errors: 0, latenciesMs: [] },
  source: 'data plane (no series yet)'
}

function sameRelease(a: Release | undefined, b: Release): boolean {
  if (!a) return false
  const pct = (r: Release): number => (r.candidate ? r.percent : 0)
  return a.current === b.current && (a.candidate ?? '') === (b.candidate ?? '') && pct(a) === pct(b)
}

function driftMessage(live: KService, expected: Release): string {
  return (
    `traffic on "${live.metadata.name}" was changed outside this rollout (expected ${expected.current} ${100 - (expected.candidate ? expected.percent : 0)}%` +
    `${expected.candidate ? ` / ${expected.candidate} ${expected.percent}%` : ''}, found ${describeTraffic(live.spec.traffic ?? [])}); ` +
    `pausing instead of fighting: fix the traffic, then run promote or abort`
  )
}

function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '')
}
