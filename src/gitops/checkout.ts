// The checkout the manifest lives in (what actions/checkout leaves): its root, the manifest's
// path inside it, and the branch to push to. Read with the git CLI before anything is
// written, so a manifest outside a repository, or a detached HEAD with no git-branch, is a
// clear input error instead of a failed push halfway through a rollout.

import { realpath } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'
import { GitCliRepo, type GitAuthor } from './git.js'
import { git } from './git-cli.js'

export interface Checkout {
  /** The repository's root directory. */
  root: string
  repo: GitCliRepo
  /** The manifest, relative to the repository's root. */
  path: string
  branch: string
}

export async function openCheckout(
  manifest: string,
  o: { branch?: string; author: GitAuthor; env: NodeJS.ProcessEnv }
): Promise<Checkout> {
  const file = await realpath(resolve(manifest))
  const read = (dir: string, args: string[]) => git(dir, o.author, args).then((out) => out.trim())
  const root = await read(dirname(file), ['rev-parse', '--show-toplevel']).catch(() => {
    throw new Error(
      `manifest "${manifest}" is not inside a git checkout: traffic-owner git and write-back commit it (run actions/checkout first)`
    )
  })
  const branch =
    o.branch ??
    checkedOutBranch(
      await read(root, ['rev-parse', '--abbrev-ref', 'HEAD']).catch(() => 'HEAD'),
      o.env
    )
  if (!branch)
    throw new Error(
      'git-branch: the checkout is at a detached HEAD (a pull request or a tag); name the branch the GitOps controller watches'
    )
  const path = relative(root, file)
  return { root, repo: new GitCliRepo(root, { branch, author: o.author }), path, branch }
}

/** The branch checked out (`HEAD` from `rev-parse --abbrev-ref` when detached). */
function checkedOutBranch(head: string, env: NodeJS.ProcessEnv): string | undefined {
  if (head !== 'HEAD') return head
  // actions/checkout of a push leaves HEAD detached at the pushed commit of that branch.
  return env.GITHUB_REF_TYPE === 'branch' && env.GITHUB_EVENT_NAME !== 'pull_request'
    ? env.GITHUB_REF_NAME
    : undefined
}
