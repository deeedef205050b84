// One step's analysis, judged as evidence arrives: the I/O of a step (probes, the data
// plane, hooks, metric checks, a gate), each look decided by step-decision.ts.
//
// Every look probes both revisions at the same rate over the same window, reads the data
// plane's count of every request each served (with a prometheus-url), asks the judge
// about whichever holds more, and polls the rollback hooks; each interval starts with the
// rollout hooks (a load tester) and ends with the metric checks. Looks are cut so that one
// ends exactly at the step's interval: a passing step takes its interval, not a batch more.

import { evidenceOf, summarise, summariseEvidence } from '../analysis/stats.js'
import { countNetworkErrors, currentAsBadReason } from '../analysis/reachability.js'
import { chooseEvidence, type Evidence } from '../analysis/choose-evidence.js'
import type { JudgeInput, Judgement } from '../analysis/judge.js'
import type { KService, Revision } from '../knative/types.js'
import type { LookReport, StepReport } from '../report/types.js'
import type { ProbeSample, ProbeTarget, Stop } from './ports.js'
import type { CheckContext, CheckOutcome, GateType } from './step-checks.js'
import { checkContext, type RunContext } from './context.js'
import { tagUrl } from './decide.js'
import { failureAt, heldDecision, refusedHooks, stepDecision, type Look } from './step-decision.js'
import { nextBatchMs } from './timing.js'
import { PROGRESS_EVERY_MS, stepTitle, type StepProgress } from '../report/progress.js'
import { warmUp } from './warm-up.js'

/** A confirm-* gate the candidate is held at, analysed, until it opens. */
export interface Hold {
  gate: GateType
  /** The share the gate is asked about (100: promotion). */
  askedPercent: number
}

const PROBES = 'probes'
/** A data plane that has counted nothing yet: judged as such (never a pass), not skipped. */
const NO_DATA_YET: Evidence = {
  candidate: { requests: 0, errors: 0, latenciesMs: [] },
  current: { requests: 0, errors: 0, latenciesMs: [] },
  source: 'data plane (no series yet)'
}

/** The reads of the step's two revisions, begun early (see readRevisionsEarly). */
export type EarlyReads = ReadonlyMap<string, Promise<Revision | undefined>>

/**
 * The warm-up's reads of the step's revisions (is either scaled to zero?), begun while the
 * split is awaited instead of after it (issue 10: the time between steps); undefined when
 * nothing is probed. Nothing the split does changes them: the same reads, earlier.
 */
export function readRevisionsEarly(ctx: RunContext): EarlyReads | undefined {
  if (ctx.inputs.probe.rps <= 0) return undefined
  const { candidate, current } = ctx.progress.state ?? {}
  const reads = new Map<string, Promise<Revision | undefined>>()
  for (const name of [candidate, current]) {
    if (!name || reads.has(name)) continue
    const read = ctx.executor.revision(name)
    read.catch(() => undefined) // awaited by the warm-up, which sees its error; or never used
    reads.set(name, read)
  }
  return reads
}

