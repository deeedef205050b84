// The rollout's state, kept on the Service itself as annotations so that any later run
// (a `promote` from a manual workflow, a re-run after a crash) can pick it up. Pure
// encode/decode; nothing secret goes here — only revision names, numbers and the run's URL.

import type { KService } from '../knative/types.js'
import { imageReferenceProblem } from '../manifest/image-ref.js'
import { dns1035LabelErrors } from '../manifest/names.js'
import { redactUrlCredentials } from '../report/redact.js'
import { escapeUntrusted } from '../report/untrusted.js'
import { readEvidence, type StepEvidence } from './evidence.js'
import { MAX_DURATION_MS } from '../duration.js'
import { timing } from './timing.js'

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
  /** The job within the run (lease.ts), for the same message. */
  job?: string
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
  /** The commit the rollout deploys (GITHUB_SHA): a later `promote` names it in its Deployment. */
  commit?: string
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
  commit: STATE_PREFIX + 'commit',
  reason: STATE_PREFIX + 'reason',
  history: STATE_PREFIX + 'history'
} as const

const LEASE_KEY = STATE_PREFIX + 'lease'

const PHASES: readonly Phase[] = ['progressing', 'paused', 'promoted', 'rolled-back', 'aborted']

/** Stored reasons and history events: one escaped line each, bounded (untrusted.ts). */
export const MAX_REASON_CHARS = 1000
/**
 * The longest lease this action writes (timing.ts: two of the longest step-interval and
 * 30 s); one longer is not ours and reads as expired.
 */
export const MAX_LEASE_SECONDS = timing(MAX_DURATION_MS).leaseSeconds

/**
 * The state on `service`, or undefined when no rollout ever touched it. The annotations are
 * untrusted input (anyone with `patch` on the Service can write them): a phase or current
 * that is not one of ours means no state; a candidate that is not a DNS-1035 label is none;
 * numbers out of shape are 0, junk steps and malformed history entries (or their evidence)
 * are dropped, an image that is no image reference is none, text is escaped and bounded.
 * Lenient on purpose: a garbled field must not stop `abort`. What was wrong is pushed onto
 * `problems`, for the caller to warn with.
 */
export function readState(
  service: KService | undefined,
  problems: string[] = []
): RolloutState | undefined {
  const a = service?.metadata.annotations ?? {}
  const phase = a[key.phase] as Phase | undefined
  const current = a[key.current]
  const bad = (what: string) => problems.push(`the rollout state on the Service: ${what}`)
  if (!phase || !current) return undefined
  if (!PHASES.includes(phase)) {
    bad(`ignored: ${key.phase} "${escapeUntrusted(phase, 40)}" is not one of ${PHASES.join(', ')}`)
    return undefined
  }
  if (!isName(current)) {
    bad(`ignored: ${key.current} is not a revision name`)
    return undefined
  }
  let candidate = a[key.candidate] || undefined
  if (candidate !== undefined && !isName(candidate)) {
    bad(`${key.candidate} is not a revision name; read as none`)
    candidate = undefined
  }
  const number = (k: string, max: number): number => {
    const n = toInt(a[k])
    if (n !== undefined && n >= 0 && n <= max) return n
    bad(`${k} is not a whole number from 0 to ${max}; read as 0`)
    return 0
  }
  const steps = (a[key.steps] ?? '').split(',').filter(Boolean).map(toInt)
  const percents = steps.filter((n): n is number => n !== undefined && n >= 1 && n <= 100)
  if (percents.length < steps.length) bad(`${key.steps}: entries that are not percents dropped`)
  const history = readHistory(a[key.history])
  if (history.dropped > 0) bad(`${history.dropped} malformed entries of ${key.history} dropped`)
  if (history.badEvidence)
    bad(
      `${history.badEvidence} entries of ${key.history} with evidence out of shape; read without it`
    )
  return {
    phase,
    current,
    candidate,
    percent: number(key.percent, 100),
    steps: percents,
    failures: number(key.failures, Number.MAX_SAFE_INTEGER),
    image: imageOf(a[key.image], bad),
    ...(commitOf(a[key.commit], bad) ?? {}),
    reason: a[key.reason] ? escapeUntrusted(a[key.reason], MAX_REASON_CHARS) : undefined,
    history: history.entries
  }
}

