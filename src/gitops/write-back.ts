// Write-back in `action` mode, the pure part: after a promotion or a rollback, the one-file
// change that makes the manifest in git say what the cluster serves. Every edit goes through
// manifest-edit.ts (source-range splices), so the rest of the file stays byte-identical; its
// refusals (an alias, several Services in one file) come through as ManifestEditError.

import { escapeUntrusted } from '../report/untrusted.js'
import type { FileChange } from './git.js'
import { setImage, setRevisionName, setSplit } from './manifest-edit.js'

/** A revision and the image it runs. */
export interface RevisionImage {
  revision: string
  image: string
}

export type WriteBackEvent =
  | {
      kind: 'promoted'
      namespace: string
      service: string
      /** The candidate, now serving 100%; its image by digest (`repo@sha256:…`). */
      promoted: RevisionImage
      /** The revision it replaced, for the message. */
      previous?: string
      /** Why it was promoted, one line (e.g. "4 steps passed"). */
      evidence?: string
    }
  | {
      kind: 'rolled-back'
      namespace: string
      service: string
      /** The revision serving 100% again, and the image it was made from. */
      restored: RevisionImage
      /** The candidate that was rolled back. */
      candidate: string
      reason: string
    }

export class WriteBackError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WriteBackError'
  }
}

// `name@algorithm:hex`, as the OCI distribution spec writes a digest reference.
const BY_DIGEST = /@[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/
// A subject stays one readable line; the file holds the full values.
const MAX_SUBJECT = 400

/**
 * The change that makes `source` (the manifest at `path`) match the cluster after `event`, or
 * null when it already does. Throws ManifestEditError when the file cannot be edited safely.
 */
export function planWriteBack(
  path: string,
  source: string,
  event: WriteBackEvent
): FileChange | null {
  const target = event.kind === 'promoted' ? event.promoted : event.restored
  if (event.kind === 'promoted' && !BY_DIGEST.test(target.image)) {
    throw new WriteBackError(
      `the promoted image "${escapeUntrusted(target.image, 200)}" is not pinned by digest (name@sha256:…): git would not say what runs`
    )
  }
  const content = servedBy(source, target)
  if (content === source) return null
  return { path, content, message: messageFor(event) }
}

/** `source` edited so that applying it serves `target` alone, as the action left the cluster. */
function servedBy(source: string, target: RevisionImage): string {
  let text = setImage(source, target.image)
  text = setRevisionName(text, target.revision)
  return setSplit(text, { current: target.revision, percent: 0 }, { addTraffic: false })
}

function messageFor(event: WriteBackEvent): string {
  const service = `${event.namespace}/${event.service}`
  if (event.kind === 'promoted') {
    const why = event.evidence ?? 'it passed every step'
    const was = event.previous ? `, was ${event.previous}` : ''
    return oneLine(
      `Promote ${service} to ${event.promoted.revision} (${shortImage(event.promoted.image)}${was}): ${why}`
    )
  }
  return oneLine(
    `Revert ${service} to ${event.restored.revision} (${shortImage(event.restored.image)}): ${event.candidate} rolled back: ${event.reason}`
  )
}

/** A digest shortened to 12 hex digits, as `docker images` shows it; a tag as is. */
function shortImage(image: string): string {
  return image.replace(/(@[a-z0-9]+:)([a-fA-F0-9]{12})[a-fA-F0-9]+$/, '$1$2')
}

/** The reason and evidence are not all ours (probe bodies, webhook text): one bounded line. */
function oneLine(text: string): string {
  return escapeUntrusted(text.replace(/\s+/g, ' ').trim(), MAX_SUBJECT)
}
