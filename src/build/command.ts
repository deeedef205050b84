// Runs a program with an argument array (never a shell, so no argument is ever re-parsed)
// and collects its output. A program that cannot start reports exit code 127, as a shell
// would, so probes ("is buildah installed?") need no try/catch.

import { spawn } from 'node:child_process'
import type { Env } from './env.js'

export interface CommandOptions {
  /** The whole environment of the child (not merged): pass process.env plus changes. */
  env?: Env
  cwd?: string
  /** Each line of stdout and stderr as it arrives, e.g. to stream build progress to the log. */
  onLine?: (line: string) => void
}

export interface CommandResult {
  code: number
  stdout: string
  stderr: string
}

export type CommandRunner = (
  file: string,
  args: readonly string[],
  options?: CommandOptions
) => Promise<CommandResult>

/** Keep the end of long outputs: a build log's last lines hold the error. */
const MAX_KEPT = 1 << 20

export const spawnCommand: CommandRunner = (file, args, options = {}) =>
  new Promise((resolve) => {
    const child = spawn(file, [...args], {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv | undefined,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const out = { stdout: '', stderr: '' }
    const partial = { stdout: '', stderr: '' }
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      out[stream] = (out[stream] + text).slice(-MAX_KEPT)
      if (!options.onLine) return
      const lines = (partial[stream] + text).split('\n')
      partial[stream] = lines.pop() ?? ''
      for (const line of lines) options.onLine(line)
    }
    child.stdout.on('data', collect('stdout'))
    child.stderr.on('data', collect('stderr'))
    child.on('error', (err) =>
      resolve({ code: 127, stdout: out.stdout, stderr: `${out.stderr}${err.message}` })
    )
    child.on('close', (code, signal) => {
      for (const rest of [partial.stdout, partial.stderr])
        if (rest && options.onLine) options.onLine(rest)
      resolve({ code: code ?? (signal ? 128 : 1), ...out })
    })
  })
