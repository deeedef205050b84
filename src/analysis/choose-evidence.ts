// Which figures the judge weighs at a look: the synthetic probes, or the data plane's count
// of every request each revision served (users' and the probes' alike, from Prometheus).

import type { RevisionEvidence } from './judge.js'

export interface Evidence {
  candidate: RevisionEvidence
  current: RevisionEvidence
  /** Where the figures come from, for the report: `probes`, or the data plane's metric. */
  source: string
}

/**
 * The data plane counts the probes too, so once its scrapes have caught up it holds every
 * probe and every user's request: the larger sample, and the one that shows what users
 * get. Until then (scrapes lag by their interval) the probes are judged. The choice looks
 * only at request counts, never at errors or latencies, so it cannot pick the source that
 * happens to look worse or better.
 */
export function chooseEvidence(
  probes: Evidence | undefined,
  dataPlane: Evidence | undefined
): Evidence | undefined {
  if (!dataPlane) return probes
  if (!probes) return dataPlane
  const caughtUp =
    dataPlane.candidate.requests >= probes.candidate.requests &&
    dataPlane.current.requests >= probes.current.requests
  return caughtUp ? dataPlane : probes
}
