// Reads the manifest file the way a hostile pull request cannot abuse: the path, symlinks
// resolved, must lie inside GITHUB_WORKSPACE (a PR can commit a symlink to /proc/self/environ
// or ~/.kube/config) unless allow-outside-workspace is set; only a regular file; and never
// more than MAX_MANIFEST_BYTES, counted as read (a file may grow after stat, /proc files
// claim size 0). Errors name the path and the problem, never the content.

import { constants } from 'node:fs'
import { open, realpath } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { MAX_MANIFEST_BYTES } from './load.js'

export interface ManifestFileOptions {
  /** GITHUB_WORKSPACE: relative paths start there, and the file must resolve inside it. */
  workspace?: string
  /** allow-outside-workspace: the file may resolve anywhere. */
  allowOutside?: boolean
}

/** The file's text; throws an Error whose message is `<why>` (the caller names the input). */
export async function readManifestFile(
  path: string,
  options: ManifestFileOptions = {}
): Promise<string> {
  const workspace = options.workspace
  const full = workspace ? resolve(workspace, path) : resolve(path)
  let real: string
  try {
    real = await realpath(full)
  } catch (err) {
    throw new Error(describe(err), { cause: err })
  }
  if (workspace && !options.allowOutside) {
    const root = await realpath(workspace).catch(() => resolve(workspace))
    if (!inside(root, real))
      throw new Error(
        'resolves outside the workspace (GITHUB_WORKSPACE); a manifest must be part of the checkout. Set allow-outside-workspace: true to read it anyway'
      )
  }
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer forever.
    const file = await open(real, constants.O_RDONLY | constants.O_NONBLOCK)
    try {
      if (!(await file.stat()).isFile()) throw new Error('is not a regular file')
      const buffer = Buffer.alloc(MAX_MANIFEST_BYTES + 1)
      let size = 0
      while (size < buffer.length) {
        const { bytesRead } = await file.read(buffer, size, buffer.length - size, size)
        if (bytesRead === 0) break
        size += bytesRead
      }
      if (size > MAX_MANIFEST_BYTES)
        throw new Error(
          `is more than ${MAX_MANIFEST_BYTES} bytes; at most ${MAX_MANIFEST_BYTES} are read`
        )
      return buffer.subarray(0, size).toString('utf8')
    } finally {
      await file.close()
    }
  } catch (err) {
    throw new Error(describe(err), { cause: err })
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  if (e.code === 'ENOENT') return 'does not exist'
  if (e.code) return `cannot be read (${e.code})`
  return e.message
}
