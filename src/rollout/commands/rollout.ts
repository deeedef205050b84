// `rollout`: decide where to start from what is live (intent.ts
// rolloutStart), create or resume the candidate at 0%, wait for it, pass the pre-rollout
// checks, then walk the steps. A flat sequence of phases; each decision is pure.

import { condition, type KService, type RevisionTemplate } from '../../knative/types.js'
import { planSteps, type Release } from '../../traffic.js'
import { checkContext, event, outcome, stateOf, type RunContext } from '../context.js'
import {
  asStored,
  candidateName,
  inFlight,
  sameRollout,
  sameTemplate,
  servingRevision,
  stepPlan,
  tagUrl
} from '../decide.js'
import { guard, rollBack, stopped } from '../finish.js'
import { gitopsRefusal } from '../gitops-guard.js'
import { announce, notPassed, waitGate } from '../hooks.js'
import { rolloutStart, type RolloutView } from '../intent.js'
import { waitCandidateReady } from '../readiness.js'
import { holderName } from '../lease.js'
import type { RunOutcome } from '../result.js'
import { judgeReachability } from '../../analysis/reachability.js'
import { escapeUntrusted } from '../../report/untrusted.js'
import { readState, type RolloutState } from '../state.js'
import { probeTarget } from '../step-loop.js'
import { walk } from '../walk.js'
import { dryRun } from './dry-run.js'
import { firstDeploy } from './first-deploy.js'
import { afterPreviewTemplate } from '../preview-revision.js'
import { isPreviewTemplate, PREVIEW_ANNOTATION } from '../preview-traffic.js'

/** How often a rollout decides again when another run changed the Service while it waited. */
const MAX_REDECIDE = 3

export async function rollout(ctx: RunContext, redecided = 0): Promise<RunOutcome> {
  const live = await productionLive(ctx)
  const release = ctx.request.manifest?.release
  const template = await storedForm(ctx, live, candidateTemplate(ctx, live))
  const candidate = template.metadata!.name!
  ctx.progress.template = template
  const open = inFlight(stateOf(ctx, live))
  const view = await observe(ctx, live, template, open)
  const start = rolloutStart(view)
  if (start.kind === 'first-deploy') return firstDeploy(ctx, live, template)
  if (start.kind === 'refuse') throw new Error(start.message)
  const current = view.current!
  if (start.kind === 'unchanged')
    return outcome(ctx, 'unchanged', start.message, live, { currentRevision: current })

  const refusal = gitopsRefusal(ctx, live)
  if (refusal) throw new Error(refusal)
  const resume = start.resume
  const plan = resume ? open!.steps : stepPlan(ctx.inputs.steps, release?.rolloutPercent)
  if (ctx.inputs.dryRun)
    return dryRun(ctx, live, template, { current, candidate, percent: 0 }, plan)

  // Before the first write (taking the lease is one): probes that cannot reach the current
  // would blame any candidate, so that is a setup error, with nothing changed. A plan with no
  // analysed step (steps: 100) judges nothing: the way to ship a fix over a broken current.
  const analysed = plan.some((percent) => percent < 100)
  if (!resume && ctx.inputs.command === 'rollout' && ctx.inputs.probe.rps > 0 && analysed) {
    const unreachable = await currentUnreachable(ctx, live!)
    if (unreachable) return outcome(ctx, 'failed', unreachable, live, { currentRevision: current })
  }
  const { service: leased, before } = await ctx.executor.acquire()
  // Another run changed the Service while we waited for the lease (wait-for-lock): decide
  // again on what it left, or we would step from a current it has replaced.
  if (redecided < MAX_REDECIDE && !sameRollout(live, leased)) return rollout(ctx, redecided + 1)
  if (before.kind === 'expired')
    ctx.log.warn(`took over the lease of ${holderName(before.previous)}, which expired`)
  ctx.progress.state = resume
    ? resumed(ctx, open!)
    : created(ctx, leased, open, { current, candidate, plan, template })
  return guard(ctx, () => launch(ctx, leased, template, { resume, open, plan }))
}

/**
 * The Service to decide on: after a gradual rollout Knative is making, and with production's
 * template, not a pull request preview's (live for a moment while it makes its revision).
 * Without a manifest the candidate is built from the live template, so a preview's left
 * there (its run killed) is refused rather than rolled out.
 */
async function productionLive(ctx: RunContext): Promise<KService | undefined> {
  const live = await afterPreviewTemplate(ctx, await ctx.executor.read())
  if (live && isPreviewTemplate(live.spec.template) && !ctx.request.manifest)
    throw new Error(
      `the template of "${ctx.name}" is still a pull request preview's (${PREVIEW_ANNOTATION}); its run must have stopped before putting production's back: give a manifest to roll out (its template replaces the preview's)`
    )
  return afterGradualRollout(ctx, live)
}

