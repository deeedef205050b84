// A thin adapter over the git CLI in a checkout (what actions/checkout leaves): commit one
// manifest file and push it to origin's branch, rebasing on someone else's push. No shell: every
// argument goes to execFile as is (git-cli.ts).
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readManifestFile } from '../manifest/read-file.js'
import { git, GitError, runGit, type GitResult } from './git-cli.js'
import { DEFAULT_AUTHOR, type GitAuthor } from './author.js'

export { DEFAULT_AUTHOR, type GitAuthor }

export interface FileChange {
  /** Relative to the checkout's root. */
  path: string
  content: string
  message: string
}

export type PushResult =
  | { kind: 'pushed'; commit: string; attempts: number }
  | { kind: 'unchanged'; commit: string }
  | GitConflict

/** Someone else changed the same lines; the working tree is left clean at the remote head. */
export interface GitConflict {
  kind: 'conflict'
  path: string
  /** The remote head the local checkout was reset to. */
  remoteHead: string
  message: string
}

/** The port the git executor and the write-back depend on. */
export interface ManifestRepo {
  read(path: string): Promise<string>
  /** Commits the one file and pushes it to the branch; a non-fast-forward is rebased and retried. */
  commitAndPush(change: FileChange): Promise<PushResult>
  head(): Promise<string>
}

export { GitError }

export interface GitRepoOptions {
  branch: string
  author?: GitAuthor
  remote?: string
  /** How many pushes to try before giving up on a remote that keeps moving. */
  attempts?: number
}

export class GitCliRepo implements ManifestRepo {
  private readonly author: GitAuthor
  private readonly remote: string
  private readonly attempts: number

  constructor(
    private readonly dir: string,
    private readonly options: GitRepoOptions
  ) {
    this.author = options.author ?? DEFAULT_AUTHOR
    this.remote = options.remote ?? 'origin'
    this.attempts = options.attempts ?? 3
  }

  /**
   * The file as manifest/read-file.ts reads a manifest: inside the checkout (a pull or rebase
   * may have made it a symlink since it was loaded), a regular file, bounded.
   */
  async read(path: string): Promise<string> {
    try {
      return await readManifestFile(path, { workspace: this.dir })
    } catch (err) {
      throw new GitError(`${path} ${(err as Error).message}`)
    }
  }

  async head(): Promise<string> {
    return (await this.git(['rev-parse', 'HEAD'])).trim()
  }

  async commitAndPush(change: FileChange): Promise<PushResult> {
    await writeFile(join(this.dir, change.path), change.content)
    await this.git(['add', '--', change.path])
    const staged = await this.run(['diff', '--cached', '--quiet', '--', change.path])
    if (staged.code === 0) return { kind: 'unchanged', commit: await this.head() }
    await this.git(['commit', '--quiet', '-m', change.message, '--', change.path])
    const ref = `HEAD:refs/heads/${this.options.branch}`
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      const push = await this.run(['push', '--porcelain', this.remote, ref])
      if (push.code === 0) return { kind: 'pushed', commit: await this.head(), attempts: attempt }
      if (!isRejectedAsStale(push)) throw new GitError(`git push failed: ${push.stderr.trim()}`)
      await this.git(['fetch', '--quiet', this.remote, this.options.branch])
      const rebase = await this.run(['rebase', '--quiet', 'FETCH_HEAD'])
      if (rebase.code !== 0) {
        await this.run(['rebase', '--abort'])
        await this.git(['reset', '--quiet', '--hard', 'FETCH_HEAD'])
        const remoteHead = await this.head()
        return {
          kind: 'conflict',
          path: change.path,
          remoteHead,
          message: `someone else changed the same lines of ${change.path} (remote head ${remoteHead.slice(0, 12)}); nothing pushed`
        }
      }
    }
    throw new GitError(
      `git push to ${this.options.branch} was rejected ${this.attempts} times: the branch keeps moving`
    )
  }

  private git(args: string[]): Promise<string> {
    return git(this.dir, this.author, args)
  }

  private run(args: string[]): Promise<GitResult> {
    return runGit(this.dir, this.author, args)
  }
}

function isRejectedAsStale(push: GitResult): boolean {
  const text = push.stdout + push.stderr
  return /\[rejected\]|non-fast-forward|fetch first|\(stale info\)/.test(text)
}
