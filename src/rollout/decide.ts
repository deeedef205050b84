// Pure decisions of the rollout: which revision is current, what the candidate is called,
// which steps remain, whether anything changed, why a candidate failed. No I/O, no clock.

import { createHash } from 'node:crypto'
import {
  condition,
  observed,
  type KService,
  type Revision,
  type RevisionTemplate,
  type TrafficTarget
} from '../knative/types.js'
import { readState, type RolloutState } from './state.js'

/** The rollout phases in which a candidate is out there with (possibly) some traffic. */
export function inFlight(state: RolloutState | undefined): RolloutState | undefined {
  return state && (state.phase === 'progressing' || state.phase === 'paused') && state.candidate
    ? state
    : undefined
}

/**
 * The revision serving now: the one with the largest share in status.traffic, else the
 * latest ready one. Undefined for a Service that never became ready (a first deploy).
 */
export function servingRevision(service: KService): string | undefined {
  const byRevision = new Map<string, number>()
  for (const t of service.status?.traffic ?? []) {
    if (t.revisionName)
      byRevision.set(t.revisionName, (byRevision.get(t.revisionName) ?? 0) + (t.percent ?? 0))
  }
  const top = [...byRevision].filter(([, p]) => p > 0).sort((a, b) => b[1] - a[1])[0]
  return top?.[0] ?? service.status?.latestReadyRevisionName
}

/**
 * The candidate's name: the `revision-name` input, else the release manifest's second revision
 * (unless `@latest`), else `<service>-<short sha>`, else `<service>-<hash of the template>`.
 * A hash keeps the name stable across re-runs of the same template, so a re-run resumes.
 */
export function candidateName(
  service: string,
  template: RevisionTemplate,
  opts: { revisionName?: string; adopt?: string; releaseCandidate?: string; sha?: string }
): string {
  if (opts.revisionName) return opts.revisionName
  // traffic-owner git without an image: the revision the GitOps controller already made.
  if (opts.adopt) return opts.adopt
  if (opts.releaseCandidate && opts.releaseCandidate !== '@latest') return opts.releaseCandidate
  if (opts.sha) return `${service}-${opts.sha.slice(0, 7).toLowerCase()}`
  const { metadata, ...rest } = template
  const stripped = { ...rest, metadata: { ...(metadata ?? {}), name: undefined } }
  return `${service}-${createHash('sha256').update(stableJson(stripped)).digest('hex').slice(0, 8)}`
}

/** The candidate percents still to go: the release's rolloutPercent first, then the steps above it. */
export function stepPlan(steps: readonly number[], rolloutPercent?: number): number[] {
  if (!rolloutPercent) return [...steps]
  return [rolloutPercent, ...steps.filter((s) => s > rolloutPercent)]
}

/**
 * Templates in the form the API server stores them: a server-side dry run's answer
 * (kube-executor.ts storedTemplate). Marked, not copied, so the mark travels with the object
 * (the view, the drift check's `mine`) and a template built anywhere else is never taken for one.
 */
const STORED = new WeakSet<RevisionTemplate>()

/** `template`, marked as the API server's stored form of the desired template. */
export function asStored(template: RevisionTemplate): RevisionTemplate {
  STORED.add(template)
  return template
}

/**
 * True when `live` is the desired template, names aside. A desired template in its stored
 * form (asStored) must equal the live one exactly: a manifest that drops `env`, `resources`
 * or an annotation changes the template, and so does a change that Knative's defaults would
 * hide from a field-by-field look. Without the stored form (traffic-owner git reads the
 * cluster only, so it cannot ask the server) the desired fields need only be present live,
 * where Knative's defaulting may have added others.
 */
export function sameTemplate(
  live: RevisionTemplate | undefined,
  desired: RevisionTemplate
): boolean {
  if (!live) return false
  const strip = (t: RevisionTemplate): unknown => ({
    ...t,
    metadata: { ...(t.metadata ?? {}), name: undefined }
  })
  if (STORED.has(desired)) return stableJson(strip(live)) === stableJson(strip(desired))
  return isSubset(strip(desired), strip(live))
}

/**
 * True when an existing revision was made from the desired template: the same spec (exactly,
 * for a stored form), and the template's labels and annotations on it (a revision carries
 * Knative's own besides).
 */
export function madeFrom(
  revision: { metadata?: RevisionTemplate['metadata']; spec: RevisionTemplate['spec'] },
  desired: RevisionTemplate
): boolean {
  const { labels, annotations } = desired.metadata ?? {}
  const spec = STORED.has(desired)
    ? stableJson(revision.spec) === stableJson(desired.spec)
    : isSubset(desired.spec, revision.spec)
  return spec && isSubset({ labels, annotations }, revision.metadata ?? {})
}

/**
 * True when nobody but a lease renewal wrote between `before` and `after`: the same spec
 * (template and traffic) and the same rollout state.
 */
export function sameRollout(before: KService | undefined, after: KService | undefined): boolean {
  const key = (s: KService | undefined) =>
    JSON.stringify([s?.spec.template, s?.spec.traffic, readState(s)])
  return key(before) === key(after)
}

function isSubset(want: unknown, have: unknown): boolean {
  if (want === undefined) return true
  if (Array.isArray(want)) {
    return (
      Array.isArray(have) &&
      want.length === have.length &&
      want.every((w, i) => isSubset(w, have[i]))
    )
  }
  if (want !== null && typeof want === 'object') {
    if (have === null || typeof have !== 'object') return false
    return Object.entries(want).every(([k, v]) => isSubset(v, (have as Record<string, unknown>)[k]))
  }
  return want === have
}

/** Why the candidate will not become Ready (Knative's reason and message), once status is believable. */
export function readinessFailure(
  service: KService,
  revision: Revision | undefined
): string | undefined {
  const rev = revision && observed(revision) ? condition(revision, 'Ready') : undefined
  if (rev?.status === 'False')
    return `${rev.reason ?? 'RevisionFailed'}: ${rev.message ?? ''}`.trim()
  if (!observed(service)) return undefined
  for (const type of ['ConfigurationsReady', 'RoutesReady']) {
    const c = condition(service, type)
    if (c?.status === 'False') return `${c.reason ?? type}: ${c.message ?? ''}`.trim()
  }
  return undefined
}

/** Knative reasons that will not heal by waiting (the candidate is rolled back at once). */
export const FATAL_REASONS =
  /^(ContainerMissing|ExitCode\d*|RevisionFailed|ProgressDeadlineExceeded|RevisionNameTaken)/

/** The tag URL of `tag` in status.traffic. */
export function tagUrl(
  traffic: readonly TrafficTarget[] | undefined,
  tag: string
): string | undefined {
  return traffic?.find((t) => t.tag === tag)?.url
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
    return `{${entries.map(([k, v]) => JSON.stringify(k) + ':' + stableJson(v)).join(',')}}`
  }
  return JSON.stringify(value)
}
