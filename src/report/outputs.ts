// The action's outputs (as action.yml lists them), from a report. The action writes them with
// core.setOutput (writeActionOutputs in actions-log.ts); the CLI prints them as one JSON object.

import type { RolloutReport, TrafficShare } from './types.js'
import { escapeUntrusted, revisionOutput } from './untrusted.js'
import { parseImageReference } from '../manifest/image-ref.js'

export interface Outputs {
  result: string
  /** The revision this run deployed; the serving one when nothing was deployed (status). */
  revision: string
  /** The revision serving before this run; empty on a first deploy. */
  'previous-revision': string
  url: string
  'candidate-url': string
  image: string
  digest: string
  /** The last commit the action pushed; empty when none. */
  commit: string
  traffic: TrafficShare[]
}

/**
 * The outputs, each checked against what it must be: a later step may paste them into a
 * script (`${{ steps.x.outputs.revision }}`), and revision names come back from the
 * cluster's annotations. A value that fails is refused with an error, never written.
 */
export function toOutputs(report: RolloutReport): Outputs {
  const { revision, previous } = revisionsOf(report)
  return {
    result: report.result,
    revision,
    'previous-revision': previous,
    url: oneLine('url', report.url ?? ''),
    'candidate-url': oneLine('candidate-url', report.candidateUrl ?? ''),
    image: oneLine('image', imageByDigest(report.image ?? '', report.digest)),
    digest: oneLine('digest', report.digest ?? ''),
    commit: oneLine('commit', report.commit ?? ''),
    traffic: report.traffic
  }
}

/** The `revision` and `previous-revision` outputs (also each entry of `results`), checked. */
export function revisionsOf(report: Pick<RolloutReport, 'candidateRevision' | 'currentRevision'>): {
  revision: string
  previous: string
} {
  const revision = report.candidateRevision ?? report.currentRevision ?? ''
  const previous = report.candidateRevision ? (report.currentRevision ?? '') : ''
  return {
    revision: revision && revisionOutput(revision),
    previous: previous && revisionOutput(previous)
  }
}

/**
 * The image as action.yml promises it: `repository@sha256:…` whenever the digest is known
 * (the one Knative resolved, or the build pushed), so a later step deploys exactly what
 * runs; a tag in the input is dropped, as the digest, not the tag, names the image. A
 * reference that does not parse (it came back from an annotation) is left as it is.
 */
export function imageByDigest(image: string, digest: string | undefined): string {
  if (!image || !digest) return image
  try {
    return `${parseImageReference(image).name}@${digest}`
  } catch {
    return image
  }
}

/** A free-text output is one line with nothing for escapeUntrusted to change, or refused. */
function oneLine(name: string, value: string): string {
  if (escapeUntrusted(value, Infinity) === value) return value
  throw new Error(
    `refusing to set the output ${name}: "${escapeUntrusted(value, 200)}" holds line breaks, control characters or a workflow command`
  )
}

/** The CLI: the outputs as the last line on stdout, for scripts (`| jq .result`). */
export function formatCliOutputs(outputs: Outputs & { results?: unknown }): string {
  return JSON.stringify(outputs)
}