/** The step's report, or why the run must stop (the lease was lost while renewing it). */
export async function analyse(
  ctx: RunContext,
  svc: KService,
  percent: number,
  hold?: Hold,
  early?: EarlyReads
): Promise<StepReport | Stop> {
  const { clock, timing } = ctx
  const interval = timing.intervalMs
  const bounds = { ...timing, maxStepMs: hold ? Infinity : timing.maxStepMs }
  const targets = ctx.inputs.probe.rps > 0 ? probeTargets(ctx, svc) : undefined
  // A revision that scaled to zero is woken first: its cold start is no evidence (warm-up.ts).
  if (targets) await warmUp(withEarlyReads(ctx, early), warmUpTargets(ctx, targets))
  const hookCtx = checkContext(ctx, percent)
  const startedAt = clock.now()
  let lastRenew = startedAt
  let nextChecksAt = interval
  let nextHooksAt = 0
  let hooked: CheckOutcome[] = []
  let checks: CheckOutcome[] | undefined
  const cand: ProbeSample[] = []
  const curr: ProbeSample[] = []
  const served = await ctx.checks.trafficWindow(hookCtx)
  const earlier = passedEvidence(ctx)
  /** What the judge weighed at the latest look. */
  let judged: Evidence | undefined
  const looks: LookReport[] = []
  const report = (verdict: StepReport['verdict'], reason: string, j?: Judgement): StepReport =>
    stepReport(ctx, { percent, startedAt, judged, cand, curr, checks, looks }, verdict, reason, j)
  const tell = progressTeller(ctx, { percent, hold, startedAt, bounds }, cand, curr)
  for (;;) {
    if (clock.now() - startedAt >= nextHooksAt) {
      nextHooksAt += interval
      hooked = await ctx.checks.rolloutHooks(hookCtx)
      const refused = refusedHooks(hooked)
      if (refused?.kind === 'end') {
        checks = hooked
        return report(refused.verdict, refused.reason)
      }
    }
    await gather(ctx, targets, nextBatchMs(bounds, clock.now() - startedAt), cand, curr, tell)
    const elapsedMs = clock.now() - startedAt
    const base: Look = { elapsedMs, ...bounds, checksRanNow: false }
    const hook = await ctx.checks.rollbackRequested(hookCtx)
    if (hook) {
      ctx.progress.rollbackHook = hook
      const stop = failureAt({ ...base, rollbackHook: hook })!
      if (stop.kind === 'end') return report(stop.verdict, stop.reason)
    }
    const users = await served?.read()
    if (served && !users && elapsedMs >= interval) noDataPlaneOnce(ctx, hookCtx)
    judged = chooseEvidence(
      targets
        ? { candidate: evidenceOf(cand), current: evidenceOf(curr), source: PROBES }
        : undefined,
      served && (users ?? NO_DATA_YET)
    )
    const j =
      judged &&
      setupAware(judgeLook(ctx, judged, earlier, elapsedMs, bounds.maxStepMs), judged, cand, curr)
    if (j) recordLook(looks, clock.now(), j)
    const judgedFail = failureAt({ ...base, judgement: j })
    if (judgedFail?.kind === 'end') return report(judgedFail.verdict, judgedFail.reason, j)
    let checksRanNow = false
    if (elapsedMs >= nextChecksAt) {
      nextChecksAt += interval
      checks = [...(await ctx.checks.step(hookCtx)), ...hooked]
      checksRanNow = true
    }
    const look: Look = { ...base, judgement: j, checks, checksRanNow }
    const failed = failureAt(look)
    if (failed?.kind === 'end') return report(failed.verdict, failed.reason, j)
    const decision = hold ? await heldAt(ctx, look, hold, percent) : stepDecision(look)
    if (decision.kind === 'end') return report(decision.verdict, decision.reason, j)
    if (j) ctx.log.debug(`step ${percent}%: ${j.reason}`)
    if (clock.now() - lastRenew >= timing.renewEveryMs) {
      const renewed = await ctx.executor.apply({})
      if (!renewed.ok) return renewed.stop
      lastRenew = clock.now()
    }
  }
}

/** The error tests continue from this run's passed steps (as judged, whatever the source). */
function passedEvidence(ctx: RunContext) {
  return ctx.progress.steps
    .filter((s) => s.verdict === 'pass' && s.candidate && s.current)
    .map((s) => ({ candidate: s.candidate!, current: s.current! }))
}

/** Held at a gate: the gate is asked at every look; it ends the step when it opens. */
async function heldAt(ctx: RunContext, look: Look, hold: Hold, percent: number) {
  const closed = await ctx.checks.closedGates(hold.gate, checkContext(ctx, hold.askedPercent))
  return heldDecision(look, { name: hold.gate, percent, open: closed.length === 0 })
}

/**
 * One look's probes of both revisions, then the rest of its window slept out; in slices of
 * at most PROGRESS_EVERY_MS, each followed by the progress so far (a look of a long step
 * lasts a fifth of it, and the log must not go quiet that long). Slices add up to the look:
 * at a whole rps the same probes on the same schedule.
 */
