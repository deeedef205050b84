// Every duration the rollout uses, derived from `step-interval` in one place, so that the
// engine, its lease and the input check on `timeout` agree. Pure.

/** An inconclusive step is extended up to this many intervals, then fails: never promote on no data. */
export const MAX_STEP_ROUNDS = 3
/** Probes are judged in batches of a fifth of the interval: a bad candidate fails mid-step. */
export const BATCHES_PER_INTERVAL = 5
/** A batch is never shorter than this: fewer, larger looks keep the judge's tests few. */
export const MIN_BATCH_MS = 1_000
/** A lease outlives any gap between two renewals by this much at least. */
const MIN_LEASE_SECONDS = 120

export interface Timing {
  /** The analysis time of one step: the earliest a step may pass. */
  intervalMs: number
  /** How long one look gathers evidence before the judge is asked. */
  batchMs: number
  /** A step still inconclusive after this ends inconclusive ("not enough evidence"). */
  maxStepMs: number
  /** The lease's duration, written on every renewal. */
  leaseSeconds: number
  /** Renew the lease at least this often (a third of its duration). */
  renewEveryMs: number
}

/**
 * Examples: 30 s → batches of 6 s, steps of 30–90 s, a lease of 120 s renewed every 40 s;
 * 2 m → batches of 24 s, steps of 2–6 min, a lease of 270 s (two intervals and 30 s).
 */
export function timing(stepIntervalMs: number): Timing {
  const leaseSeconds = Math.max(MIN_LEASE_SECONDS, Math.ceil((2 * stepIntervalMs) / 1000) + 30)
  return {
    intervalMs: stepIntervalMs,
    batchMs: Math.max(MIN_BATCH_MS, Math.round(stepIntervalMs / BATCHES_PER_INTERVAL)),
    maxStepMs: stepIntervalMs * MAX_STEP_ROUNDS,
    leaseSeconds,
    renewEveryMs: (leaseSeconds * 1000) / 3
  }
}

/**
 * The length of the next look: a batch, cut short so that the look ending at the step's
 * interval (and at its maximum) ends exactly there, not one batch later.
 */
export function nextBatchMs(t: Timing, elapsedMs: number): number {
  for (const boundary of [t.intervalMs, t.maxStepMs]) {
    if (elapsedMs < boundary) return Math.max(1, Math.min(t.batchMs, boundary - elapsedMs))
  }
  return t.batchMs
}

/** The analysis time of `steps` analysed steps: at least one interval each, at most MAX_STEP_ROUNDS. */
export function analysisBounds(
  steps: number,
  stepIntervalMs: number
): { minMs: number; maxMs: number } {
  return { minMs: steps * stepIntervalMs, maxMs: steps * stepIntervalMs * MAX_STEP_ROUNDS }
}