/** Knative's reason while it moves a `latestRevision` target gradually (rollout-duration). */
const GRADUAL = 'RolloutInProgress'
const ROLLOUT_DURATION = [
  'serving.knative.dev/rollout-duration',
  'serving.knative.dev/rolloutDuration'
]

const inGradualRollout = (s: KService | undefined): boolean =>
  !!s && ['RoutesReady', 'Ready'].some((type) => condition(s, type)?.reason === GRADUAL)

/**
 * With rollout-duration, Knative ramps only traffic that follows the latest revision; this
 * rollout pins both revisions by name, so its steps take effect at once and are the ramp
 * (docs/knative-semantics.md). A ramp of Knative's own still moving when the run starts
 * leaves no one current revision: the run waits for it to end (within the timeout) and
 * decides on what it left, rather than stepping from a revision Knative is replacing.
 */
async function afterGradualRollout(
  ctx: RunContext,
  live: KService | undefined
): Promise<KService | undefined> {
  const annotations = live?.metadata.annotations ?? {}
  const duration = ROLLOUT_DURATION.map((k) => annotations[k]).find((v) => v)
  if (duration)
    ctx.log.info(
      `${ctx.name} has rollout-duration ${escapeUntrusted(duration, 40)}: Knative ramps only traffic that follows the latest revision; this rollout pins both revisions, so each step's split takes effect at once and the steps are the ramp`
    )
  if (!inGradualRollout(live)) return live
  ctx.log.info(
    `Knative is moving the traffic of ${ctx.name} gradually (rollout-duration): waiting for it to finish before deciding which revision is current`
  )
  const done = await ctx.executor.waitFor(
    (s) => !inGradualRollout(s),
    `Knative's gradual rollout of ${ctx.name} to finish`
  )
  if (!done.ok) throw new Error(done.stop.message)
  return done.service
}

/**
 * The desired template as the API server would store it (asStored), asked with a dry run
 * before anything is decided or written; the template as it is when the executor cannot ask.
 * What the server would refuse (Knative's webhook, the CRD's schema) is refused here, before
 * any write, in the server's own words: they name the field.
 */
async function storedForm(
  ctx: RunContext,
  live: KService | undefined,
  template: RevisionTemplate
): Promise<RevisionTemplate> {
  const stored = await ctx.executor.storedTemplate?.(live, template)
  if (!stored) return template
  if (stored.ok) return asStored(stored.template)
  throw new Error(
    `the manifest's template for service "${ctx.name}" would be refused by the Kubernetes API server, so nothing was written: ${escapeUntrusted(stored.refusal)}`
  )
}

/** Requests sent to the current before the first write: enough to see one answer. */
const REACH_CHECK = { rps: 5, durationMs: 1000 }

/**
 * The setup problem when the current revision cannot be reached where the steps will probe
 * it (its tag URL, or the Service's URL before it has one), else undefined.
 */
async function currentUnreachable(ctx: RunContext, live: KService): Promise<string | undefined> {
  const url = tagUrl(live.status?.traffic, 'current') ?? live.status?.url
  if (!url) return undefined
  const target = probeTarget(ctx, url)
  const samples = await ctx.prober.probe(
    target,
    REACH_CHECK.rps,
    REACH_CHECK.durationMs,
    ctx.signal
  )
  const where = target.host ? `${target.url} (Host: ${target.host})` : target.url
  const reach = judgeReachability(where, samples)
  return reach.reachable ? undefined : reach.message
}

/** What rolloutStart needs, read from the cluster. */
async function observe(
  ctx: RunContext,
  live: KService | undefined,
  template: RevisionTemplate,
  open: RolloutState | undefined
): Promise<RolloutView> {
  const candidate = template.metadata!.name!
  const release = ctx.request.manifest?.release
  const current = live ? (release?.current ?? open?.current ?? servingRevision(live)) : undefined
  const view: RolloutView = {
    namespace: ctx.ns,
    exists: !!live,
    current,
    currentExists: false,
    candidate,
    template,
    liveTemplate: live?.spec.template,
    madeCurrent:
      live?.status?.latestCreatedRevisionName === current &&
      live?.status?.latestReadyRevisionName === current,
    open
  }
  if (!live || !current) return view
  view.currentExists = !!(await ctx.executor.revision(current))
  if (view.currentExists && candidate !== current && open?.candidate !== candidate) {
    const taken = await ctx.executor.revision(candidate)
    if (taken) view.taken = { metadata: taken.metadata, spec: taken.spec }
  }
  return view
}

function resumed(ctx: RunContext, open: RolloutState): RolloutState {
  ctx.log.info(`resuming the rollout of ${open.candidate} (was ${open.phase} at ${open.percent}%)`)
  return event(ctx, { ...open, phase: 'progressing' }, `resumed at ${open.percent}%`)
}

