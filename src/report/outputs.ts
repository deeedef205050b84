// The action's outputs (as action.yml lists them), from a report. The action writes them with
// core.setOutput (writeActionOutputs in actions-log.ts); the CLI prints them as one JSON object.

import type { RolloutReport, TrafficShare } from './types.js'
import { escapeUntrusted, revisionOutput } from './untrusted.js'
import { imageReferenceProblem, parseImageReference } from '../manifest/image-ref.js'

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
 * script (`${{ steps.x.outputs.revision }}`), and revision names, URLs, the image and the
 * traffic come back from the cluster (its annotations, its status). A value that fails is
 * refused with an error, never written.
 */
export function toOutputs(report: RolloutReport): Outputs {
  const { revision, previous } = revisionsOf(report)
  return {
    result: report.result,
    revision,
    'previous-revision': previous,
    url: shaped('url', report.url ?? '', URL_SHAPE),
    'candidate-url': shaped('candidate-url', report.candidateUrl ?? '', URL_SHAPE),
    image: imageOutput(imageByDigest(report.image ?? '', report.digest)),
    digest: shaped('digest', report.digest ?? '', DIGEST_SHAPE),
    commit: shaped('commit', report.commit ?? '', COMMIT_SHAPE),
    traffic: report.traffic.map(trafficOutput)
  }
}

/**
 * A Knative URL: scheme, host (a name, an IPv4 or a bracketed IPv6), port, a plain path. No
 * quote, `$`, `;`, parenthesis or space: nothing a shell would read as more than a word.
 */
const URL_SHAPE = /^https?:\/\/(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:\/[\w.~%/-]*)?$/
/** The OCI digest grammar: `algorithm:hex`. */
const DIGEST_SHAPE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-f0-9]{32,128}$/
/** A git commit: SHA-1 or SHA-256 in hex. */
const COMMIT_SHAPE = /^[0-9a-f]{7,64}$/
/** A traffic tag: a DNS-1123 label, as Knative requires of tags. */
const TAG_SHAPE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/

/** `value` when empty or of `shape`; refused otherwise (it came from the cluster or a build). */
function shaped(name: string, value: string, shape: RegExp): string {
  if (value === '' || shape.test(value)) return value
  throw new Error(
    `refusing to set the output ${name}: "${escapeUntrusted(value, 200)}" is not of the form it must have`
  )
}

/** The image output is an image reference (src/manifest/image-ref.ts), or refused. */
function imageOutput(image: string): string {
  const problem = image ? imageReferenceProblem(image) : undefined
  if (!problem) return image
  throw new Error(
    `refusing to set the output image: "${escapeUntrusted(image, 200)}" is not an image reference: it ${escapeUntrusted(problem, 200)}`
  )
}

/** Each entry of the traffic output: a revision name, a tag Knative accepts, a percent. */
function trafficOutput(share: TrafficShare): TrafficShare {
  const percent = share.percent
  if (!Number.isInteger(percent) || percent < 0 || percent > 100)
    throw new Error(`refusing to set the output traffic: ${String(percent)} is not a percent`)
  return {
    revisionName: revisionOutput(share.revisionName),
    percent,
    ...(share.tag === undefined ? {} : { tag: shaped('traffic', share.tag, TAG_SHAPE) })
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

/** The CLI: the outputs as the last line on stdout, for scripts (`| jq .result`). */
export function formatCliOutputs(outputs: Outputs & { results?: unknown }): string {
  return JSON.stringify(outputs)
}
