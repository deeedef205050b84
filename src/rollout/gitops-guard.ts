// Before the first write in action mode: a GitOps controller whose next sync would put git's
// split back mid-step is found from the Service's own metadata (gitops/owner.ts), and the run
// refuses (gitops-check: refuse), warns (warn) or does not look (off).

import { checkGitopsOwner, type ServiceMetadata } from '../gitops/owner.js'
import type { KService } from '../knative/types.js'
import { escapeUntrusted } from '../report/untrusted.js'
import type { RunContext } from './context.js'

/** The refusal, when the run must not write; undefined to go on (a warning may be logged). */
export function gitopsRefusal(ctx: RunContext, live: KService | undefined): string | undefined {
  const { trafficOwner, check } = ctx.inputs.gitops
  if (!live || trafficOwner !== 'action' || check === 'off') return undefined
  const found = checkGitopsOwner(live.metadata as ServiceMetadata)
  // Labels and annotations were written by someone else: text, never workflow commands.
  const message = escapeUntrusted(found.message)
  const fix = found.fix ? `; to fix: ${found.fix}` : ''
  if (found.verdict === 'ok') {
    if (found.owner.kind !== 'none') ctx.log.info(`gitops-check: ${message}`)
    return undefined
  }
  if (found.verdict === 'warn' || check === 'warn') {
    ctx.log.warn(`gitops-check: ${message}${fix}`)
    return undefined
  }
  return `gitops-check: ${message}${fix}. Nothing was written (gitops-check: warn goes ahead anyway)`
}
