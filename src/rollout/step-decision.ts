// The decision at each look of a step's analysis, as pure functions of what the look saw.
// The step loop (step-loop.ts) gathers the facts (probes, the data plane, hooks, metric
// checks, a gate's answer) and acts on the answer; every rule of "when does a step pass,
// fail or go on" lives here, in the order it is applied:
//   1. a failure established by anything fails the step at once, mid-step;
//   2. held at a closed gate, only the gate ends the step: it passes when the gate opens;
//   3. otherwise the step passes no earlier than its interval, when the judge and every
//      metric check pass; it goes on (extended) while anything is inconclusive, and ends
//      inconclusive at its maximum time ("not enough evidence"), which never promotes.

import type { Verdict } from '../analysis/verdict.js'
import type { Judgement } from '../analysis/judge.js'
import type { CheckOutcome } from './step-checks.js'

export type Look = {
  elapsedMs: number
  intervalMs: number
  /** Infinity while held at a gate: a hold has no maximum. */
  maxStepMs: number
  /** The judge's answer, when there was evidence to judge. */
  judgement?: Judgement
  /** The metric checks (and this interval's rollout hooks) as last run; undefined before the first run. */
  checks?: readonly CheckOutcome[]
  /** True when the checks above ran at this look. */
  checksRanNow: boolean
  /** A `rollback` hook that answered 2xx at this look. */
  rollbackHook?: string
}

export type LookDecision =
  | { kind: 'continue' } // within the interval: keep gathering
  | { kind: 'extend' } // past the interval, still in doubt: keep gathering
  | { kind: 'hold' } // held at a closed gate: keep judging
  | { kind: 'end'; verdict: Verdict; reason: string }

export const NO_EVIDENCE =
  'no evidence: probe-rps is 0, there is no prometheus-url, and no metric check or rollout hook is configured'

/** Rollout hooks that refused at an interval's start fail the step before it probes. */
export function refusedHooks(hooked: readonly CheckOutcome[]): LookDecision | undefined {
  const refused = hooked.filter((o) => o.verdict === 'fail')
  return refused.length ? fail(refused.map((o) => o.reason).join('; ')) : undefined
}

/** Rule 1: a failure established at this look, or undefined. */
export function failureAt(look: Look): LookDecision | undefined {
  if (look.rollbackHook) return fail(`rollback hook "${look.rollbackHook}" asked for a rollback`)
  const j = look.judgement
  if (j?.final && j.verdict === 'fail') return fail(j.reason)
  if (!look.checksRanNow) return undefined
  if (!j && look.checks?.length === 0) return fail(NO_EVIDENCE)
  const failed = (look.checks ?? []).filter((o) => o.verdict === 'fail')
  return failed.length ? fail(failed.map((o) => o.reason).join('; ')) : undefined
}

/** Rule 2: held at a gate, after failureAt found nothing. */
export function heldDecision(
  look: Look,
  gate: { name: string; open: boolean; percent: number }
): LookDecision {
  if (!gate.open) return { kind: 'hold' }
  const held = `${gate.name} opened after ${Math.round(look.elapsedMs / 1000)}s at ${gate.percent}% with no failure established`
  return pass(look.judgement ? `${held}: ${look.judgement.reason}` : held)
}

/** Rule 3: an ordinary step, after failureAt found nothing. */
export function stepDecision(look: Look): LookDecision {
  const j = look.judgement
  const probesPass = !j || (j.final && j.verdict === 'pass')
  const pending = (look.checks ?? []).filter((o) => o.verdict !== 'pass')
  if (look.checks && probesPass && pending.length === 0) {
    const why = [
      j?.reason ?? 'no synthetic probes (probe-rps 0)',
      ...look.checks.map((o) => o.reason)
    ]
    return pass(why.join('; '))
  }
  if (look.elapsedMs >= look.maxStepMs) {
    // Too little data (or a doubt that never cleared) at the step's maximum time.
    const doubts = [
      ...(j && !probesPass ? [j.reason] : []),
      ...pending.map((o) => `${o.reason} (no data is not a pass)`)
    ]
    // The judge's own words say "not enough evidence" already; checks need the prefix.
    const reason = pending.length
      ? `not enough evidence after ${Math.round(look.elapsedMs / 1000)}s: ${doubts.join('; ')}`
      : doubts.join('; ')
    return { kind: 'end', verdict: 'inconclusive', reason }
  }
  return look.elapsedMs >= look.intervalMs ? { kind: 'extend' } : { kind: 'continue' }
}

function fail(reason: string): LookDecision {
  return { kind: 'end', verdict: 'fail', reason }
}

function pass(reason: string): LookDecision {
  return { kind: 'end', verdict: 'pass', reason }
}
