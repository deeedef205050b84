// The release block ⇄ `spec.traffic`, and step plans. Pure.
//
// A release is Knative's v1alpha1 vocabulary: `current` serves 100 − percent, `candidate`
// serves percent. On v1 it is written as tagged targets, exactly as Knative's conversion
// wrote it: current, candidate (both pinned by revision name) and latest (0%, following
// the newest ready revision). The tags give each a URL, so probes reach the candidate even
// at 0%.

import type { TrafficTarget } from './knative/types.js'

export const TAGS = { current: 'current', candidate: 'candidate', latest: 'latest' } as const
const OURS = new Set<string>(Object.values(TAGS))

export interface Release {
  /** The revision serving now. */
  current: string
  /** The new revision; absent once promoted (or before one exists). */
  candidate?: string
  /** The candidate's share, 0..100; 0 when there is no candidate. */
  percent: number
}

/** The `spec.traffic` that expresses `r`. Throws on an impossible release (a bug upstream). */
export function releaseToTraffic(r: Release): TrafficTarget[] {
  if (!Number.isInteger(r.percent) || r.percent < 0 || r.percent > 100) {
    throw new RangeError(`release percent ${r.percent} is not a whole number in 0..100`)
  }
  if (r.candidate === undefined && r.percent !== 0) {
    throw new RangeError(`release without a candidate cannot give it ${r.percent}%`)
  }
  const latest: TrafficTarget = { tag: TAGS.latest, latestRevision: true, percent: 0 }
  if (r.candidate === undefined) {
    return [{ tag: TAGS.current, revisionName: r.current, percent: 100 }, latest]
  }
  return [
    { tag: TAGS.current, revisionName: r.current, percent: 100 - r.percent },
    { tag: TAGS.candidate, revisionName: r.candidate, percent: r.percent },
    latest
  ]
}

/**
 * The release a traffic list expresses, or undefined when it is not in release form: a
 * `current` target pinned to a revision, optionally a `candidate` pinned to one, the two
 * summing to 100, and every other target at 0%.
 */
export function trafficToRelease(traffic: TrafficTarget[] | undefined): Release | undefined {
  if (!traffic) return undefined
  const current = onlyTagged(traffic, TAGS.current)
  const candidate = onlyTagged(traffic, TAGS.candidate)
  if (current === null || candidate === null || !current?.revisionName) return undefined
  if (candidate && !candidate.revisionName) return undefined
  const others = traffic.filter((t) => t !== current && t !== candidate)
  if (others.some((t) => pct(t) !== 0)) return undefined
  if (pct(current) + pct(candidate) !== 100) return undefined
  return candidate
    ? { current: current.revisionName, candidate: candidate.revisionName, percent: pct(candidate) }
    : { current: current.revisionName, percent: 0 }
}

/**
 * Whether `status.traffic` shows exactly `release`: the non-zero shares per revision match,
 * and the `current` (and `candidate`) tags name the right revisions, so their URLs serve.
 */
export function statusShows(statusTraffic: TrafficTarget[] | undefined, release: Release): boolean {
  if (!statusTraffic) return false
  const want = new Map<string, number>()
  for (const t of releaseToTraffic(release)) {
    if (t.revisionName && pct(t) > 0)
      want.set(t.revisionName, (want.get(t.revisionName) ?? 0) + pct(t))
  }
  const got = sharesByRevision(statusTraffic)
  if (got.size !== want.size || [...want].some(([rev, p]) => got.get(rev) !== p)) return false
  const tagged = (tag: string) => onlyTagged(statusTraffic, tag)?.revisionName
  if (tagged(TAGS.current) !== release.current) return false
  return release.candidate === undefined || tagged(TAGS.candidate) === release.candidate
}

/**
 * The release's traffic, plus the user's own tagged targets (any tag but ours) kept at 0%:
 * their URLs keep working while the release owns the split. Untagged targets are replaced.
 */
export function mergeUserTags(
  existing: TrafficTarget[] | undefined,
  release: Release
): TrafficTarget[] {
  const user = (existing ?? [])
    .filter((t) => t.tag && !OURS.has(t.tag))
    .map(({ url: _url, ...t }) => ({ ...t, percent: 0 }))
  return [...releaseToTraffic(release), ...user]
}

export interface StepPlanInput {
  /** The candidate's percents, strictly increasing, ending at 100. */
  steps: readonly number[]
  /** The candidate's share now (0 for a fresh candidate). */
  startPercent: number
  /** Stop at this percent (one of the steps) and wait for `promote`. */
  pauseAt?: number
}

export interface StepPlan {
  /** The percents still to walk, each above `startPercent`, in order. */
  percents: number[]
  /** True when the walk ends paused at `pauseAt` instead of promoting at 100. */
  pause: boolean
}

/**
 * The rest of the walk from `startPercent`. A pause ahead of the start ends the walk there;
 * a pause at the start means "already paused" (nothing to walk); a pause behind the start was
 * already passed (a `promote` resumed it) and is ignored.
 */
export function planSteps({ steps, startPercent, pauseAt }: StepPlanInput): StepPlan {
  const remaining = steps.filter((p) => p > startPercent)
  if (pauseAt === undefined || pauseAt >= 100 || pauseAt < startPercent) {
    return { percents: remaining, pause: false }
  }
  return { percents: remaining.filter((p) => p <= pauseAt), pause: true }
}

/** Knative's rule for a Service's traffic: percents (absent = 0) sum to exactly 100. */
export function sumIs100(traffic: TrafficTarget[] | undefined): boolean {
  return (traffic ?? []).reduce((sum, t) => sum + pct(t), 0) === 100
}

/**
 * A split for logs: `helloworld-csharp-00001:80 / helloworld-csharp-00004:20`. Shares are
 * summed per revision, 0% targets left out; a spec target following the latest revision
 * shows as `@latest`.
 */
export function describeTraffic(traffic: TrafficTarget[] | undefined): string {
  const shares = sharesByRevision(traffic ?? [])
  if (shares.size === 0) return '(no traffic)'
  return [...shares].map(([rev, p]) => `${rev}:${p}`).join(' / ')
}

const pct = (t: TrafficTarget | undefined) => t?.percent ?? 0

/** The one target with `tag`; undefined when none, null when several (ambiguous). */
function onlyTagged(traffic: TrafficTarget[], tag: string): TrafficTarget | undefined | null {
  const found = traffic.filter((t) => t.tag === tag)
  return found.length > 1 ? null : found[0]
}

function sharesByRevision(traffic: TrafficTarget[]): Map<string, number> {
  const shares = new Map<string, number>()
  for (const t of traffic) {
    if (pct(t) <= 0) continue
    const rev = t.revisionName || (t.latestRevision ? '@latest' : '(unnamed)')
    shares.set(rev, (shares.get(rev) ?? 0) + pct(t))
  }
  return shares
}
