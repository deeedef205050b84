// Drift: the Service no longer shows what this rollout wrote, because a person (or another
// tool) changed its traffic or its template. Pure: each check returns the reason as a
// Stop, or undefined; the rollout then pauses without touching anything.

import { observed, type KService, type RevisionTemplate } from '../knative/types.js'
import { describeTraffic, statusShows, trafficToRelease, type Release } from '../traffic.js'
import { sameTemplate } from './decide.js'
import { isPreviewTemplate } from './preview-traffic.js'
import type { Stop } from './ports.js'

/** The same current, candidate and candidate share (a release without a candidate has 0). */
export function sameRelease(a: Release | undefined, b: Release): boolean {
  if (!a) return false
  const pct = (r: Release): number => (r.candidate ? r.percent : 0)
  return a.current === b.current && (a.candidate ?? '') === (b.candidate ?? '') && pct(a) === pct(b)
}

/** spec.traffic is not the split we wrote. */
export function specDrift(live: KService, expected: Release): Stop | undefined {
  return sameRelease(trafficToRelease(live.spec.traffic ?? []), expected)
    ? undefined
    : { kind: 'drift', message: driftMessage(live, expected) }
}

/** spec.traffic, or status.traffic once the controller has observed the spec, is not our split. */
export function trafficDrift(live: KService, expected: Release): Stop | undefined {
  return (
    specDrift(live, expected) ??
    (observed(live) && !statusShows(live.status?.traffic, expected)
      ? { kind: 'drift', message: driftMessage(live, expected) }
      : undefined)
  )
}

/**
 * The live template is not the one this rollout wrote (a person edited env, image, ...: a
 * new revision the judge never saw). `mine` is undefined for `promote` and `abort`: there
 * the command itself is the person's go-ahead after reviewing such an edit.
 */
export function templateDrift(
  live: KService,
  mine: RevisionTemplate | undefined,
  service: string
): Stop | undefined {
  const now = live.spec.template?.metadata?.name
  if (!mine || (now === mine.metadata?.name && sameTemplate(live.spec.template, mine)))
    return undefined
  // A pull request preview making its revision puts the template back in a moment
  // (commands/preview.ts): the rollout goes on.
  if (isPreviewTemplate(live.spec.template)) return undefined
  const makes =
    now && now !== mine.metadata?.name
      ? ` (it now makes ${now}, not the candidate ${mine.metadata?.name})`
      : ''
  return {
    kind: 'drift',
    message:
      `the template of "${service}" was changed outside this rollout${makes}; ` +
      `pausing instead of overwriting it: review the change, then run promote or abort`
  }
}

function driftMessage(live: KService, expected: Release): string {
  const share = expected.candidate ? expected.percent : 0
  const candidate = expected.candidate ? ` / ${expected.candidate} ${expected.percent}%` : ''
  return (
    `traffic on "${live.metadata.name}" was changed outside this rollout (expected ${expected.current} ${100 - share}%${candidate}` +
    `, found ${describeTraffic(live.spec.traffic ?? [])}); ` +
    `pausing instead of fighting: fix the traffic, then run promote or abort`
  )
}
