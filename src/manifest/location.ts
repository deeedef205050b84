// A manifest problem with its place in the repository, for the action's error annotation
// (file and line, shown on the pull request's diff). Without a line there is no place.

import { isAbsolute, relative, resolve } from 'node:path'
import type { SourceLocation } from '../report/types.js'

export class LocatedError extends Error {
  constructor(
    message: string,
    readonly location: SourceLocation | undefined,
    options?: { cause?: unknown }
  ) {
    super(message, options)
    this.name = 'LocatedError'
  }
}

/**
 * `path` as the annotation wants it: relative to the workspace (GITHUB_WORKSPACE), where the
 * manifest input's relative paths start too; as given when there is no workspace.
 */
export function manifestLocation(
  path: string,
  workspace: string | undefined,
  at: { line?: number; column?: number }
): SourceLocation | undefined {
  if (!at.line) return undefined
  let file = path
  if (workspace) {
    const rel = relative(resolve(workspace), resolve(workspace, path))
    if (!rel.startsWith('..') && !isAbsolute(rel)) file = rel
  }
  return { file, line: at.line, ...(at.column ? { column: at.column } : {}) }
}
