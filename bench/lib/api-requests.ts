// The emulator's request log (emulator/api/audit.ts) counted by verb, a watch apart from a
// plain GET: what a rollout asked of the API server.

import type { Emulator } from '../../emulator/emulator.js'
import { median } from './http-load.js'

/** The log's own bound (AuditLog's default): a log this long may have lost its oldest. */
const AUDIT_LIMIT = 20_000

export function requestsByVerb(emulator: Emulator): Record<string, number> {
  const entries = emulator.api.audit.list()
  if (entries.length >= AUDIT_LIMIT)
    throw new Error(`the emulator's request log is full (${entries.length}): counts would be short`)
  const byVerb: Record<string, number> = {}
  for (const e of entries) {
    const watch = ['true', '1'].includes(e.query?.watch ?? '')
    const verb = e.method === 'GET' && watch ? 'WATCH' : e.method
    byVerb[verb] = (byVerb[verb] ?? 0) + 1
  }
  return byVerb
}

/** Per-verb counts added up (several emulators as several clusters). */
export function addCounts(...counts: Record<string, number>[]): Record<string, number> {
  const sum: Record<string, number> = {}
  for (const c of counts) for (const [k, n] of Object.entries(c)) sum[k] = (sum[k] ?? 0) + n
  return sum
}

/** Per Service (in each emulator): when its first API request came and how long it was served. */
export interface UnitTimes {
  /** From `startedAt` to the Service's first request: start-up and the checks before it. */
  firstRequestMs: { median: number; max: number }
  /** From its first request to its last: the rollout as the API server saw it. */
  spanMs: { median: number; max: number }
}

export function unitTimes(emulators: readonly Emulator[], startedAt: number): UnitTimes {
  const first: number[] = []
  const span: number[] = []
  for (const emulator of emulators) {
    const times = new Map<string, number[]>()
    for (const e of emulator.api.audit.list()) {
      const name =
        /\/services\/([^/]+)/.exec(e.path)?.[1] ??
        /metadata\.name=([^,]+)/.exec(e.query?.fieldSelector ?? '')?.[1]
      if (!name) continue
      const at = Date.parse(e.time)
      times.set(name, [...(times.get(name) ?? []), at])
    }
    for (const at of times.values()) {
      first.push(Math.min(...at) - startedAt)
      span.push(Math.max(...at) - Math.min(...at))
    }
  }
  const stats = (xs: number[]) => ({ median: Math.round(median(xs)), max: Math.max(...xs) })
  return { firstRequestMs: stats(first), spanMs: stats(span) }
}
