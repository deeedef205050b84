// The rollout outcomes the write-back tests feed the planner: prod/web promoted from
// web-00001 to a candidate by digest, or rolled back to web-00001 at 1.0.0.

import type { WriteBackEvent } from '../../src/gitops/write-back.js'

/** An image by digest whose hex digits are all `c`, and its 12-digit short form. */
export const digestOf = (c: string): string =>
  `registry.example.com/shop/web@sha256:${c.repeat(64)}`
export const shortDigestOf = (c: string): string =>
  `registry.example.com/shop/web@sha256:${c.repeat(12)}`

export function promotedTo(
  revision: string,
  c: string,
  evidence = '4 steps passed'
): WriteBackEvent {
  return {
    kind: 'promoted',
    namespace: 'prod',
    service: 'web',
    promoted: { revision, image: digestOf(c) },
    previous: 'web-00001',
    evidence
  }
}

export function rolledBackTo(reason: string): WriteBackEvent {
  return {
    kind: 'rolled-back',
    namespace: 'prod',
    service: 'web',
    restored: { revision: 'web-00001', image: 'registry.example.com/shop/web:1.0.0' },
    candidate: 'web-00002',
    reason
  }
}
