// The user's webhooks at the rollout's phases, as the phases call them: event hooks (never
// stop the rollout), confirm-* gates waited for in chunks under the lease, and the reasons
// of checks that did not pass.

import type { Stop } from './ports.js'
import type { FlaggerPhase, GateType } from './step-checks.js'
import { checkContext, type RunContext } from './context.js'

/** A phase change for the `event` hooks; they never stop the rollout, nor delay a cancel. */
export async function announce(
  ctx: RunContext,
  phase: FlaggerPhase,
  message: string,
  warning = false,
  candidate?: string
): Promise<void> {
  if (ctx.cancelled?.aborted) return
  await ctx.checks
    .event(checkContext(ctx, ctx.progress.state?.percent ?? 0, candidate), phase, message, warning)
    .catch((err: Error) => ctx.log.warn(`event hooks: ${err.message}`))
}

/**
 * Waits for a confirm-* gate in chunks, renewing the lease between them. A gate that says
 * no is asked again, not counted as a failure; only the overall timeout ends the wait.
 */
export async function waitGate(
  ctx: RunContext,
  type: GateType,
  percent: number
): Promise<Stop | undefined> {
  const chunk = ctx.timing.renewEveryMs
  for (;;) {
    const left = ctx.deadline - ctx.clock.now()
    try {
      await ctx.checks.gate(
        type,
        checkContext(ctx, percent),
        Math.max(0, Math.min(chunk, left)),
        ctx.signal
      )
      return undefined
    } catch (err) {
      if (ctx.signal.aborted) throw ctx.signal.reason
      if (left <= chunk) return { kind: 'timeout', message: `timed out: ${(err as Error).message}` }
      const renewed = await ctx.executor.apply({})
      if (!renewed.ok) return renewed.stop
    }
  }
}

/** The reasons of the checks that did not pass (no data is not a pass), or undefined. */
export function notPassed(
  outcomes: readonly { verdict: string; reason: string }[]
): string | undefined {
  const bad = outcomes.filter((o) => o.verdict !== 'pass')
  return bad.length
    ? bad
        .map((o) =>
          o.verdict === 'inconclusive' ? `${o.reason} (no data is not a pass)` : o.reason
        )
        .join('; ')
    : undefined
}
