// Write-back as a commit: the one-file change committed in the checkout and pushed to the
// branch the GitOps controller watches (git.ts rebases it on someone else's push). A rollback's
// change is titled "Revert …" by the planner, so it reads as a revert in `git log`.

import type { FileChange, ManifestRepo } from './git.js'

export type CommitOutcome =
  | { kind: 'pushed'; commit: string }
  | { kind: 'unchanged'; commit: string }
  /** Someone else changed the same lines meanwhile: theirs stands, nothing was pushed. */
  | { kind: 'conflict'; message: string }

export async function publishCommit(
  repo: ManifestRepo,
  change: FileChange
): Promise<CommitOutcome> {
  const result = await repo.commitAndPush(change)
  if (result.kind === 'conflict') return { kind: 'conflict', message: result.message }
  return { kind: result.kind, commit: result.commit }
}
