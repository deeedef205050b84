// Runs the built entries the way users do — `node dist/cli.js <command> --flags` and the
// action's `node dist/index.js` with INPUT_* variables and the runner's files — in a clean
// environment, under /usr/bin/time for the child's peak memory. Never rejects: a hung child
// is killed at `killAfterMs` and reported as such.

import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface DistRun {
  code: number
  stdout: string
  stderr: string
  /** Wall time of the child, from spawn to exit. */
  wallMs: number
  /** The child's peak resident set size (GNU time %M). */
  maxRssMb: number
  /** The runner's files (action runs): $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY, $GITHUB_STATE. */
  files: { output: string; summary: string; state: string }
}

export interface RunOptions {
  /** Extra environment (KUBECONFIG, ...); the parent's is not inherited. */
  env?: Record<string, string>
  killAfterMs?: number
}

const ROOT = new URL('../../', import.meta.url).pathname

/** `node dist/cli.js ...args` */
export function runCli(args: string[], opts: RunOptions = {}): Promise<DistRun> {
  return runDist(['dist/cli.js', ...args], opts.env ?? {}, opts)
}

/** `node dist/index.js` with each input as INPUT_<NAME>, as GitHub's runner passes them. */
export function runAction(inputs: Record<string, string>, opts: RunOptions = {}): Promise<DistRun> {
  const env: Record<string, string> = { ...opts.env }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  return runDist(['dist/index.js'], env, opts)
}

async function runDist(
  args: string[],
  extraEnv: Record<string, string>,
  opts: RunOptions
): Promise<DistRun> {
  const dir = await mkdtemp(join(tmpdir(), 'dist-run-'))
  const paths = {
    output: join(dir, 'output'),
    summary: join(dir, 'summary'),
    state: join(dir, 'state'),
    time: join(dir, 'time')
  }
  await Promise.all([paths.output, paths.summary, paths.state].map((p) => writeFile(p, '')))
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    // A kubeconfig only when the case gives one: never the developer's ~/.kube/config.
    KUBECONFIG: join(dir, 'no-kubeconfig'),
    GITHUB_OUTPUT: paths.output,
    GITHUB_STEP_SUMMARY: paths.summary,
    GITHUB_STATE: paths.state,
    ...extraEnv
  }
  const started = Date.now()
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      '/usr/bin/time',
      ['-f', '%M', '-o', paths.time, process.execPath, ...args],
      { cwd: ROOT, env, timeout: opts.killAfterMs ?? 60_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
        resolve({ code, stdout, stderr })
      }
    )
  })
  const wallMs = Date.now() - started
  const read = (p: string) => readFile(p, 'utf8').catch(() => '')
  const [output, summary, state, time] = await Promise.all([
    read(paths.output),
    read(paths.summary),
    read(paths.state),
    read(paths.time)
  ])
  await rm(dir, { recursive: true, force: true })
  const rssKb = Number(/(\d+)\s*$/.exec(time.trim())?.[1] ?? NaN)
  return { ...result, wallMs, maxRssMb: rssKb / 1024, files: { output, summary, state } }
}

export interface AuditEntry {
  method: string
  path: string
  query?: Record<string, string>
  status: number
  user: string
}

/** The emulator's request log. */
export async function auditLog(apiUrl: string, ca?: string): Promise<AuditEntry[]> {
  return (await getJson(apiUrl, '/emulator/requests', ca)) as AuditEntry[]
}

/** Requests that change the cluster: anything but GET on a resource path. */
export function writesIn(entries: readonly AuditEntry[]): AuditEntry[] {
  return entries.filter(
    (e) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(e.method) && /^\/apis?\//.test(e.path)
  )
}

/** GET an admin endpoint; over https, trusting the emulator's own certificate. */
export async function getJson(apiUrl: string, path: string, ca?: string): Promise<unknown> {
  if (!apiUrl.startsWith('https:')) return (await fetch(apiUrl + path)).json()
  const { get } = await import('node:https')
  return new Promise((resolve, reject) => {
    get(apiUrl + path, { ca }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve(JSON.parse(body)))
    }).on('error', reject)
  })
}

/** Runs the tasks, at most `limit` at once; results in the tasks' order. */
export async function inPool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++
      out[i] = await tasks[i]()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
  return out
}
