// Who moves the traffic and how git learns of it (docs/gitops.md): traffic-owner, write-back,
// the branch, the author, the sync timeout and the coexistence check.

import { branchNameProblem } from '../gitops/branch-name.js'
import type { GitAuthor } from '../gitops/git.js'
import type { Command } from '../inputs.js'
import { duration, oneOf, type Problems } from './fields.js'

/** Who moves the traffic, and how git learns of it (docs/gitops.md). */
export interface GitopsInputs {
  /** `action` writes the Service; `git` commits the manifest for a GitOps controller to apply. */
  trafficOwner: 'action' | 'git'
  /** action mode: make git match what was promoted (or rolled back) afterwards. */
  writeBack: 'none' | 'commit' | 'pull-request'
  /** The branch commits go to; undefined: the checked-out branch. */
  branch?: string
  author: GitAuthor
  /** git mode: how long a pushed commit may take to show on the cluster. */
  syncTimeoutMs: number
  /** action mode, on a Service a GitOps controller manages whose sync would undo the rollout. */
  check: 'refuse' | 'warn' | 'off'
}

const OWNERS = ['action', 'git'] as const
const WRITE_BACKS = ['none', 'commit', 'pull-request'] as const
const CHECKS = ['refuse', 'warn', 'off'] as const

export function parseGitops(
  p: Problems,
  raw: (name: string) => string,
  o: { command?: Command; manifest?: string }
): GitopsInputs | undefined {
  const trafficOwner = oneOf(p, 'traffic-owner', raw('traffic-owner'), OWNERS)
  const writeBack = oneOf(p, 'write-back', raw('write-back'), WRITE_BACKS)
  const check = oneOf(p, 'gitops-check', raw('gitops-check'), CHECKS)
  const syncTimeoutMs = duration(p, 'sync-timeout', raw('sync-timeout'))
  const branch = raw('git-branch') || undefined
  // A ref name git accepts (git check-ref-format's rules), so a push never fails late.
  if (branch && branchNameProblem(branch))
    p.add('git-branch', branch, 'is not a branch name git accepts, e.g. main or deploy/production')
  const author = parseAuthor(raw('git-author'))
  if (!author)
    p.add(
      'git-author',
      raw('git-author'),
      'must be "Name <email>", e.g. "Deploy Bot <deploy@example.com>"'
    )
  const usesGit = trafficOwner === 'git' || (writeBack !== undefined && writeBack !== 'none')
  if (usesGit && !o.manifest && o.command !== 'status')
    p.need(
      'manifest',
      `the manifest file in the repository is what ${trafficOwner === 'git' ? 'traffic-owner: git commits' : 'write-back edits'}; give its path`
    )
  if (trafficOwner === 'git' && writeBack && writeBack !== 'none')
    p.add(
      'write-back',
      writeBack,
      'applies to traffic-owner: action; with traffic-owner: git every step is already a commit'
    )
  if (!trafficOwner || !writeBack || !check || !syncTimeoutMs || !author) return undefined
  return { trafficOwner, writeBack, check, syncTimeoutMs, branch, author }
}

function parseAuthor(text: string): GitAuthor | undefined {
  const m = /^([^<>\n]+?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(text.trim())
  return m ? { name: m[1], email: m[2] } : undefined
}
