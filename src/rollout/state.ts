// The rollout's state, kept on the Service itself as annotations so that any later run
// (a `promote` from a manual workflow, a re-run after a crash) can pick it up. Pure
// encode/decode; nothing secret goes here — only revision names, numbers and the run's URL.

import type { KService } from '../knative/types.js'
import type { StepEvidence } from './evidence.js'

export const STATE_PREFIX = 'rollout.knative-rollout.dev/'

export type Phase =
  | 'progressing' // a run is moving traffic (or creating the candidate)
  | 'paused' // stopped at a step on purpose; waits for `promote` or `abort`
  | 'promoted'
  | 'rolled-back'
  | 'aborted'

export interface HistoryEntry {
  /** ms since the epoch */
  at: number
  /** What happened, e.g. `step 25`, `rolled-back: success rate 0.52 < 0.99`. */
  event: string
  /** The run that did it. */
  by?: string
  /** An analysed step's figures behind its verdict (evidence.ts). */
  evidence?: StepEvidence
}

/** Who holds the right to change the Service's traffic, and until when. */
export interface Lease {
  /** The run's identity; the same id re-running (another attempt) may take the lease over. */
  holder: string
  /** A link to the run, for the "held by" message. */
  url?: string
  /** ms since the epoch */
  renewedAt: number
  durationSeconds: number
}

export interface RolloutState {
  phase: Phase
  current: string
  /** Absent after a promotion or for a first deploy. */
  candidate?: string
  /** The candidate's share of traffic, 0..100. */
  percent: number
  /** The step plan this rollout follows, e.g. [10, 25, 50, 100]. */
  steps: number[]
  /** Failed analyses so far (against `failure-threshold`). */
  failures: number
  image?: string
  /** Why the last terminal phase was reached (rollback reason, pause message). */
  reason?: string
  /** Oldest first, at most HISTORY_LIMIT entries. */
  history: HistoryEntry[]
}

export const HISTORY_LIMIT = 20
/** The history annotation's budget (Kubernetes allows 256 KiB for all annotations together). */
export const HISTORY_MAX_BYTES = 32 * 1024

const key = {
  phase: STATE_PREFIX + 'phase',
  current: STATE_PREFIX + 'current',
  candidate: STATE_PREFIX + 'candidate',
  percent: STATE_PREFIX + 'percent',
  steps: STATE_PREFIX + 'steps',
  failures: STATE_PREFIX + 'failures',
  image: STATE_PREFIX + 'image',
  reason: STATE_PREFIX + 'reason',
  history: STATE_PREFIX + 'history'
} as const

const LEASE_KEY = STATE_PREFIX + 'lease'

const PHASES: readonly Phase[] = ['progressing', 'paused', 'promoted', 'rolled-back', 'aborted']

/** The state on `service`, or undefined when no rollout ever touched it (or it is unreadable). */
export function readState(service: KService | undefined): RolloutState | undefined {
  const a = service?.metadata.annotations ?? {}
  const phase = a[key.phase] as Phase | undefined
  const current = a[key.current]
  if (!phase || !PHASES.includes(phase) || !current) return undefined
  return {
    phase,
    current,
    candidate: a[key.candidate] || undefined,
    percent: toInt(a[key.percent]),
    steps: (a[key.steps] ?? '')
      .split(',')
      .filter(Boolean)
      .map(Number)
      .filter((n) => Number.isInteger(n)),
    failures: toInt(a[key.failures]),
    image: a[key.image] || undefined,
    reason: a[key.reason] || undefined,
    history: parseJson<HistoryEntry[]>(a[key.history]) ?? []
  }
}

/** `service` with `state` written into its annotations; other annotations (and the lease) untouched. */
export function writeState(service: KService, state: RolloutState): KService {
  const annotations = { ...(service.metadata.annotations ?? {}) }
  for (const k of Object.values(key)) delete annotations[k]
  annotations[key.phase] = state.phase
  annotations[key.current] = state.current
  if (state.candidate) annotations[key.candidate] = state.candidate
  annotations[key.percent] = String(state.percent)
  annotations[key.steps] = state.steps.join(',')
  annotations[key.failures] = String(state.failures)
  if (state.image) annotations[key.image] = state.image
  if (state.reason) annotations[key.reason] = state.reason.slice(0, 1000)
  annotations[key.history] = boundedHistory(state.history.slice(-HISTORY_LIMIT))
  return withAnnotations(service, annotations)
}

/** The lease on `service`, if any. Kept apart from the state: a Service with no rollout yet can be leased. */
export function readLease(service: KService | undefined): Lease | undefined {
  return parseLease(service?.metadata.annotations?.[LEASE_KEY])
}

/** `service` with the lease set, or removed when `lease` is undefined. */
export function writeLease(service: KService, lease: Lease | undefined): KService {
  const annotations = { ...(service.metadata.annotations ?? {}) }
  if (lease) annotations[LEASE_KEY] = JSON.stringify(lease)
  else delete annotations[LEASE_KEY]
  return withAnnotations(service, annotations)
}

function withAnnotations(service: KService, annotations: Record<string, string>): KService {
  return { ...service, metadata: { ...service.metadata, annotations } }
}

/** `state` with one more history entry, trimmed to the limit. */
export function withEvent(state: RolloutState, entry: HistoryEntry): RolloutState {
  return { ...state, history: [...state.history, entry].slice(-HISTORY_LIMIT) }
}

/** The history as JSON within HISTORY_MAX_BYTES: the oldest entries go first. */
function boundedHistory(history: HistoryEntry[]): string {
  let kept = history
  let json = JSON.stringify(kept)
  while (Buffer.byteLength(json) > HISTORY_MAX_BYTES && kept.length > 1) {
    kept = kept.slice(1)
    json = JSON.stringify(kept)
  }
  return json
}

function parseLease(text: string | undefined): Lease | undefined {
  const l = parseJson<Partial<Lease>>(text)
  if (!l || typeof l.holder !== 'string' || typeof l.renewedAt !== 'number') return undefined
  return {
    holder: l.holder,
    url: typeof l.url === 'string' ? l.url : undefined,
    renewedAt: l.renewedAt,
    durationSeconds: typeof l.durationSeconds === 'number' ? l.durationSeconds : 0
  }
}

function parseJson<T>(text: string | undefined): T | undefined {
  if (!text) return undefined
  try {
    return JSON.parse(text) as T
  } catch {
    return undefined
  }
}

function toInt(text: string | undefined): number {
  const n = Number(text)
  return Number.isInteger(n) ? n : 0
}