function created(
  ctx: RunContext,
  leased: KService,
  open: RolloutState | undefined,
  c: { current: string; candidate: string; plan: number[]; template: RevisionTemplate }
): RolloutState {
  if (open)
    ctx.log.warn(
      `superseding the unfinished rollout of ${open.candidate} (${open.phase} at ${open.percent}%)`
    )
  return event(
    ctx,
    {
      phase: 'progressing',
      current: c.current,
      candidate: c.candidate,
      percent: 0,
      steps: c.plan,
      failures: 0,
      image: c.template.spec.containers[0]?.image,
      ...(ctx.request.sha ? { commit: ctx.request.sha } : {}),
      history: readState(leased)?.history ?? []
    },
    `candidate ${c.candidate} created at 0%`
  )
}

/** The candidate at 0%, ready, past the pre-rollout checks; then the walk. */
async function launch(
  ctx: RunContext,
  leased: KService,
  template: RevisionTemplate,
  o: { resume: boolean; open?: RolloutState; plan: number[] }
): Promise<RunOutcome> {
  const st = ctx.progress.state!
  const { current, candidate } = st as { current: string; candidate: string }
  const zero: Release = { current, candidate, percent: 0 }
  if (!o.resume || leased.spec.template.metadata?.name !== candidate) {
    // One write: the new template and traffic pinned current 100 / candidate 0 / latest 0.
    // A live template already naming the candidate (left by a rolled-back run) is kept:
    // it carries Knative's defaults, and a same-name rewrite without them is refused.
    const made =
      leased.spec.template.metadata?.name === candidate &&
      sameTemplate(leased.spec.template, template)
    const written = await ctx.executor.apply({
      template: made ? undefined : template,
      release: zero,
      state: st
    })
    if (!written.ok) return stopped(ctx, written.stop)
  }
  const ready = await waitCandidateReady(ctx, candidate)
  if (ready.stop) return stopped(ctx, ready.stop)
  if (ready.failure)
    return rollBack(
      ctx,
      `candidate ${candidate} did not become ready: ${ready.failure}`,
      'rolled-back',
      true
    )
  if (st.percent === 0) {
    const ended = await beforeFirstStep(ctx)
    if (ended) return ended
  }
  // A run that crashed mid-step analyses that step again (start just below it).
  const again = o.resume && o.open?.phase === 'progressing' && st.percent > 0
  return walk(
    ctx,
    planSteps({
      steps: o.plan,
      startPercent: again ? st.percent - 1 : st.percent,
      pauseAt: ctx.inputs.pauseAt
    })
  )
}

/** Before the candidate gets any traffic: a closed confirm-rollout gate waits, it is not a failure. */
async function beforeFirstStep(ctx: RunContext): Promise<RunOutcome | undefined> {
  await announce(ctx, 'Initializing', `candidate ${ctx.progress.state!.candidate} is ready at 0%`)
  const stop = await waitGate(ctx, 'confirm-rollout', 0)
  if (stop) return stopped(ctx, stop)
  const bad = notPassed(await ctx.checks.preRollout(checkContext(ctx, 0)))
  return bad ? rollBack(ctx, `pre-rollout: ${bad}`, 'rolled-back', false) : undefined
}

/**
 * The template to roll out, named: the manifest's (or the live one), with the `image`
 * input, named by revision-name, the release's candidate, the commit or a hash.
 */
function candidateTemplate(ctx: RunContext, live: KService | undefined): RevisionTemplate {
  const base = ctx.request.manifest?.service.spec.template ?? live?.spec.template
  const image = ctx.inputs.image
  if (!base && !image)
    throw new Error(
      `service "${ctx.name}" does not exist: give a manifest or an image to create it`
    )
  const template: RevisionTemplate = structuredClone(
    base ?? { spec: { containers: [{ image: image! }] } }
  )
  if (image) template.spec.containers[0] = { ...template.spec.containers[0], image }
  if (!template.spec.containers[0]?.image)
    throw new Error('the manifest has no container image; set the image input')
  const name = candidateName(ctx.name, template, {
    revisionName: ctx.inputs.revisionName,
    adopt: image ? undefined : adoptedRevision(ctx, live, template),
    releaseCandidate: ctx.request.manifest?.release?.candidate,
    sha: ctx.request.sha
  })
  return { ...template, metadata: { ...(template.metadata ?? {}), name } }
}

/**
 * traffic-owner git, when the merged manifest already changed the template (traffic still on
 * the current revision): the candidate is the revision that template made, by its own name or
 * as the Service's newest revision once the controller applied it.
 */
function adoptedRevision(
  ctx: RunContext,
  live: KService | undefined,
  template: RevisionTemplate
): string | undefined {
  if (ctx.inputs.gitops.trafficOwner !== 'git') return undefined
  if (template.metadata?.name) return template.metadata.name
  if (live && sameTemplate(live.spec.template, template))
    return live.status?.latestCreatedRevisionName
  return undefined
}
