// A real git remote for GitOps tests and benchmarks: a bare repository on disk with one
// manifest on `main`, the checkout the action runs in (as actions/checkout leaves it), and a
// second clone for "someone else" who pushes in between. Driven by the real git CLI, never
// synchronously (an in-process emulator must keep answering meanwhile).

import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const IDENTITY = ['-c', 'user.name=Someone Else', '-c', 'user.email=else@example.com']

export function git(cwd: string, ...args: string[]): Promise<string> {
  return new Promise((done, fail) =>
    execFile('git', [...IDENTITY, ...args], { cwd }, (err, stdout, stderr) =>
      err ? fail(new Error(`git ${args.join(' ')}: ${stderr}`)) : done(stdout.trim())
    )
  )
}

export interface GitRemote {
  /** The bare repository (what a GitOps controller pulls from). */
  remote: string
  /** The action's checkout, on `main`. */
  checkout: string
  /** The manifest's path inside the repository. */
  path: string
  /** Someone else edits the manifest and pushes to main. */
  pushAsSomeoneElse(edit: (text: string) => string, message: string): Promise<string>
  /** `git log --format=<format>` of the manifest on the remote's main, newest first. */
  log(format?: string): Promise<string[]>
  head(): Promise<string>
  cleanup(): Promise<void>
}

export async function gitRemote(
  manifest: string,
  path = 'deploy/service.yaml'
): Promise<GitRemote> {
  const root = await mkdtemp(join(tmpdir(), 'git-remote-'))
  const remote = join(root, 'remote.git')
  await git(root, 'init', '--quiet', '--bare', '--initial-branch=main', remote)
  const clone = async (name: string) => {
    const dir = join(root, name)
    await git(root, 'clone', '--quiet', remote, dir)
    return dir
  }
  const seed = await clone('seed')
  await git(seed, 'checkout', '--quiet', '-b', 'main')
  await git(seed, 'config', 'core.autocrlf', 'false')
  await mkdir(dirname(join(seed, path)), { recursive: true })
  await writeFile(join(seed, path), manifest)
  await git(seed, 'add', path)
  await git(seed, 'commit', '--quiet', '-m', 'the service')
  await git(seed, 'push', '--quiet', 'origin', 'main')
  const checkout = await clone('checkout')
  const other = await clone('other')
  return {
    remote,
    checkout,
    path,
    async pushAsSomeoneElse(edit, message) {
      await git(other, 'pull', '--quiet', '--rebase', 'origin', 'main')
      const file = join(other, path)
      await writeFile(file, edit(await readFile(file, 'utf8')))
      await git(other, 'commit', '--quiet', '-am', message)
      await git(other, 'push', '--quiet', 'origin', 'main')
      return git(other, 'rev-parse', 'HEAD')
    },
    async log(format = '%s') {
      const out = await git(remote, 'log', `--format=${format}`, 'main', '--', path)
      return out ? out.split('\n') : []
    },
    head: () => git(remote, 'rev-parse', 'main'),
    cleanup: () => rm(root, { recursive: true, force: true })
  }
}
