// How a simulated revision answers: its share of 500s, its added latency and its greeting,
// read from the revision's first container env, with live overrides on top (pure).

import { ApiError } from '../api-error.js'
import { normal, type Random } from './random.js'

export interface Behaviour {
  /** Share of requests (0..1) answered 500. */
  errorRate: number
  /** Median added delay in ms (0 = answer at once). */
  latencyMs: number
  /** The helloworld samples' `TARGET`: a healthy answer is `Hello <target>!`. */
  target: string
}

export interface BehaviourOverride {
  errorRate?: number
  latencyMs?: number
}

interface EnvVar {
  name: string
  value?: string
}

const DEFAULT_TARGET = 'World'

export function behaviourFromEnv(env: readonly EnvVar[] | undefined): Behaviour {
  const value = (name: string) => env?.find((e) => e.name === name)?.value
  const number = (name: string) => {
    const parsed = Number.parseFloat(value(name) ?? '')
    return Number.isFinite(parsed) ? parsed : 0
  }
  return {
    errorRate: Math.min(1, Math.max(0, number('EMULATOR_ERROR_RATE'))),
    latencyMs: Math.max(0, number('EMULATOR_LATENCY_MS')),
    target: value('TARGET') || DEFAULT_TARGET
  }
}

/** Throws 400 for values a caller could not have meant, so a typo never goes unnoticed. */
export function checkOverride(override: BehaviourOverride): void {
  const { errorRate, latencyMs } = override
  if (errorRate !== undefined && !(errorRate >= 0 && errorRate <= 1)) {
    throw ApiError.badRequest(`errorRate must be a number from 0 to 1, got ${String(errorRate)}`)
  }
  if (latencyMs !== undefined && !(latencyMs >= 0 && Number.isFinite(latencyMs))) {
    throw ApiError.badRequest(`latencyMs must be a number of ms >= 0, got ${String(latencyMs)}`)
  }
}

export function withOverride(base: Behaviour, override: BehaviourOverride | undefined): Behaviour {
  if (!override) return base
  return {
    errorRate: override.errorRate ?? base.errorRate,
    latencyMs: override.latencyMs ?? base.latencyMs,
    target: base.target
  }
}

/**
 * Jitter: service times are right-skewed, so the delay is log-normal with its median at
 * `latencyMs` and sigma 0.15. That puts p1 at about 0.70x, p99 at about 1.42x and the mean
 * at about 1.01x the configured value: p99 > p50 as on a real service, with no long tail
 * that would make a latency threshold flaky.
 */
export const LATENCY_SIGMA = 0.15

export function sampleLatencyMs(latencyMs: number, random: Random): number {
  if (latencyMs <= 0) return 0
  return latencyMs * Math.exp(LATENCY_SIGMA * normal(random))
}
