// How a preview gets its revision on a Service that a rollout may be moving at the same
// time. Knative makes a Service's revisions only from `spec.template` (a Service's Route
// may not send traffic to another Service's revisions), so the preview writes its template,
// waits for the Configuration to create the revision, and puts the template that was there
// back at once; the revision lives on, pinned by its tag. Every write is the newest Service
// with its resourceVersion (Executor.updateOutsideLease), never the rollout's lease. The
// template is written only when no rollout may write it meanwhile (preview-traffic.ts
// templateWait), and a rollout starting meanwhile waits for the production one
// (afterPreviewTemplate): so neither ever puts back the other's.

import {
  condition,
  isReady,
  observed,
  type KService,
  type Revision,
  type RevisionTemplate
} from '../knative/types.js'
import type { RunContext } from './context.js'
import { FATAL_REASONS, inFlight } from './decide.js'
import type { Stop } from './ports.js'
import { isPreviewTemplate, templateWait } from './preview-traffic.js'
import { readState } from './state.js'

type Update = NonNullable<RunContext['executor']['updateOutsideLease']>

/** How often a preview looks again: another preview's template is live, or the revision is not ready yet. */
const POLL_MS = 500
/** Writes of our template that a rollout's candidate replaced before the revision was made. */
const MAX_TRIES = 5

/**
 * The revision `template` names, made by Knative from the Service's template and the
 * template put back; a Stop when the overall timeout ran out first.
 */
export async function makeRevision(
  ctx: RunContext,
  update: Update,
  template: RevisionTemplate
): Promise<{ revision: Revision } | { stop: Stop }> {
  const name = template.metadata!.name!
  let waited: string | undefined
  for (let tries = 0; tries < MAX_TRIES;) {
    const turn = await writeOurs(ctx, update, template)
    if ('wait' in turn) {
      if (turn.wait !== waited) ctx.log.info(`the preview ${name} waits for ${turn.wait}`)
      waited = turn.wait
      if (ctx.clock.now() + POLL_MS > ctx.deadline) return { stop: timedOut(turn.wait) }
      await ctx.clock.sleep(POLL_MS, ctx.signal)
      continue
    }
    const { previous } = turn
    tries++
    let made: Awaited<ReturnType<RunContext['executor']['waitFor']>>
    try {
      made = await ctx.executor.waitFor(
        (s) => created(s, name),
        `Knative to create the revision ${name}`
      )
    } finally {
      // Even when cancelled: the Service must not be left making preview revisions.
      await putBack(update, name, previous)
    }
    if (!made.ok) return { stop: made.stop }
    const revision = await ctx.executor.revision(name)
    if (revision) return { revision }
    const refused = condition(made.service, 'ConfigurationsReady')
    if (made.service.spec.template.metadata?.name === name && refused?.status === 'False')
      throw new Error(`Knative did not create ${name}: ${refused.message ?? refused.reason}`)
    // A rollout wrote its candidate's template before the Configuration saw ours: again.
    ctx.log.info(`the template of ${ctx.name} changed before ${name} was made; writing it again`)
  }
  throw new Error(`the template of ${ctx.name} kept changing; ${name} was not made`)
}

/**
 * Our template written, conditioned on the Service as it is at the write (its
 * resourceVersion): the template it replaced, or what it waits for first (templateWait).
 */
async function writeOurs(
  ctx: RunContext,
  update: Update,
  template: RevisionTemplate
): Promise<{ previous: RevisionTemplate } | { wait: string }> {
  const ready = await readyCandidate(ctx)
  let previous: RevisionTemplate | undefined
  let wait: string | undefined
  await update((live) => {
    wait = templateWait(live, ready)
    previous = wait ? undefined : live.spec.template
    return previous && { ...live, spec: { ...live.spec, template } }
  })
  return previous ? { previous } : { wait: wait! }
}

/** The candidate of the rollout in flight, when its revision is ready. */
async function readyCandidate(ctx: RunContext): Promise<string | undefined> {
  const open = inFlight(readState(await ctx.executor.read()))
  if (!open?.candidate) return undefined
  const revision = await ctx.executor.revision(open.candidate)
  return revision && isReady(revision) ? open.candidate : undefined
}

/** The Configuration has answered our template: with the revision, a refusal, or someone else's template. */
function created(s: KService, name: string): boolean {
  if (s.spec.template.metadata?.name !== name) return true
  return (
    s.status?.latestCreatedRevisionName === name ||
    condition(s, 'ConfigurationsReady')?.status === 'False'
  )
}

/** The template that was there before ours, unless someone has written another since. */
async function putBack(update: Update, name: string, previous: RevisionTemplate): Promise<void> {
  await update((live) =>
    live.spec.template.metadata?.name === name && isPreviewTemplate(live.spec.template)
      ? { ...live, spec: { ...live.spec, template: previous } }
      : undefined
  )
}

/** Waits for the revision to become Ready; Knative's reason when it will not. */
export async function revisionReady(
  ctx: RunContext,
  name: string
): Promise<{ revision: Revision } | { failure: string } | { stop: Stop }> {
  ctx.log.info(`waiting for ${name} to become ready`)
  for (;;) {
    const revision = await ctx.executor.revision(name)
    if (!revision) return { failure: `the revision ${name} is gone` }
    if (isReady(revision)) return { revision }
    const ready = observed(revision) ? condition(revision, 'Ready') : undefined
    if (ready?.status === 'False' && FATAL_REASONS.test(ready.reason ?? ''))
      return { failure: `${ready.reason}: ${ready.message ?? ''}`.trim() }
    if (ctx.clock.now() + POLL_MS > ctx.deadline)
      return { stop: timedOut(`${name} to become ready`) }
    await ctx.clock.sleep(POLL_MS, ctx.signal)
  }
}

/** How long a rollout waits for a preview to put the production template back. */
export const PREVIEW_TEMPLATE_WAIT_MS = 60_000

/**
 * The Service once its template is not a preview's (a preview puts production's back within
 * seconds); the Service as it is after PREVIEW_TEMPLATE_WAIT_MS (a preview killed before it
 * could). A rollout deciding on a preview's template would build its candidate from the pull
 * request's template, or restore it after a rollback.
 */
export async function afterPreviewTemplate(
  ctx: RunContext,
  live: KService | undefined
): Promise<KService | undefined> {
  const until = Math.min(ctx.deadline, ctx.clock.now() + PREVIEW_TEMPLATE_WAIT_MS)
  let service = live
  let told = false
  while (service && isPreviewTemplate(service.spec.template) && ctx.clock.now() < until) {
    if (!told)
      ctx.log.info(
        `the template of ${ctx.name} is a preview's for a moment; waiting for production's`
      )
    told = true
    await ctx.clock.sleep(POLL_MS, ctx.signal)
    service = await ctx.executor.read()
  }
  return service
}

function timedOut(what: string): Stop {
  return { kind: 'timeout', message: `timed out waiting for ${what}` }
}