async function gather(
  ctx: RunContext,
  targets: { candidate: ProbeTarget; current: ProbeTarget } | undefined,
  lookMs: number,
  cand: ProbeSample[],
  curr: ProbeSample[],
  tell: () => void
): Promise<void> {
  const { rps } = ctx.inputs.probe
  const lookEnds = ctx.clock.now() + lookMs
  for (let left = lookMs; left > 0; left = lookEnds - ctx.clock.now()) {
    const sliceMs = Math.min(left, PROGRESS_EVERY_MS)
    const sliceEnds = ctx.clock.now() + sliceMs
    if (targets) {
      const [c, k] = await Promise.all([
        ctx.prober.probe(targets.candidate, rps, sliceMs, ctx.signal),
        ctx.prober.probe(targets.current, rps, sliceMs, ctx.signal)
      ])
      cand.push(...c)
      curr.push(...k)
    }
    // A probe ends with its last answer, a little before its window does: wait out the rest,
    // so that looks line up with the interval.
    const rest = sliceEnds - ctx.clock.now()
    if (rest > 0) await ctx.clock.sleep(rest, ctx.signal)
    ctx.signal.throwIfAborted()
    tell()
  }
}

/**
 * The step's log group begins, and its progress so far goes to ctx.onProgress now and at
 * every call of the function returned.
 */
function progressTeller(
  ctx: RunContext,
  s: Parameters<typeof stepProgress>[1],
  cand: readonly ProbeSample[],
  curr: readonly ProbeSample[]
): () => void {
  ctx.log.phase?.(stepPhase(ctx, s.percent, s.hold))
  const tell = (): void => ctx.onProgress?.(stepProgress(ctx, s, cand, curr))
  tell()
  return tell
}

/** The step so far, for the live views (src/report/progress.ts). */
function stepProgress(
  ctx: RunContext,
  s: {
    percent: number
    hold?: Hold
    startedAt: number
    bounds: { intervalMs: number; maxStepMs: number }
  },
  cand: readonly ProbeSample[],
  curr: readonly ProbeSample[]
): StepProgress {
  const st = ctx.progress.state!
  const tally = (samples: readonly ProbeSample[]) => {
    const { requests, errors } = evidenceOf(samples)
    return { requests, errors }
  }
  return {
    percent: s.percent,
    plan: st.steps,
    ...(s.hold ? { gate: s.hold.gate } : {}),
    candidateRevision: st.candidate ?? '',
    currentRevision: st.current,
    elapsedMs: ctx.clock.now() - s.startedAt,
    intervalMs: s.bounds.intervalMs,
    maxStepMs: s.bounds.maxStepMs,
    candidate: tally(cand),
    current: tally(curr)
  }
}

/**
 * The log group of a step: "Step 2/4 at 25%", with the round when a failed step is analysed
 * again. The same title where the step's split is written continues the same group.
 */
export function stepPhase(ctx: RunContext, percent: number, hold?: Hold): string {
  const plan = ctx.progress.state!.steps
  const title = stepTitle({ plan, percent, gate: hold?.gate })
  const earlier = ctx.progress.steps.filter((s) => s.percent === percent).length
  const round = earlier > 0 && !hold ? ` (round ${earlier + 1})` : ''
  return `${title[0].toUpperCase()}${title.slice(1)}${round}`
}

function judgeLook(
  ctx: RunContext,
  judged: Evidence,
  earlier: JudgeInput['earlier'],
  elapsedMs: number,
  maxStepMs: number
): Judgement {
  return ctx.judge({
    candidate: judged.candidate,
    current: judged.current,
    earlier,
    elapsedMs,
    minStepMs: ctx.timing.intervalMs,
    maxStepMs,
    thresholds: ctx.inputs.thresholds
  })
}

/**
 * A probe-based fail while the current fails as badly as the candidate (DNS, the ingress, the
 * runner's network) is not evidence against the candidate: inconclusive, with that reason.
 */
function setupAware(
  j: Judgement,
  judged: Evidence,
  cand: readonly ProbeSample[],
  curr: readonly ProbeSample[]
): Judgement {
  if (j.verdict !== 'fail' || judged.source !== PROBES) return j
  const why = currentAsBadReason(curr, cand)
  return why ? { ...j, verdict: 'inconclusive', final: false, reason: why, setupFault: true } : j
}

