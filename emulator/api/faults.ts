// Injected API faults, decided per request from the live `settings.faults` and an
// injected random source (so tests can make them certain or impossible).

import { ApiError } from '../api-error.js'
import type { Faults } from '../settings.js'

export interface FaultDecision {
  delayMs: number
  /** Answer this instead of serving the request. */
  error?: ApiError
  /** Answer 409 Conflict instead of writing. */
  conflict: boolean
}

const REASONS: Record<number, string> = {
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout'
}

export function injectedError(status: number): ApiError {
  const reason = REASONS[status] ?? 'Unknown'
  const retry = status === 429 || status === 503 ? { retryAfterSeconds: 1 } : undefined
  return new ApiError(status, reason, `the emulator injected a fault (HTTP ${status})`, retry)
}

/** What to do to one resource request; `isWrite` for update and patch. */
export function decideFaults(
  faults: Faults,
  isWrite: boolean,
  random: () => number
): FaultDecision {
  let delayMs = faults.latencyMs
  if (faults.latencySpikeRate > 0 && random() < faults.latencySpikeRate)
    delayMs += faults.latencySpikeMs
  const error =
    faults.errorRate > 0 && random() < faults.errorRate
      ? injectedError(faults.errorStatus)
      : undefined
  const conflict = !error && isWrite && faults.conflictRate > 0 && random() < faults.conflictRate
  return { delayMs, error, conflict }
}

const RATE_KEYS = ['errorRate', 'latencySpikeRate', 'conflictRate'] as const
const MS_KEYS = ['latencyMs', 'latencySpikeMs', 'watchDropAfterMs'] as const

/** Validate a partial Faults body from `PUT /emulator/faults`. */
export function parseFaults(body: unknown): Partial<Faults> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw ApiError.badRequest('faults must be a JSON object')
  const out: Partial<Faults> = {}
  for (const [key, value] of Object.entries(body)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw ApiError.badRequest(`faults.${key} must be a non-negative number`)
    }
    if ((RATE_KEYS as readonly string[]).includes(key)) {
      if (value > 1) throw ApiError.badRequest(`faults.${key} must be between 0 and 1`)
    } else if (key === 'errorStatus') {
      if (!Number.isInteger(value) || value < 400 || value > 599)
        throw ApiError.badRequest('faults.errorStatus must be an HTTP error status (400-599)')
    } else if (!(MS_KEYS as readonly string[]).includes(key)) {
      throw ApiError.badRequest(`unknown fault "${key}"`)
    }
    ;(out as Record<string, number>)[key] = value
  }
  return out
}
