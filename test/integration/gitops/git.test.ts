import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_AUTHOR, GitCliRepo } from '../../../src/gitops/git.js'

const git = (cwd: string, ...args: string[]): string =>
  execFileSync(
    'git',
    ['-c', 'user.name=Someone Else', '-c', 'user.email=else@example.com', ...args],
    {
      cwd,
      encoding: 'utf8'
    }
  ).trim()

const manifest = [
  'apiVersion: serving.knative.dev/v1',
  'kind: Service',
  'metadata:',
  '  name: web',
  'spec:',
  '  traffic:',
  '    - percent: 100',
  '      tag: current',
  '',
  '# filler',
  '# filler',
  '# filler',
  '# filler',
  'other: value',
  ''
].join('\n')

let root: string
let remote: string
let ours: string
let theirs: string

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gitops-git-'))
  remote = join(root, 'remote.git')
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', remote)
  const seed = join(root, 'seed')
  git(root, 'clone', '--quiet', remote, seed)
  git(seed, 'checkout', '--quiet', '-b', 'main')
  writeFileSync(join(seed, 'service.yaml'), manifest)
  git(seed, 'add', 'service.yaml')
  git(seed, 'commit', '--quiet', '-m', 'seed')
  git(seed, 'push', '--quiet', 'origin', 'main')
  ours = join(root, 'ours')
  theirs = join(root, 'theirs')
  git(root, 'clone', '--quiet', remote, ours)
  git(root, 'clone', '--quiet', remote, theirs)
})

afterEach(() => rmSync(root, { recursive: true, force: true }))

const remoteHead = (): string => git(remote, 'rev-parse', 'main')
const edit = (from: string, to: string): string => manifest.replace(from, to)

function pushFromTheirs(content: string): void {
  writeFileSync(join(theirs, 'service.yaml'), content)
  git(theirs, 'commit', '--quiet', '-am', 'their change')
  git(theirs, 'push', '--quiet', 'origin', 'main')
}

test('commits the one file with the bot as author and committer, and pushes it', async () => {
  const repo = new GitCliRepo(ours, { branch: 'main' })
  const result = await repo.commitAndPush({
    path: 'service.yaml',
    content: edit('100', '90'),
    message: 'web: step 10%'
  })
  expect(result).toMatchObject({ kind: 'pushed', attempts: 1 })
  expect(result.kind === 'pushed' && result.commit).toBe(remoteHead())
  expect(git(remote, 'log', '-1', '--format=%an <%ae>|%cn <%ce>|%s', 'main')).toBe(
    `${DEFAULT_AUTHOR.name} <${DEFAULT_AUTHOR.email}>|${DEFAULT_AUTHOR.name} <${DEFAULT_AUTHOR.email}>|web: step 10%`
  )
})

test('an unchanged file makes no commit', async () => {
  const before = remoteHead()
  const result = await new GitCliRepo(ours, { branch: 'main' }).commitAndPush({
    path: 'service.yaml',
    content: manifest,
    message: 'nothing'
  })
  expect(result).toEqual({ kind: 'unchanged', commit: before })
  expect(remoteHead()).toBe(before)
})

test("someone else's push to other lines is fetched and rebased under ours", async () => {
  pushFromTheirs(edit('other: value', 'other: theirs'))
  const theirHead = remoteHead()
  const repo = new GitCliRepo(ours, { branch: 'main' })
  const result = await repo.commitAndPush({
    path: 'service.yaml',
    content: edit('100', '90'),
    message: 'web: step 10%'
  })
  expect(result).toMatchObject({ kind: 'pushed', attempts: 2 })
  expect(git(remote, 'rev-parse', 'main~1')).toBe(theirHead)
  const shown = git(remote, 'show', 'main:service.yaml')
  expect(shown).toContain('percent: 90')
  expect(shown).toContain('other: theirs')
})

test('a conflicting edit of the same lines is a GitConflict, leaving the tree clean at the remote head', async () => {
  pushFromTheirs(edit('100', '50'))
  const theirHead = remoteHead()
  const repo = new GitCliRepo(ours, { branch: 'main' })
  const result = await repo.commitAndPush({
    path: 'service.yaml',
    content: edit('100', '90'),
    message: 'web: step 10%'
  })
  expect(result).toMatchObject({ kind: 'conflict', path: 'service.yaml', remoteHead: theirHead })
  expect(remoteHead()).toBe(theirHead)
  expect(git(ours, 'rev-parse', 'HEAD')).toBe(theirHead)
  expect(git(ours, 'status', '--porcelain')).toBe('')
  expect(readFileSync(join(ours, 'service.yaml'), 'utf8')).toContain('percent: 50')
})

test('a push refused for another reason is an error, not a retry', async () => {
  const hook = join(remote, 'hooks', 'pre-receive')
  writeFileSync(hook, '#!/bin/sh\necho "protected branch" >&2\nexit 1\n', { mode: 0o755 })
  const repo = new GitCliRepo(ours, { branch: 'main' })
  await expect(
    repo.commitAndPush({
      path: 'service.yaml',
      content: edit('100', '90'),
      message: 'web: step 10%'
    })
  ).rejects.toThrow('protected branch')
})

test('the file is read as a manifest is: a symlink out of the checkout is refused, never read', async () => {
  const repo = new GitCliRepo(ours, { branch: 'main' })
  expect(await repo.read('service.yaml')).toBe(manifest)
  const outside = join(root, 'environ')
  writeFileSync(outside, 'AWS_SECRET_ACCESS_KEY=outside-secret\n')
  rmSync(join(ours, 'service.yaml'))
  symlinkSync(outside, join(ours, 'service.yaml'))
  const error = await repo.read('service.yaml').catch((e: Error) => e)
  expect(String(error)).toMatch(/service\.yaml resolves outside the workspace/)
  expect(String(error)).not.toContain('outside-secret')
})
