// The checkout the manifest lives in (what actions/checkout leaves): its root, the manifest's
// path inside it, and the branch to push to. Read with the git CLI before anything is
// written, so a manifest outside a repository, or a detached HEAD with no git-branch, is a
// clear input error instead of a failed push halfway through a rollout.

import { execFile } from 'node:child_process'
import { realpath } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'
import { GitCliRepo, type GitAuthor } from './git.js'

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
  const root = await git(dirname(file), ['rev-parse', '--show-toplevel']).catch(() => {
    throw new Error(
      `manifest "${manifest}" is not inside a git checkout: traffic-owner git and write-back commit it (run actions/checkout first)`
    )
  })
  const branch = o.branch ?? (await checkedOutBranch(root, o.env))
  if (!branch)
    throw new Error(
      'git-branch: the checkout is at a detached HEAD (a pull request or a tag); name the branch the GitOps controller watches'
    )
  const path = relative(root, file)
  return { root, repo: new GitCliRepo(root, { branch, author: o.author }), path, branch }
}

async function checkedOutBranch(root: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const head = await git(root, ['rev-parse', '--abbrev-ref', 'HEAD']).catch(() => 'HEAD')
  if (head !== 'HEAD') return head
  // actions/checkout of a push leaves HEAD detached at the pushed commit of that branch.
  return env.GITHUB_REF_TYPE === 'branch' && env.GITHUB_EVENT_NAME !== 'pull_request'
    ? env.GITHUB_REF_NAME
    : undefined
}

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((done, fail) =>
    execFile('git', args, { cwd }, (err, stdout) => (err ? fail(err) : done(stdout.trim())))
  )
}
