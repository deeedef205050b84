// Bounded retries with exponential backoff and jitter, on the injected clock. Only errors
// the server or the network may get over (KubeApiError.retryable) are retried.

import type { Clock } from '../rollout/ports.js'
import type { Logger } from '../log.js'
import { KubeApiError } from './errors.js'

export interface RetryPolicy {
  /** Total tries, including the first. */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Retry-After values above this are capped: a server asking for minutes is treated as down. */
  maxRetryAfterMs: number
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000
}

/**
 * Delay before try number `attempt + 1` (attempt counts from 1): "equal jitter", half fixed
 * and half random, so that many clients retrying together spread out but never retry at once.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + (ceiling / 2) * random())
}

export interface RetryDeps {
  clock: Clock
  log: Logger
  policy: RetryPolicy
  random: () => number
  signal?: AbortSignal
}

export async function withRetry<T>(op: () => Promise<T>, deps: RetryDeps): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op()
    } catch (err) {
      if (!(err instanceof KubeApiError) || !err.retryable) throw err
      if (attempt >= deps.policy.attempts) throw gaveUp(err, attempt)
      const delay =
        err.retryAfterMs !== undefined
          ? Math.min(err.retryAfterMs, deps.policy.maxRetryAfterMs)
          : backoffDelay(attempt, deps.policy, deps.random)
      deps.log.debug(
        `${err.message}; retrying in ${delay} ms (attempt ${attempt + 1} of ${deps.policy.attempts})`
      )
      await deps.clock.sleep(delay, deps.signal)
    }
  }
}

export function gaveUp(err: KubeApiError, attempts: number): KubeApiError {
  return new KubeApiError(
    `${err.message} (gave up after ${attempts} attempts)`,
    err.code,
    err.reason,
    err.request,
    err.retryAfterMs,
    { cause: err }
  )
}
