// How a preview gets its revision on a Service that a rollout may be moving at the same
// time. Knative makes a Service's revisions only from `spec.template` (a Service's Route
// may not send traffic to another Service's revisions), so the preview writes its template,
// waits for the Configuration to create the revision, and puts the template that was there
// back at once; the revision lives on, pinned by its tag. Every write is the newest Service
// with its resourceVersion (Executor.updateOutsideLease), never the rollout's lease.

import {
  condition,
  isReady,
  observed,
  type KService,
  type Revision,
  type RevisionTemplate
} from '../knative/types.js'
import type { RunContext } from './context.js'
import { FATAL_REASONS } from './decide.js'
import type { Stop } from './ports.js'
import { isPreviewTemplate } from './preview-traffic.js'

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
  for (let tries = 0; tries < MAX_TRIES;) {
    let previous: RevisionTemplate | undefined
    await update((live) => {
      // Another preview's template is live: it puts the production one back in a moment,
      // and ours must return to that one, not to theirs.
      previous = isPreviewTemplate(live.spec.template) ? undefined : live.spec.template
      return previous && { ...live, spec: { ...live.spec, template } }
    })
    if (!previous) {
      if (ctx.clock.now() + POLL_MS > ctx.deadline)
        return { stop: timedOut(`a free template for ${name}`) }
      await ctx.clock.sleep(POLL_MS, ctx.signal)
      continue
    }
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

function timedOut(what: string): Stop {
  return { kind: 'timeout', message: `timed out waiting for ${what}` }
}
