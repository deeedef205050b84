// A pull request's preview on a Service, as pure decisions: its tag (`pr-<number>`), its
// revision's name, whether a Service can take one, and the traffic lists that add or drop
// the preview's own entry and nothing else. commands/preview.ts carries them out.

import type { KService, RevisionTemplate, TrafficTarget } from '../knative/types.js'
import { dns1035LabelErrors } from '../manifest/names.js'
import { escapeUntrusted } from '../report/untrusted.js'
import { inFlight } from './decide.js'
import { readState, STATE_PREFIX } from './state.js'

/**
 * On a template a preview wrote to make its revision, for the moment until it puts the
 * production template back: a rollout reading it there knows it is no person's edit
 * (drift.ts). Knative copies it onto the revision, which shows whose preview it is.
 */
export const PREVIEW_ANNOTATION = `${STATE_PREFIX}preview`

export function previewTag(pullRequest: number): string {
  return `pr-${pullRequest}`
}

export function isPreviewTemplate(template: RevisionTemplate | undefined): boolean {
  return !!template?.metadata?.annotations?.[PREVIEW_ANNOTATION]
}

const MAX_LABEL = 63

/**
 * What a preview must wait for before it writes its template on `live`, or undefined when it
 * may write it now. Another preview's template: it goes back to production's in a moment,
 * and ours must go back to that one. A rollout in flight whose candidate is not known to be
 * ready (`readyCandidate`, read from its revision): if that candidate fails, the rollout
 * puts its current's template back only when it finds its candidate's there (finish.ts),
 * so a preview's template there then would be put back to the failed candidate's. Once the
 * candidate is ready, a rollout never writes the template again (its steps, pause, promote,
 * abort and a rollback with a ready candidate keep whatever is there).
 */
export function templateWait(
  live: KService,
  readyCandidate: string | undefined
): string | undefined {
  const other = live.spec.template?.metadata?.annotations?.[PREVIEW_ANNOTATION]
  if (other)
    return `the template of preview ${escapeUntrusted(other, 40)} to go back to production's`
  const open = inFlight(readState(live))
  if (open && open.candidate !== readyCandidate)
    return `the rollout's candidate ${open.candidate} to become ready (until it is, the rollout may put its current's template back, and a preview's template must not be there then)`
  return undefined
}

/**
 * Why this preview cannot be made, before any write: Knative serves a tag on the host
 * `<tag>-<service>.<namespace>.<domain>`, whose first label must fit 63 characters, and a
 * revision's name is a DNS-1035 label too.
 */
export function previewProblem(
  service: string,
  pullRequest: number,
  revisionName?: string
): string | undefined {
  const tag = previewTag(pullRequest)
  const host = `${tag}-${service}`
  if (dns1035LabelErrors(tag).length)
    return `the preview tag "${tag}" is not a DNS-1035 label (${dns1035LabelErrors(tag).join('; ')})`
  if (host.length > MAX_LABEL)
    return `the preview's host label "${host}" has ${host.length} characters; Knative allows ${MAX_LABEL}: use a shorter service name`
  if (revisionName && dns1035LabelErrors(revisionName).length)
    return `the preview revision name "${revisionName}" is not a DNS-1035 label (${dns1035LabelErrors(revisionName).join('; ')}); set revision-name or use a shorter service name`
  return undefined
}

/**
 * A traffic list that sends production to whatever revision is newest would send it to the
 * preview's revision the moment it is ready: Knative's default (no `spec.traffic`), or a
 * target with a share that follows the latest revision.
 */
export function followsLatest(traffic: readonly TrafficTarget[] | undefined): boolean {
  if (!traffic || traffic.length === 0) return true
  return traffic.some((t) => (t.percent ?? 0) > 0 && (t.latestRevision || !t.revisionName))
}

/** `traffic` with the one entry tagged `tag` pinned to `revision` at 0%; every other entry as it was. */
export function withPreviewTag(
  traffic: readonly TrafficTarget[],
  tag: string,
  revision: string
): TrafficTarget[] {
  return [...withoutTag(traffic, tag), { tag, revisionName: revision, percent: 0 }]
}

/** `traffic` without the entries tagged `tag`; every other entry as it was. */
export function withoutTag(traffic: readonly TrafficTarget[], tag: string): TrafficTarget[] {
  return traffic.filter((t) => t.tag !== tag)
}

/** The revision `tag` is pinned to in `traffic`, if any. */
export function taggedRevision(
  traffic: readonly TrafficTarget[] | undefined,
  tag: string
): string | undefined {
  return traffic?.find((t) => t.tag === tag)?.revisionName
}