/** The step's report: the figures of what the judge weighed last (probes or the data plane). */
function stepReport(
  ctx: RunContext,
  s: {
    percent: number
    startedAt: number
    judged?: Evidence
    cand: ProbeSample[]
    curr: ProbeSample[]
    checks?: CheckOutcome[]
    looks: LookReport[]
  },
  verdict: StepReport['verdict'],
  reason: string,
  j?: Judgement
): StepReport {
  ctx.log.debug(`step ${s.percent}%: ${verdict}: ${reason}`)
  const figures =
    s.judged && s.judged.source !== PROBES
      ? {
          source: s.judged.source,
          candidate: summariseEvidence(s.judged.candidate),
          current: summariseEvidence(s.judged.current)
        }
      : { candidate: summarise(s.cand), current: summarise(s.curr) }
  return {
    percent: s.percent,
    verdict,
    reason,
    ...figures,
    ...(j ? { stats: j.stats } : {}),
    ...(j?.setupFault ? { setupFault: true } : {}),
    ...(s.checks?.length ? { checks: s.checks } : {}),
    // Probes that never got an answer: shown per step, so a network problem is visible.
    ...(s.cand.length + s.curr.length > 0
      ? {
          networkErrors: {
            candidate: countNetworkErrors(s.cand),
            current: countNetworkErrors(s.curr)
          }
        }
      : {}),
    startedAt: s.startedAt,
    endedAt: ctx.clock.now(),
    ...(s.looks.length ? { looks: s.looks } : {})
  }
}

/** Looks kept per step; a long hold at a gate halves its list rather than grow without end. */
const MAX_LOOKS = 240

/** What the judge weighed at this look (its own figures), for the summary's charts. */
function recordLook(looks: LookReport[], at: number, j: Judgement): void {
  const side = (name: 'candidate' | 'current') =>
    j.stats[`${name}Requests`] === undefined
      ? undefined
      : {
          requests: j.stats[`${name}Requests`],
          errors: j.stats[`${name}Errors`] ?? 0,
          p99Ms: j.stats[`${name}P99Ms`] ?? 0
        }
  const candidate = side('candidate')
  if (!candidate) return
  const current = side('current')
  looks.push({ at, candidate, ...(current ? { current } : {}) })
  if (looks.length > MAX_LOOKS) looks.splice(0, looks.length, ...looks.filter((_, i) => i % 2))
}

/** Says once per run that Prometheus shows no queue-proxy series for the revisions. */
function noDataPlaneOnce(ctx: RunContext, hookCtx: CheckContext): void {
  if (ctx.progress.warnedNoDataPlane) return
  ctx.progress.warnedNoDataPlane = true
  ctx.log.warn(
    `prometheus-url is set, but Prometheus has no queue-proxy series for ${hookCtx.candidate} or ${hookCtx.current} ` +
      `(revision_app_request_count, kn_serving_invocation_duration_seconds, kn_queueproxy_app_duration_seconds) after a step interval: ` +
      `the judge weighs the probes only. Check that Prometheus scrapes the revisions' queue-proxy.`
  )
}

/** Each revision's tag URL, or the ingress address with the tag's host. */
function probeTargets(
  ctx: RunContext,
  svc: KService
): { candidate: ProbeTarget; current: ProbeTarget } {
  const traffic = svc.status?.traffic
  const target = (tag: string): ProbeTarget => {
    const url = tagUrl(traffic, tag)
    if (!url) throw new Error(`status.traffic has no URL for the tag "${tag}"`)
    return probeTarget(ctx, url)
  }
  return { candidate: target('candidate'), current: target('current') }
}

/** `ctx` whose executor answers each revision read begun early with it, once. */
function withEarlyReads(ctx: RunContext, early: EarlyReads | undefined): RunContext {
  if (!early?.size) return ctx
  const left = new Map(early)
  const executor = ctx.executor
  const revision = (name: string) => {
    const read = left.get(name)
    left.delete(name)
    return read ?? executor.revision(name)
  }
  return {
    ...ctx,
    executor: Object.assign(Object.create(executor) as typeof executor, { revision })
  }
}

/** The revisions behind the step's two probe targets. */
function warmUpTargets(ctx: RunContext, t: { candidate: ProbeTarget; current: ProbeTarget }) {
  const { candidate, current } = ctx.progress.state ?? {}
  return {
    ...(candidate ? { candidate: { revision: candidate, target: t.candidate } } : {}),
    ...(current ? { current: { revision: current, target: t.current } } : {})
  }
}

/** A revision's URL with the probe path, or the ingress address with its host. */
export function probeTarget(ctx: RunContext, url: string): ProbeTarget {
  const { path, ingressAddress } = ctx.inputs.probe
  if (!ingressAddress) return { url: joinUrl(url, path) }
  return { url: joinUrl(ingressAddress, path), host: new URL(url).host }
}

function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '')
}
