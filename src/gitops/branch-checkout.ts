// A cluster's own branch (traffic-owner git, `branch` in waves), checked out beside the
// workspace's checkout with `git worktree`: that cluster's commits are made on the branch's
// own history and pushed to it, the way Flux or Kargo follow one branch per cluster, never
// on the branch the workspace has checked out. The worktree shares the checkout's objects
// and credentials (what actions/checkout left), and is removed when the run ends.

import { mkdtemp, realpath, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { escapeUntrusted } from '../report/untrusted.js'
import type { GitAuthor } from './git.js'
import { git, runGit } from './git-cli.js'

export interface BranchCheckouts {
  /**
   * The workspace as `branch`'s checkout has it (the same directory inside the repository),
   * fetched from origin on first use; `where` names the field in errors.
   */
  workspaceOn(branch: string, where: string): Promise<string>
  /** Removes every worktree made. */
  remove(): Promise<void>
}

export function branchCheckouts(o: {
  workspace: string
  author: GitAuthor
  /** Where the worktrees go: RUNNER_TEMP on a runner, else the system's temporary directory. */
  temp?: string
}): BranchCheckouts {
  const made = new Map<string, Promise<string>>()
  let root: Promise<string> | undefined
  let parent: Promise<string> | undefined
  const worktrees: string[] = []

  async function open(branch: string, where: string): Promise<string> {
    // git names the repository's root by its real path: so must the workspace be.
    const workspace = await realpath(resolve(o.workspace)).catch(() => resolve(o.workspace))
    const repo = await (root ??= git(workspace, o.author, ['rev-parse', '--show-toplevel'])
      .then((out) => out.trim())
      .catch(() => {
        throw new Error(
          `${where}: the workspace is not a git checkout; a cluster's branch is fetched from its origin (run actions/checkout first)`
        )
      }))
    const fetched = await runGit(repo, o.author, [
      'fetch',
      '--quiet',
      '--no-tags',
      'origin',
      `refs/heads/${branch}`
    ])
    if (fetched.code !== 0) {
      const said = escapeUntrusted(fetched.stderr.trim(), 300)
      throw new Error(
        /couldn't find remote ref|not our ref|no such ref/i.test(said)
          ? `${where}: origin has no branch "${branch}"; create it where its GitOps controller should start (e.g. git push origin main:refs/heads/${branch})`
          : `${where}: cannot fetch the branch "${branch}" from origin: ${said}`
      )
    }
    const commit = (await git(repo, o.author, ['rev-parse', 'FETCH_HEAD'])).trim()
    const into = await (parent ??= mkdtemp(join(o.temp || tmpdir(), 'knative-rollout-branches-')))
    const dir = join(into, String(worktrees.length + 1))
    await git(repo, o.author, ['worktree', 'add', '--quiet', '--detach', dir, commit])
    worktrees.push(dir)
    return join(dir, relative(repo, workspace))
  }

  return {
    workspaceOn(branch, where) {
      let p = made.get(branch)
      if (!p) made.set(branch, (p = open(branch, where)))
      return p
    },
    async remove() {
      const repo = await root?.catch(() => undefined)
      for (const dir of worktrees.splice(0))
        if (repo) await runGit(repo, o.author, ['worktree', 'remove', '--force', dir])
      if (repo) await runGit(repo, o.author, ['worktree', 'prune'])
      const into = await parent?.catch(() => undefined)
      if (into) await rm(into, { recursive: true, force: true })
    }
  }
}
