// The commit a `promote` deploys: the one its rollout recorded on the Service when it made
// the candidate (state.ts `commit`). A promote run by workflow_dispatch has the dispatch's
// GITHUB_SHA, which is not the commit whose candidate it promotes.

import type { KService } from '../knative/types.js'
import { readState } from '../rollout/state.js'

/** The recorded commit, or undefined (no state, none recorded, or the Service unreadable). */
export async function recordedCommit(
  getService: () => Promise<KService | undefined>
): Promise<string | undefined> {
  try {
    return readState(await getService())?.commit
  } catch {
    return undefined
  }
}