/**
 * An image reference, or none with a problem noted: `status` gives it as the `image` output,
 * which a later step may paste into a script.
 */
function imageOf(value: string | undefined, bad: (what: string) => void): string | undefined {
  if (!value) return undefined
  if (!imageReferenceProblem(value)) return value
  bad(`${key.image} is not an image reference; read as none`)
  return undefined
}

/** A commit SHA (hex, 7 to 64 characters: SHA-1 or SHA-256), or none with a problem noted. */
function commitOf(
  value: string | undefined,
  bad: (what: string) => void
): { commit: string } | undefined {
  if (!value) return undefined
  if (/^[0-9a-f]{7,64}$/i.test(value)) return { commit: value.toLowerCase() }
  bad(`${key.commit} is not a commit SHA; read as none`)
  return undefined
}

/** A Knative revision name: a DNS-1035 label. */
function isName(value: string): boolean {
  return dns1035LabelErrors(value).length === 0
}

/** The history array's well-formed entries (text escaped), the last HISTORY_LIMIT of them. */
function readHistory(text: string | undefined): {
  entries: HistoryEntry[]
  dropped: number
  badEvidence?: number
} {
  if (!text) return { entries: [], dropped: 0 }
  const parsed = parseJson<unknown>(text)
  if (!Array.isArray(parsed)) return { entries: [], dropped: 1 }
  const entries: HistoryEntry[] = []
  let badEvidence = 0
  for (const e of parsed.slice(-HISTORY_LIMIT) as Partial<HistoryEntry>[]) {
    if (!e || typeof e !== 'object' || !Number.isFinite(e.at) || typeof e.event !== 'string')
      continue
    // An entry whose evidence is out of shape keeps its event, not the evidence.
    const evidence = e.evidence === undefined ? undefined : readEvidence(e.evidence)
    if (e.evidence !== undefined && !evidence) badEvidence++
    entries.push({
      at: e.at!,
      event: escapeUntrusted(e.event, HISTORY_MAX_BYTES),
      ...(typeof e.by === 'string' ? { by: escapeUntrusted(e.by, 300) } : {}),
      ...(evidence ? { evidence } : {})
    })
  }
  return { entries, dropped: Math.min(parsed.length, HISTORY_LIMIT) - entries.length, badEvidence }
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
  if (state.commit) annotations[key.commit] = state.commit
  // The reason quotes apps and servers; every later `status` prints it again.
  // Cut exactly, so reading it back (escapeUntrusted with the same bound) leaves it as it is.
  if (state.reason)
    annotations[key.reason] = escapeUntrusted(redactUrlCredentials(state.reason), Infinity).slice(
      0,
      MAX_REASON_CHARS
    )
  annotations[key.history] = boundedHistory(
    state.history
      .slice(-HISTORY_LIMIT)
      .map((e) => ({ ...e, event: escapeUntrusted(e.event, HISTORY_MAX_BYTES) }))
  )
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

/**
 * A lease of the shape this action writes, or undefined: a garbled one must never block a
 * run, least of all `abort`. The holder and URL are shown in messages, so they are escaped.
 */
function parseLease(text: string | undefined): Lease | undefined {
  const l = parseJson<Partial<Lease>>(text)
  if (!l || typeof l !== 'object' || typeof l.holder !== 'string' || !l.holder) return undefined
  if (!Number.isFinite(l.renewedAt)) return undefined
  // An expiry out of range reads as expired (0): a stale run can then be taken over.
  const d = l.durationSeconds
  const duration = Number.isFinite(d) && d! >= 0 && d! <= MAX_LEASE_SECONDS ? d! : 0
  return {
    holder: escapeUntrusted(l.holder, 300),
    url: typeof l.url === 'string' ? escapeUntrusted(l.url, 300) : undefined,
    ...(typeof l.job === 'string' && l.job ? { job: escapeUntrusted(l.job, 200) } : {}),
    renewedAt: l.renewedAt!,
    durationSeconds: duration
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

/** An integer annotation; absent is 0, anything else not an integer is undefined. */
function toInt(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return 0
  const n = Number(text)
  return Number.isInteger(n) ? n : undefined
}
