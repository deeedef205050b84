// The one way the project runs the git CLI: in a directory, as an author (author and committer
// both), never prompting for credentials or an editor. No shell: arguments go to execFile as is.

import { execFile } from 'node:child_process'
import type { GitAuthor } from './git.js'

export class GitError extends Error {}

export interface GitResult {
  code: number
  stdout: string
  stderr: string
}

export interface GitRunOptions {
  /** Written to git's stdin (`hash-object --stdin`). */
  input?: string
  /** Added to the environment (`GIT_INDEX_FILE`). */
  env?: Record<string, string>
}

/** Runs `git <args>` in `dir`; resolves with its exit code and output, never rejects. */
export function runGit(
  dir: string,
  author: GitAuthor,
  args: string[],
  extra: GitRunOptions = {}
): Promise<GitResult> {
  const identity = ['-c', `user.name=${author.name}`, '-c', `user.email=${author.email}`]
  // A rebase must never stop to ask for an editor in CI.
  const noEditor = ['-c', 'core.editor=true']
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
    GIT_TERMINAL_PROMPT: '0',
    ...extra.env
  }
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      [...identity, ...noEditor, ...args],
      { cwd: dir, env },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
        resolve({ code, stdout, stderr })
      }
    )
    child.stdin?.end(extra.input)
  })
}

/** runGit's output, or a GitError naming the command and git's own message. */
export async function git(
  dir: string,
  author: GitAuthor,
  args: string[],
  extra: GitRunOptions = {}
): Promise<string> {
  const result = await runGit(dir, author, args, extra)
  if (result.code !== 0) throw new GitError(`git ${args[0]} failed: ${result.stderr.trim()}`)
  return result.stdout
}
