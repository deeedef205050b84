// The robustness scenarios' shared world: an emulator reached over HTTP only (so the same
// code drives an in-process emulator in tests and emulator processes in the benchmark),
// services seeded with a first deploy, rollouts run through the real engine (run() in this
// process, or dist/cli.js / dist/index.js / dist/post.js as child processes that can be
// killed), and the two verdicts: the store's write history keeps the invariant, and the
// result each run reported is what the Service shows.

import { spawn, spawnSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseInputs } from '../../src/inputs.js'
import { memoryLogger } from '../../test/helpers/memory-logger.js'
import { wallClock } from '../../src/clock.js'
import { run } from '../../src/run.js'
import { createServingClient } from '../../src/knative/client.js'
import type { KService } from '../../src/knative/types.js'
import type { RunOutcome } from '../../src/rollout/result.js'
import type { ServingClient } from '../../src/rollout/ports.js'
import type { Faults } from '../../emulator/settings.js'
import type { StoreEvent } from '../../emulator/store.js'
import { serviceYaml } from '../../test/helpers/service-yaml.js'

/** One emulator as a client sees it. */
export interface World {
  apiUrl: string
  ingressUrl: string
  kubeconfigPath: string
  /** Where manifests and GitHub's runner files go. */
  dir: string
  /** The bundles the child processes run (see `freshDist`). */
  dist: string
}

/**
 * Bundles the entries exactly as dist/ is built (scripts/build.mjs) into `outdir`, so the
 * children run the source as it is now: dist/ itself may be stale, or being rebuilt by a
 * concurrent `npm run build`.
 */
export function freshDist(outdir: string): string {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', outdir], { encoding: 'utf8' })
  if (built.status !== 0) throw new Error(`scripts/build.mjs ${outdir}: ${built.stderr}`)
  return outdir
}

export type Flags = Record<string, string>

/**
 * The storm of the robustness brief: 20% of API requests answered 5xx or 429 (the status
 * rotates, see `rotateErrorStatus`), 10% of writes refused with a spurious 409, one request
 * in 20 delayed by 1.5 s, every watch dropped after 3 s.
 */
export const STORM: Partial<Faults> = {
  errorRate: 0.2,
  errorStatus: 503,
  conflictRate: 0.1,
  latencyMs: 0,
  latencySpikeRate: 0.05,
  latencySpikeMs: 1500,
  watchDropAfterMs: 3000
}

export async function setFaults(world: World, faults: Partial<Faults> | 'none'): Promise<void> {
  const res = await fetch(`${world.apiUrl}/emulator/faults`, {
    method: faults === 'none' ? 'DELETE' : 'PUT',
    headers: { 'content-type': 'application/json' },
    body: faults === 'none' ? undefined : JSON.stringify(faults)
  })
  if (!res.ok) throw new Error(`PUT /emulator/faults: HTTP ${res.status} ${await res.text()}`)
}

/** Cycles the injected status through 500, 503, 429 and 504 until the returned stop(). */
export function rotateErrorStatus(worlds: readonly World[], everyMs = 2000): () => Promise<void> {
  const statuses = [500, 503, 429, 504]
  let i = 0
  let pending = Promise.resolve()
  const timer = setInterval(() => {
    const errorStatus = statuses[i++ % statuses.length]
    pending = Promise.all(worlds.map((w) => setFaults(w, { errorStatus }))).then(
      () => undefined,
      () => undefined
    )
  }, everyMs)
  return async () => {
    clearInterval(timer)
    await pending
  }
}

/** The store's complete write history (`GET /emulator/history`). */
export async function history(world: World): Promise<StoreEvent[]> {
  const res = await fetch(`${world.apiUrl}/emulator/history`)
  if (!res.ok) throw new Error(`GET /emulator/history: HTTP ${res.status}`)
  return (await res.json()) as StoreEvent[]
}

/** A helloworld-style Service; both sides answer in ~20 ms so load noise is not a regression. */
export function manifestYaml(service: string, image: string, env: Record<string, string>): string {
  return serviceYaml(service, image, { EMULATOR_LATENCY_MS: '20', ...env })
}

