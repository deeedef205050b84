// Where a manifest may be read from and how much of it: real files, directories and symlinks
// in a temporary workspace (a pull request can commit a symlink to anywhere).

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAX_MANIFEST_BYTES } from '../../../src/manifest/load.js'
import { readManifestFile } from '../../../src/manifest/read-file.js'

const SECRET = 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI'
let root: string
let workspace: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'read-file-'))
  workspace = join(root, 'checkout')
  mkdirSync(join(workspace, 'deploy'), { recursive: true })
  writeFileSync(join(workspace, 'deploy/service.yaml'), 'kind: Service\n')
  writeFileSync(join(root, 'environ'), `${SECRET}\n`)
  symlinkSync(join(root, 'environ'), join(workspace, 'deploy/evil.yaml'))
  symlinkSync('service.yaml', join(workspace, 'deploy/alias.yaml'))
  symlinkSync(join(workspace, 'deploy'), join(workspace, 'dir.yaml'))
  writeFileSync(join(workspace, 'big.yaml'), Buffer.alloc(MAX_MANIFEST_BYTES + 1, 0x61))
  writeFileSync(join(workspace, 'limit.yaml'), Buffer.alloc(MAX_MANIFEST_BYTES, 0x61))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('readManifestFile', () => {
  test.each([
    {
      name: 'a file in the checkout, by a relative path',
      path: 'deploy/service.yaml',
      reads: 'kind: Service\n'
    },
    { name: 'a symlink that stays inside', path: 'deploy/alias.yaml', reads: 'kind: Service\n' },
    { name: 'exactly the byte limit', path: 'limit.yaml', reads: 'a'.repeat(MAX_MANIFEST_BYTES) },
    {
      name: 'a symlink out of the checkout',
      path: 'deploy/evil.yaml',
      refused: /resolves outside the workspace.*allow-outside-workspace: true/
    },
    {
      name: 'a relative path out of the checkout',
      path: '../environ',
      refused: /resolves outside the workspace/
    },
    {
      name: 'an absolute path out of the checkout',
      path: '/etc/hostname',
      refused: /resolves outside the workspace|does not exist/
    },
    { name: 'a directory behind a symlink', path: 'dir.yaml', refused: /is not a regular file/ },
    { name: 'one byte over the limit', path: 'big.yaml', refused: /is more than 1048576 bytes/ },
    { name: 'a missing file', path: 'deploy/nope.yaml', refused: /^does not exist$/ }
  ])('$name', async ({ path, reads, refused }) => {
    const read = readManifestFile(path, { workspace })
    if (reads !== undefined) return expect(await read).toBe(reads)
    const error = (await read.catch((e: Error) => e)) as Error
    expect(error.message).toMatch(refused!)
    expect(error.message).not.toContain('wJalr')
  })

  test('allow-outside-workspace: the symlinked file is read', async () => {
    expect(await readManifestFile('deploy/evil.yaml', { workspace, allowOutside: true })).toBe(
      `${SECRET}\n`
    )
  })

  test('no workspace (a terminal): any path', async () => {
    expect(await readManifestFile(join(root, 'environ'))).toBe(`${SECRET}\n`)
  })
})
