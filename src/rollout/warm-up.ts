// A revision that scaled to zero (Knative: Active=False, NoTraffic) pays a cold start on its
// next request: the activator holds it until a pod is up. At the start of a step that is not
// the candidate's latency, so it is not judged: such a revision is woken on its tag URL first,
// one request at a time until it answers, and those requests are no evidence (the traffic
// window starts after them too). docs/knative-semantics.md ("Scale to zero").

import { condition, type Revision } from '../knative/types.js'
import type { ProbeTarget } from './ports.js'
import type { RunContext } from './context.js'

/** How long a revision may take to wake before the step is measured anyway. */
export const WARM_UP_MAX_MS = 60_000
/** One request, sent at once (the prober spreads rps × duration requests over the duration). */
const ONE_REQUEST = { rps: 1000, durationMs: 1 }
/** Between two tries that got no answer (a refused connection answers at once). */
const RETRY_MS = 500

/** True when Knative reports the revision scaled to zero or waking (Active not True). */
export function scaledToZero(revision: Revision | undefined): boolean {
  const active = revision && condition(revision, 'Active')
  return !!active && active.status !== 'True'
}

/** An answer from the revision's container, not from the activator or the ingress waiting for it. */
const answered = (status: number): boolean => status > 0 && ![502, 503, 504].includes(status)

/**
 * Wakes each revision that scaled to zero, on its target, before a step is measured; the
 * requests it takes are dropped. Returns the revisions that were woken, for the step's log.
 */
export async function warmUp(
  ctx: RunContext,
  targets: Record<string, { revision: string; target: ProbeTarget }>
): Promise<string[]> {
  const woken = await Promise.all(
    Object.values(targets).map(async ({ revision, target }) => {
      if (!scaledToZero(await ctx.executor.revision(revision))) return undefined
      const started = ctx.clock.now()
      const ends = Math.min(ctx.deadline, started + WARM_UP_MAX_MS)
      for (;;) {
        const tried = ctx.clock.now()
        const samples = await ctx.prober.probe(
          target,
          ONE_REQUEST.rps,
          ONE_REQUEST.durationMs,
          ctx.signal
        )
        if (samples.some((s) => answered(s.status))) break
        if (ctx.clock.now() >= ends) {
          ctx.log.warn(
            `${revision} had scaled to zero and did not answer within ${WARM_UP_MAX_MS / 1000}s of warm-up; measuring it anyway`
          )
          return undefined
        }
        const rest = tried + RETRY_MS - ctx.clock.now()
        if (rest > 0) await ctx.clock.sleep(rest, ctx.signal)
      }
      ctx.log.info(
        `${revision} had scaled to zero: woken in ${ctx.clock.now() - started} ms before the step is measured; its cold start is not judged`
      )
      return revision
    })
  )
  return woken.filter((r): r is string => r !== undefined)
}
