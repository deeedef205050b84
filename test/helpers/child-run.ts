// One built entry (dist/*.js) run as a Node 24 child, the part every harness that runs dist/
// shares: the runner's files ($GITHUB_OUTPUT and the rest) in a scratch directory, the child
// started with exactly the environment it is given, its output collected (and readable while
// it runs), its wall time, optionally its peak memory under GNU time, and a kill when it hangs.

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The repository root: children run there. */
export const ROOT = new URL('../../', import.meta.url).pathname
/** Node 24 from node_modules (the machine's own node may be older). */
export const NODE = join(ROOT, 'node_modules/.bin/node')

/** What the child wrote to the runner's files, as text. */
export interface RunnerFileTexts {
  output: string
  state: string
  summary: string
  env: string
  path: string
}

/** A run's own temporary directory, holding the runner's files (empty at the start). */
export interface ScratchDir {
  path: string
  /** GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY, GITHUB_ENV, GITHUB_PATH → their files. */
  files: Record<string, string>
  read(): RunnerFileTexts
  remove(): void
}

export function scratchDir(prefix: string): ScratchDir {
  const path = mkdtempSync(join(tmpdir(), prefix))
  const names = {
    output: 'output',
    state: 'state',
    summary: 'summary.md',
    env: 'env',
    path: 'path'
  }
  const at = (key: keyof RunnerFileTexts) => join(path, names[key])
  const files = {
    GITHUB_OUTPUT: at('output'),
    GITHUB_STATE: at('state'),
    GITHUB_STEP_SUMMARY: at('summary'),
    GITHUB_ENV: at('env'),
    GITHUB_PATH: at('path')
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const text = (key: keyof RunnerFileTexts) => readFileSync(at(key), 'utf8')
  return {
    path,
    files,
    read: () => ({
      output: text('output'),
      state: text('state'),
      summary: text('summary'),
      env: text('env'),
      path: text('path')
    }),
    remove: () => rmSync(path, { recursive: true, force: true })
  }
}

export interface NodeRunOptions {
  /** The script and its arguments. */
  args: string[]
  /** The child's whole environment: nothing is inherited from this process. */
  env: Record<string, string>
  /** Given, the child runs under /usr/bin/time, which writes its peak RSS here (GNU %M). */
  timeFile?: string
  /** A hung child (and GNU time with it) is killed with SIGKILL after this long. */
  killAfterMs?: number
}

export interface NodeRun {
  /** Exit code, or null when killed by a signal. */
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** From spawn to exit. */
  wallMs: number
  /** Peak resident set size; NaN without `timeFile` (or when GNU time was killed). */
  maxRssMb: number
}

export interface StartedNode {
  child: ChildProcess
  /** stdout so far. */
  stdout(): string
  /** Resolves when the child has exited and its output is all in; rejects if it cannot start. */
  done: Promise<NodeRun>
}

export function startNode(options: NodeRunOptions): StartedNode {
  const command = options.timeFile
    ? ['/usr/bin/time', '-f', '%M', '-o', options.timeFile, NODE, ...options.args]
    : [NODE, ...options.args]
  const started = Date.now()
  // Its own process group when it may be killed, so the kill reaches node under GNU time too.
  const child = spawn(command[0], command.slice(1), {
    env: options.env,
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.killAfterMs !== undefined
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c))
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c))
  const killer =
    options.killAfterMs === undefined
      ? undefined
      : setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL')
          } catch {
            // Already gone.
          }
        }, options.killAfterMs)
  const done = new Promise<NodeRun>((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(killer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(killer)
      const wallMs = Date.now() - started
      resolve({ code, signal, stdout, stderr, wallMs, maxRssMb: peakRssMb(options.timeFile) })
    })
  })
  return { child, stdout: () => stdout, done }
}

/** GNU time's %M (KiB) is the last line of its report; a killed run leaves none. */
function peakRssMb(timeFile: string | undefined): number {
  if (!timeFile || !existsSync(timeFile)) return NaN
  const report = readFileSync(timeFile, 'utf8').trim()
  return Number(/(\d+)$/.exec(report)?.[1] ?? NaN) / 1024
}
