// Runs the built entries the way users do — `node dist/cli.js <command> --flags` and the
// action's `node dist/index.js` with INPUT_* variables and the runner's files — in a clean
// environment, under /usr/bin/time for the child's peak memory (test/helpers/child-run.ts
// starts it). A hung child is killed at `killAfterMs` and reported (exit -1), not rejected.

import { join } from 'node:path'
import { scratchDir, startNode } from './child-run.js'

export interface DistRun {
  /** Exit code; -1 when killed by a signal (at `killAfterMs`, say). */
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

/** `node dist/cli.js ...args` */
export function runCli(args: string[], opts: RunOptions = {}): Promise<DistRun> {
  return runDist(['dist/cli.js', ...args], opts.env ?? {}, opts)
}

/**
 * `node dist/index.js` with each given input as INPUT_<NAME>, as GitHub's runner passes them;
 * only those (no action.yml defaults, no GITHUB_* context unless `env` has it), so a case
 * meets the entry with exactly what it names.
 */
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
  const dir = scratchDir('dist-run-')
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir.path,
    // A kubeconfig only when the case gives one: never the developer's ~/.kube/config.
    KUBECONFIG: join(dir.path, 'no-kubeconfig'),
    ...dir.files,
    ...extraEnv
  }
  try {
    const run = await startNode({
      args,
      env,
      timeFile: join(dir.path, 'time'),
      killAfterMs: opts.killAfterMs ?? 60_000
    }).done
    const { output, summary, state } = dir.read()
    return {
      code: run.code ?? -1,
      stdout: run.stdout,
      stderr: run.stderr,
      wallMs: run.wallMs,
      maxRssMb: run.maxRssMb,
      files: { output, summary, state }
    }
  } finally {
    dir.remove()
  }
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

/**
 * Requests that change the cluster: anything but GET on a resource path, except a dry run
 * (`dryRun=All`), which the API server answers without storing anything.
 */
export function writesIn(entries: readonly AuditEntry[]): AuditEntry[] {
  return entries.filter(
    (e) =>
      ['POST', 'PUT', 'PATCH', 'DELETE'].includes(e.method) &&
      /^\/apis?\//.test(e.path) &&
      !e.query?.dryRun
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

export { inPool } from './pool.js'