export interface RolloutSpec {
  service: string
  /** `v1` for the seed, `v2` for the rollout under test. */
  version: string
  /** A candidate answering half of its requests with 500. */
  bad?: boolean
  /** More container env, e.g. `EMULATOR_EXIT_CODE` for a candidate that never becomes ready. */
  env?: Record<string, string>
  extra?: Flags
}

/**
 * The flags of one short rollout (steps 50,100, 1 s per step, 20 probes/s), its manifest
 * written under the world's dir. `kubeconfig` is the file's path: the CLI reads it, and
 * `runInProcess` swaps in the content as the action's input would carry it.
 */
export async function rolloutFlags(world: World, spec: RolloutSpec): Promise<Flags> {
  const manifest = join(world.dir, `${spec.service}-${spec.version}.yaml`)
  const env: Record<string, string> = {
    ...(spec.bad ? { EMULATOR_ERROR_RATE: '0.5' } : {}),
    ...spec.env
  }
  await writeFile(
    manifest,
    manifestYaml(spec.service, `docker.io/acme/${spec.service}:${spec.version}`, env)
  )
  return {
    manifest,
    'revision-name': `${spec.service}-${spec.version}`,
    steps: '50,100',
    'step-interval': '1s',
    'probe-rps': '20',
    'min-requests': '10',
    'min-success-rate': '0.95',
    'max-latency-p99': '4s',
    timeout: '3m',
    'ingress-address': world.ingressUrl,
    kubeconfig: world.kubeconfigPath,
    ...spec.extra
  }
}

/** The engine in this process with the real adapters, as `run()` is called by the entries. */
export async function runInProcess(
  world: World,
  command: string,
  flags: Flags,
  runId: string,
  signal?: AbortSignal
): Promise<RunOutcome & { lines: string[] }> {
  const kubeconfig = await readFile(world.kubeconfigPath, 'utf8')
  const all: Flags = { ...flags, kubeconfig, command }
  const log = memoryLogger()
  const outcome = await run(
    parseInputs((name) => all[name]),
    {
      clock: wallClock,
      log,
      env: {},
      signal,
      me: {
        id: `acme/shop/runs/${runId}`,
        url: `https://github.com/acme/shop/actions/runs/${runId}`
      }
    }
  )
  return { ...outcome, lines: log.lines }
}

/** First deploy of `service` (v1), with no faults on: the starting point of every scenario. */
export async function seed(world: World, service: string): Promise<void> {
  const out = await runInProcess(
    world,
    'rollout',
    await rolloutFlags(world, { service, version: 'v1' }),
    `seed-${service}`
  )
  if (out.result !== 'promoted')
    throw new Error(`seeding ${service}: ${out.result}: ${out.message}`)
}

export function servingClient(world: World): Promise<ServingClient> {
  return readFile(world.kubeconfigPath, 'utf8').then((kubeconfig) =>
    createServingClient({ kubeconfig, clock: wallClock, log: memoryLogger() })
  )
}

// ---- child processes -----------------------------------------------------------------------

export interface ChildRun {
  pid: number
  /** Sends a signal to this child only. */
  kill(signal: NodeJS.Signals): void
  done: Promise<{
    code: number | null
    signal: NodeJS.Signals | null
    stdout: string
    stderr: string
  }>
}

/** `node <dist>/<entry>.js args...` with `env` added to a minimal environment. */
export function spawnNode(
  world: World,
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv
): ChildRun {
  const child = spawn(process.execPath, [join(world.dist, entry), ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d))
  child.stderr.on('data', (d: Buffer) => (stderr += d))
  const done = new Promise<Awaited<ChildRun['done']>>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  )
  return { pid: child.pid!, kill: (s) => child.kill(s), done }
}

/** `knative-rollout <command> --flag value ...` (dist/cli.js). */
export function spawnCli(
  world: World,
  command: string,
  flags: Flags,
  env: NodeJS.ProcessEnv = {}
): ChildRun {
  const args = [command, ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, v])]
  return spawnNode(world, 'cli.js', args, env)
}

/** The CLI's outputs: its one JSON line on stdout (`result`, `revision`, ...). */
export function cliOutputs(stdout: string): Record<string, string> | undefined {
  const line = stdout.trim().split('\n').filter(Boolean).pop()
  try {
    return line ? (JSON.parse(line) as Record<string, string>) : undefined
  } catch {
    return undefined
  }
}

