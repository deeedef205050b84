// `job-key`: what tells the jobs of one workflow run apart in the Service's lease (the holder
// id is the run, GITHUB_JOB and this key: rollout/lease.ts). It goes into that id and into
// "held by" messages, so it is short and made of characters that need no escaping; brackets,
// which frame it in the id, are not among them.

import type { Problems } from './fields.js'

export const MAX_JOB_KEY = 64
const JOB_KEY = /^[A-Za-z0-9._-]+$/

/** The key, or undefined when not given; a bad one is added to `p`. */
export function parseJobKey(p: Problems, text: string): string | undefined {
  if (!text) return undefined
  if (text.length > MAX_JOB_KEY) {
    p.need(
      'job-key',
      `has ${text.length} characters; at most ${MAX_JOB_KEY} (e.g. \${{ strategy.job-index }})`
    )
  } else if (!JOB_KEY.test(text)) {
    p.add(
      'job-key',
      text,
      "may hold only letters, digits, '.', '_' and '-' (e.g. ${{ matrix.cluster }} or ${{ strategy.job-index }})"
    )
  } else return text
  return undefined
}
