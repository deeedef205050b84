// Waiting for the candidate Revision: Ready, or a reason Knative gives that will not heal.

import { isReady } from '../knative/types.js'
import type { Stop } from './ports.js'
import type { RunContext } from './context.js'
import { FATAL_REASONS, readinessFailure } from './decide.js'

/**
 * Waits for `candidate`; undefined once Ready (its digest noted), Knative's reason when it
 * fails, or the Stop that ended the wait.
 */
export async function waitCandidateReady(
  ctx: RunContext,
  candidate: string
): Promise<{ failure?: string; stop?: Stop }> {
  ctx.log.info(`waiting for ${candidate} to become ready`)
  let failure: string | undefined
  const waited = await ctx.executor.waitFor((s) => {
    if (s.status?.latestReadyRevisionName === candidate) return true
    failure = readinessFailure(s, undefined)
    return failure !== undefined && FATAL_REASONS.test(failure)
  }, `${candidate} to become ready`)
  if (!waited.ok) return { stop: waited.stop }
  const revision = await ctx.executor.revision(candidate)
  if (revision && isReady(revision)) {
    ctx.progress.candidateDigest = digestOf(revision.status?.containerStatuses?.[0]?.imageDigest)
    return {}
  }
  // Prefer the Revision's own words (ContainerMissing, ExitCode1, ...) over the Service's summary.
  const service = await ctx.executor.read()
  return { failure: (service && readinessFailure(service, revision)) ?? failure ?? 'not ready' }
}

/** Knative reports `repository@sha256:...`; the output is the digest itself. */
export function digestOf(resolved: string | undefined): string | undefined {
  return resolved?.slice(resolved.indexOf('@') + 1)
}
