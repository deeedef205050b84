// The preview's own inputs (`cleanup`, `pull-request`) and the pull request it belongs to,
// read from the pull_request event's payload ($GITHUB_EVENT_PATH) when the input is not
// given. Pure: inputs arrive through a reader, the payload as text.

import { bool, Problems } from './fields.js'

export interface PreviewInputs {
  /** Remove the preview (its tag and its Deployment) instead of deploying it. */
  cleanup: boolean
  /** The pull request: the `pull-request` input, else the event's (run.ts fills it in). */
  pullRequest?: number
  /** The pull request's head commit, from the event: the Deployment's ref and the revision's name. */
  headSha?: string
}

/** GitHub numbers issues and pull requests with positive 32-bit integers. */
const MAX_PULL_REQUEST = 2 ** 31 - 1

/**
 * `cleanup` and `pull-request`, checked; undefined for commands other than preview (where
 * either input set is a problem). Throws InputError listing every problem.
 */
export function parsePreviewInputs(
  raw: (name: string) => string,
  command: string | undefined
): PreviewInputs | undefined {
  const p = new Problems()
  const cleanup = bool(p, 'cleanup', raw('cleanup')) ?? false
  const prText = raw('pull-request')
  const pullRequest = prText ? pullRequestNumber(prText) : undefined
  if (prText && pullRequest === undefined)
    p.add(
      'pull-request',
      prText,
      `is not a pull request number; use a whole number from 1 to ${MAX_PULL_REQUEST}, e.g. 42`
    )
  if (command && command !== 'preview') {
    if (cleanup) p.need('cleanup', 'applies only to command: preview')
    if (prText) p.need('pull-request', 'applies only to command: preview')
  }
  p.throwIfAny()
  if (command !== 'preview') return undefined
  return pullRequest === undefined ? { cleanup } : { cleanup, pullRequest }
}

function pullRequestNumber(text: string): number | undefined {
  const n = Number(text.replace(/^#/, ''))
  return /^#?[1-9]\d*$/.test(text) && n <= MAX_PULL_REQUEST ? n : undefined
}

/**
 * The pull request of a pull_request (or pull_request_target) event: its number and head
 * commit; empty for any other event or a payload that is not JSON.
 */
export function pullRequestOfEvent(payload: string | undefined): {
  number?: number
  headSha?: string
} {
  if (!payload) return {}
  let event: { pull_request?: { number?: unknown; head?: { sha?: unknown } } }
  try {
    event = JSON.parse(payload)
  } catch {
    return {}
  }
  const pr = event?.pull_request
  const number =
    typeof pr?.number === 'number' && pullRequestNumber(String(pr.number)) ? pr.number : undefined
  const sha = pr?.head?.sha
  const headSha = typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined
  return { ...(number ? { number } : {}), ...(headSha ? { headSha } : {}) }
}

/**
 * The preview with its pull request filled in from the event: the `pull-request` input
 * wins (a dispatch run previews the PR it names); the head commit is the event's only when
 * it is the same pull request.
 */
export function withEventPullRequest(
  preview: PreviewInputs,
  payload: string | undefined
): PreviewInputs {
  const event = pullRequestOfEvent(payload)
  const pullRequest = preview.pullRequest ?? event.number
  const headSha = pullRequest === event.number ? event.headSha : undefined
  return {
    ...preview,
    ...(pullRequest === undefined ? {} : { pullRequest }),
    ...(headSha ? { headSha } : {})
  }
}
