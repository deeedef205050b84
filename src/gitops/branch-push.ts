// Pushes a one-file change as a single commit on top of the remote's base branch to a branch of
// its own (the pull request's), force-replacing what that branch held: each rollout's change
// starts again from the base, as a bot-owned PR branch should. Built with git plumbing and a
// private index file, so the checkout's working tree, index and HEAD are never touched (the
// engine may still be reading the manifest there). Paths are relative to the checkout's root,
// which `dir` is. git runs through git-cli.ts.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, posix } from 'node:path'
import { DEFAULT_AUTHOR, type FileChange, type GitAuthor } from './git.js'
import { git, GitError, runGit, type GitResult, type GitRunOptions } from './git-cli.js'

export interface BranchPushOptions {
  /** The branch pull requests go into (the one the GitOps controller watches). */
  base: string
  author?: GitAuthor
  remote?: string
}

export type BranchPushResult =
  | { kind: 'pushed'; commit: string }
  /** The branch already holds exactly this change on the current base: nothing pushed. */
  | { kind: 'unchanged'; commit: string }

export class GitBranchPusher {
  private readonly author: GitAuthor
  private readonly remote: string

  constructor(
    private readonly dir: string,
    private readonly options: BranchPushOptions
  ) {
    this.author = options.author ?? DEFAULT_AUTHOR
    this.remote = options.remote ?? 'origin'
  }

  get base(): string {
    return this.options.base
  }

  /** The file as the remote's base branch has it now (fetched), which the change is made on. */
  async readAtBase(path: string): Promise<string> {
    const base = await this.fetchBase()
    return this.git(['cat-file', 'blob', `${base}:${inTree(path)}`])
  }

  /** Commits `change` on the remote base's head and force-pushes it to `branch`. */
  async push(branch: string, change: FileChange): Promise<BranchPushResult> {
    const base = await this.fetchBase()
    const path = inTree(change.path)
    const entry = (await this.git(['ls-tree', '--full-tree', base, '--', path])).trim()
    if (!entry) throw new GitError(`${path} is not in ${this.options.base}`)
    const mode = entry.split(' ')[0]
    // --path applies the file's attributes (eol, filters) as `git add` would.
    const blob = (
      await this.git(['hash-object', '-w', `--path=${path}`, '--stdin'], {
        input: change.content
      })
    ).trim()
    const tree = await this.treeWith(base, mode, blob, path)
    const existing = await this.remoteBranchHead(branch)
    if (existing && (await this.holds(branch, existing, base, tree)))
      return { kind: 'unchanged', commit: existing }
    const commit = (await this.git(['commit-tree', tree, '-p', base, '-m', change.message])).trim()
    // Forced, but only over the head just seen: a concurrent run's push is not lost silently.
    const lease = `--force-with-lease=refs/heads/${branch}:${existing ?? ''}`
    const push = await this.run([
      'push',
      '--porcelain',
      lease,
      this.remote,
      `${commit}:refs/heads/${branch}`
    ])
    if (push.code !== 0)
      throw new GitError(`git push to ${branch} failed: ${(push.stdout + push.stderr).trim()}`)
    return { kind: 'pushed', commit }
  }

  private async fetchBase(): Promise<string> {
    await this.git([
      'fetch',
      '--quiet',
      '--no-tags',
      this.remote,
      `refs/heads/${this.options.base}`
    ])
    return (await this.git(['rev-parse', 'FETCH_HEAD^{commit}'])).trim()
  }

  /** The base's tree with one blob replaced, written through a throw-away index. */
  private async treeWith(base: string, mode: string, blob: string, path: string): Promise<string> {
    const scratch = await mkdtemp(join(tmpdir(), 'knative-rollout-index-'))
    const env = { GIT_INDEX_FILE: join(scratch, 'index') }
    try {
      await this.git(['read-tree', base], { env })
      await this.git(['update-index', '--cacheinfo', `${mode},${blob},${path}`], { env })
      return (await this.git(['write-tree'], { env })).trim()
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  }

  private async remoteBranchHead(branch: string): Promise<string | undefined> {
    const out = await this.git(['ls-remote', this.remote, `refs/heads/${branch}`])
    return out.split(/\s/)[0] || undefined
  }

  /** Whether the branch's head is one commit on `base` with exactly `tree`. */
  private async holds(branch: string, head: string, base: string, tree: string): Promise<boolean> {
    const ref = `refs/heads/${branch}`
    const fetched = await this.run(['fetch', '--quiet', '--no-tags', this.remote, ref])
    if (fetched.code !== 0) return false
    const shape = await this.run(['rev-parse', `${head}^{tree}`, `${head}^@`])
    return shape.code === 0 && shape.stdout.trim().split('\n').join(' ') === `${tree} ${base}`
  }

  private git(args: string[], extra: GitRunOptions = {}): Promise<string> {
    return git(this.dir, this.author, args, extra)
  }

  private run(args: string[], extra: GitRunOptions = {}): Promise<GitResult> {
    return runGit(this.dir, this.author, args, extra)
  }
}

/** The path as a tree entry: `./deploy/x.yaml` is `deploy/x.yaml`; nothing outside the checkout. */
function inTree(path: string): string {
  const normal = posix.normalize(path.replace(/\\/g, '/'))
  if (normal === '..' || normal.startsWith('../') || posix.isAbsolute(normal))
    throw new GitError(`${path} is not inside the checkout`)
  return normal
}
