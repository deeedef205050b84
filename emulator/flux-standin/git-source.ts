// STAND-IN for Flux's source-controller GitRepository: the branch head of a real git
// repository, read with the git CLI. `ls-remote` says which commit the branch is at; the
// commit is fetched into the stand-in's own bare repository and its files read from there,
// so nothing depends on a work tree.

import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isManifestFile, type SourceFile } from './manifests.js'

function git(args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 60_000
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`git ${args[0]} failed: ${stderr.trim() || error.message}`))
        else resolve(stdout)
      }
    )
  })
}

export class GitSource {
  private constructor(
    private readonly url: string,
    private readonly branch: string,
    private readonly dir: string
  ) {}

  static async open(url: string, branch: string): Promise<GitSource> {
    const dir = await mkdtemp(join(tmpdir(), 'flux-standin-'))
    await git(['init', '--quiet', '--bare', dir])
    return new GitSource(url, branch, dir)
  }

  /** The commit the branch points at, or undefined when the branch does not exist (yet). */
  async head(): Promise<string | undefined> {
    const out = await git(['ls-remote', this.url, `refs/heads/${this.branch}`])
    return out.split(/\s/)[0] || undefined
  }

  /** The manifest files under `path` at `commit` (fetched first when it is new here). */
  async files(commit: string, path: string): Promise<SourceFile[]> {
    const have = await git(['cat-file', '-t', commit], this.dir).catch(() => '')
    if (have.trim() !== 'commit') {
      await git(
        ['fetch', '--quiet', this.url, `+refs/heads/${this.branch}:refs/heads/${this.branch}`],
        this.dir
      )
    }
    const dir = path.replace(/^\.?\/+/, '').replace(/\/+$/, '')
    const listed = await git(
      ['ls-tree', '-r', '-z', '--name-only', commit, '--', dir || '.'],
      this.dir
    )
    const paths = listed.split('\0').filter((p) => p && isManifestFile(p))
    return Promise.all(
      paths.map(async (p) => ({
        path: p,
        content: await git(['show', `${commit}:${p}`], this.dir)
      }))
    )
  }

  close(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true })
  }
}