/** GitHub's runner environment for one step: inputs as INPUT_*, the state and output files. */
export function actionEnv(
  flags: Flags,
  files: { state: string; output: string; summary: string },
  runId: string,
  kubeconfig: string
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    GITHUB_ACTIONS: 'true',
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_STATE: files.state,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary
  }
  for (const [k, v] of Object.entries({ ...flags, kubeconfig })) env[`INPUT_${k.toUpperCase()}`] = v
  return env
}

/** What the main step saved with core.saveState, as the runner hands it to the post step (STATE_*). */
export async function savedState(stateFile: string): Promise<NodeJS.ProcessEnv> {
  const text = await readFile(stateFile, 'utf8').catch(() => '')
  const env: NodeJS.ProcessEnv = {}
  // The file command format: `name<<DELIMITER`, the value's lines, `DELIMITER`.
  const re = /^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const m of text.matchAll(re)) env[`STATE_${m[1]}`] = m[3]
  return env
}

// ---- verdicts ---------------------------------------------------------------------------------

/** What a result promises about the Service's traffic at the end. */
export interface Expectation {
  result: string
  /** The revision serving before the rollout. */
  previous: string
  candidate: string
  /** For `paused`: the candidate's share when it paused. */
  percent?: number
}

/**
 * "The job's result tells the truth": promoted → the candidate serves 100% under `current`;
 * rolled-back / aborted / failed → the previous revision serves 100% and the candidate 0;
 * paused → the split at the pause. Checked on both spec and status traffic.
 */
export function resultProblems(live: KService | undefined, want: Expectation): string[] {
  if (!live) return ['the Service is gone']
  const problems: string[] = []
  const expected: Record<string, number> =
    want.result === 'promoted'
      ? { [want.candidate]: 100 }
      : want.result === 'paused'
        ? { [want.previous]: 100 - (want.percent ?? 0), [want.candidate]: want.percent ?? 0 }
        : { [want.previous]: 100 }
  const servingTag = want.result === 'promoted' ? want.candidate : want.previous
  for (const [where, traffic] of [
    ['spec', live.spec.traffic],
    ['status', live.status?.traffic]
  ] as const) {
    const shares: Record<string, number> = {}
    for (const t of traffic ?? []) {
      const rev = t.revisionName ?? '@latest'
      if (t.percent) shares[rev] = (shares[rev] ?? 0) + t.percent
    }
    const want100 = Object.fromEntries(Object.entries(expected).filter(([, p]) => p > 0))
    if (JSON.stringify(sorted(shares)) !== JSON.stringify(sorted(want100)))
      problems.push(
        `${want.result}: ${where}.traffic is ${JSON.stringify(shares)}, expected ${JSON.stringify(want100)}`
      )
    const current = traffic?.find((t) => t.tag === 'current')?.revisionName
    if (current !== servingTag)
      problems.push(`${want.result}: ${where} current tag is ${current}, expected ${servingTag}`)
  }
  return problems
}

function sorted(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)))
}

/**
 * `knative-emulator` (the fresh bundle in `dist`) as a child process on ephemeral ports: the
 * benchmark's emulators each get their own process, so they do not share the event loop of
 * the rollouts they serve.
 */
export async function startEmulatorChild(
  dist: string,
  dir: string
): Promise<World & { stop(): Promise<void> }> {
  const kubeconfigPath = join(dir, 'kubeconfig')
  const child = spawn(
    process.execPath,
    [
      join(dist, 'emulator.js'),
      '--kubeconfig',
      kubeconfigPath,
      '--port',
      '0',
      '--ingress-port',
      '0'
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  const line = await new Promise<string>((resolve, reject) => {
    let out = ''
    const onData = (d: Buffer) => {
      out += d
      if (out.includes('\n')) {
        child.stdout.off('data', onData)
        child.stdout.resume()
        resolve(out.split('\n')[0])
      }
    }
    child.stdout.on('data', onData)
    child.once('exit', (code) => reject(new Error(`knative-emulator exited with ${code}`)))
  })
  const ready = JSON.parse(line) as { api: string; ingress: string }
  return {
    apiUrl: ready.api,
    ingressUrl: ready.ingress,
    kubeconfigPath,
    dir,
    dist,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    }
  }
}
