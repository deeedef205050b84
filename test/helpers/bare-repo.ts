// A real git remote on disk for write-back tests: a bare repository with one seeded file on
// `main`, and clones of it (the action's checkout, someone else's). Only the git CLI.

import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export const git = (cwd: string, ...args: string[]): string =>
  execFileSync(
    'git',
    ['-c', 'user.name=Someone Else', '-c', 'user.email=else@example.com', ...args],
    { cwd, encoding: 'utf8' }
  ).trim()

export interface BareRepo {
  root: string
  remote: string
  /** A fresh clone of the remote's main. */
  clone(name: string): string
  /** Someone else's commit of `path` on main (or `branch`), pushed. */
  pushFromElsewhere(path: string, content: string, message: string, branch?: string): void
  /** A new branch on the remote, at main's head. */
  branch(name: string): void
  /** `git show main:path` on the remote (or another ref). */
  show(ref: string, path: string): string
  remove(): void
}

export function bareRepo(files: Record<string, string>): BareRepo {
  const root = mkdtempSync(join(tmpdir(), 'write-back-'))
  const remote = join(root, 'remote.git')
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', remote)
  const clone = (name: string): string => {
    const dir = join(root, name)
    git(root, 'clone', '--quiet', remote, dir)
    return dir
  }
  const seed = join(root, 'seed')
  git(root, 'init', '--quiet', '--initial-branch=main', seed)
  git(seed, 'remote', 'add', 'origin', remote)
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(seed, path)), { recursive: true })
    writeFileSync(join(seed, path), content)
    git(seed, 'add', path)
  }
  git(seed, 'commit', '--quiet', '-m', 'seed')
  git(seed, 'push', '--quiet', 'origin', 'main')
  let n = 0
  return {
    root,
    remote,
    clone,
    pushFromElsewhere(path, content, message, branch = 'main') {
      const other = clone(`elsewhere-${++n}`)
      git(other, 'checkout', '--quiet', branch)
      mkdirSync(dirname(join(other, path)), { recursive: true })
      writeFileSync(join(other, path), content)
      git(other, 'add', path)
      git(other, 'commit', '--quiet', '-m', message)
      git(other, 'push', '--quiet', 'origin', branch)
    },
    branch: (name) => git(remote, 'branch', name, 'main'),
    show: (ref, path) =>
      execFileSync('git', ['show', `${ref}:${path}`], { cwd: remote, encoding: 'utf8' }),
    remove: () => rmSync(root, { recursive: true, force: true })
  }
}
