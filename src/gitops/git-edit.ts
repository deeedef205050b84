// What one of the engine's changes looks like as an edit of the manifest in git (traffic-owner:
// git). Pure: the file's text and the change in, the new text and the commit message out.
// The edits go through manifest-edit.ts, so every other byte of the file stays as it was.

import type { RevisionTemplate } from '../knative/types.js'
import { describeEvidence } from '../rollout/evidence.js'
import type { Change } from '../rollout/ports.js'
import { STATE_PREFIX, writeState, type HistoryEntry, type RolloutState } from '../rollout/state.js'
import {
  addContainerFields,
  addTemplateSpecFields,
  editManifest,
  setImage,
  setRevisionName,
  setSplit,
  templateInMode,
  type Plain
} from './manifest-edit.js'

/** The state annotations a commit carries: all but the history (it lives in the commit log). */
const HISTORY_KEY = STATE_PREFIX + 'history'
/** Optional fields written as '' when absent: an edit cannot delete a key, and '' reads as unset. */
const OPTIONAL = ['candidate', 'image', 'reason'].map((k) => STATE_PREFIX + k)

/**
 * What Knative's defaulting adds to a container. With a bring-your-own revision name Knative
 * skips defaulting on an update that keeps the name, so a server-side apply of a file without
 * them (the GitOps controller's every sync) would drop them and be refused as "changes without
 * a name change": the template commit writes them as the cluster defaulted them.
 */
const CONTAINER_DEFAULTS = ['name', 'readinessProbe', 'resources'] as const
/**
 * What it adds to the template's spec. A v1 apply keeps these (the template's spec is a map,
 * merged field by field), but a v1alpha1 mode's template replaces the live one whole.
 */
const TEMPLATE_DEFAULTS = ['timeoutSeconds', 'containerConcurrency', 'enableServiceLinks'] as const

/**
 * The manifest with `change` applied: template (image, revision name, Knative's container
 * defaults from `live`, the template the cluster holds), split, state.
 */
export function editForChange(source: string, change: Change, live?: RevisionTemplate): string {
  let text = source
  if (change.template) {
    const image = change.template.spec.containers[0]?.image
    if (image) text = setImage(text, image)
    const name = change.template.metadata?.name
    if (name) text = setRevisionName(text, name)
    text = addContainerFields(text, pick(live?.spec.containers?.[0], CONTAINER_DEFAULTS))
    if (templateInMode(text))
      text = addTemplateSpecFields(text, pick(live?.spec, TEMPLATE_DEFAULTS))
  }
  // Git mode declares the split, so a manifest without traffic gets it.
  if (change.release) text = setSplit(text, change.release, { addTraffic: true })
  if (change.state) text = editManifest(text, stateEdits(change.state))
  return text
}

function stateEdits(state: RolloutState): { path: string[]; value: string }[] {
  const annotations = writeState({ metadata: { name: '' }, spec: {} } as never, state).metadata
    .annotations!
  const entries = { ...Object.fromEntries(OPTIONAL.map((k) => [k, ''])), ...annotations }
  delete entries[HISTORY_KEY]
  return Object.keys(entries)
    .sort()
    .map((k) => ({ path: ['metadata', 'annotations', k], value: entries[k] }))
}

/** The `keys` that `from` sets, as plain YAML values. */
function pick(from: object | undefined, keys: readonly string[]): Record<string, Plain> {
  const source = (from ?? {}) as Record<string, unknown>
  const fields = Object.fromEntries(
    keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]])
  )
  return JSON.parse(JSON.stringify(fields)) as Record<string, Plain>
}

/**
 * The commit's message: the subject says what (the newest event), the body why (each event
 * since the last commit, a step's evidence on one line).
 */
export function commitMessage(service: string, events: HistoryEntry[], fallback: string): string {
  const subject = `${service}: ${oneLine(events.at(-1)?.event ?? fallback)}`
  const body = events
    .map((e) => `- ${oneLine(e.event)}${e.evidence ? ` (${describeEvidence(e.evidence)})` : ''}`)
    .join('\n')
  return body ? `${subject}\n\n${body}\n` : `${subject}\n`
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300)
}
