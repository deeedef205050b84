// Start-up: a whole-process `status` of the built CLI (dist/cli.js) against `kubectl get
// ksvc` on the same emulator, run after one another round after round so that both see the
// same load; `node -e 0` is the floor of any Node process. `status` runs twice: with
// Node's compile cache (what a terminal sees from its second run on) and without it (a
// first run), and a third time as a user runs it, through the package's bin (bin/, which
// turns the cache on itself). Also the time from the spawn to the first API request the emulator sees, the
// bytes of JavaScript `status` loads, and the size of what is shipped (dist/). The emulator
// runs in this process, so children are awaited, never spawned synchronously. Where
// /usr/bin/time exists, each run's CPU time (user + system) too: on a shared, loaded
// machine it varies far less than the wall time.

import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator, type Emulator } from '../emulator/emulator.js'
import { exec } from './lib/processes.js'

const NODE = join('node_modules', '.bin', 'node')
const ROUNDS = 21
const STATUS = ['dist/cli.js', 'status', '--service', 'bench']
/** What a user runs (the package's bin), which turns the compile cache on before it imports. */
const BIN_STATUS = ['bin/knative-rollout.js', 'status', '--service', 'bench']
const TIME = '/usr/bin/time'
const CPU_LINE = /^knative-rollout-bench-cpu (\S+) (\S+)$/m

interface Run {
  ms: number
  /** Spawn to the first API request, as the emulator logged it (ms resolution). */
  firstRequestMs?: number
  /** User + system CPU time of the process (from /usr/bin/time). */
  cpuMs?: number
}

type Variant = { command: string; args: string[]; env?: NodeJS.ProcessEnv; api: boolean }

export async function runStartupBench(): Promise<Record<string, unknown>> {
  const loadAverageAtStart = loadavg().map(round2)
  const emulator = await startEmulator()
  const cache = await mkdtemp(join(tmpdir(), 'bench-compile-cache-'))
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: emulator.kubeconfigPath }
    delete env.NODE_COMPILE_CACHE
    delete env.NODE_DISABLE_COMPILE_CACHE
    const deployed = await exec(
      NODE,
      [
        'dist/cli.js',
        'rollout',
        '--service',
        'bench',
        '--image',
        'ghcr.io/acme/bench:1',
        '--steps',
        '100',
        '--ingress-address',
        emulator.ingressUrl
      ],
      env
    )
    if (deployed.status !== 0) throw new Error(`the first deploy failed: ${deployed.stderr}`)
    const variants: Record<string, Variant> = {
      nodeNoop: { command: NODE, args: ['-e', '0'], api: false },
      kubectlGet: { command: 'kubectl', args: ['get', 'ksvc', 'bench'], api: true },
      status: { command: NODE, args: STATUS, env: { NODE_COMPILE_CACHE: cache }, api: true },
      binStatus: { command: NODE, args: BIN_STATUS, api: true },
      statusNoCompileCache: {
        command: NODE,
        args: STATUS,
        env: { NODE_DISABLE_COMPILE_CACHE: '1' },
        api: true
      }
    }
    const runs: Record<string, Run[]> = Object.fromEntries(
      Object.keys(variants).map((k) => [k, []])
    )
    // One unmeasured run each: kubectl's discovery cache, the compile cache, the page cache.
    for (const v of Object.values(variants)) await once(emulator, env, v)
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, v] of Object.entries(variants))
        runs[name]!.push(await once(emulator, env, v))
    }
    const ms = (name: string) => median(runs[name]!.map((r) => r.ms))
    const firstRequest = (name: string) => median(runs[name]!.map((r) => r.firstRequestMs ?? NaN))
    const cpu = (name: string) => median(runs[name]!.map((r) => r.cpuMs ?? NaN))
    const shipped = await jsBytes(resolve('dist'))
    const loaded = await loadedByStatus(env)
    return {
      what: 'whole-process `status` (dist/cli.js) against `kubectl get ksvc` on the same emulator, medians of interleaved rounds',
      rounds: ROUNDS,
      loadAverageAtStart,
      medianMs: Object.fromEntries(Object.keys(variants).map((k) => [k, Math.round(ms(k))])),
      ratioStatusOverKubectl: round2(ms('status') / ms('kubectlGet')),
      ratioStatusNoCompileCacheOverKubectl: round2(ms('statusNoCompileCache') / ms('kubectlGet')),
      ratioBinStatusOverKubectl: round2(ms('binStatus') / ms('kubectlGet')),
      ...(existsSync(TIME)
        ? {
            medianCpuMs: Object.fromEntries(
              Object.keys(variants).map((k) => [k, Math.round(cpu(k))])
            ),
            cpuRatioStatusOverKubectl: round2(cpu('status') / cpu('kubectlGet'))
          }
        : {}),
      firstApiRequestMs: {
        status: Math.round(firstRequest('status')),
        statusNoCompileCache: Math.round(firstRequest('statusNoCompileCache')),
        kubectlGet: Math.round(firstRequest('kubectlGet'))
      },
      javascriptLoadedByStatus: loaded,
      shippedJavaScript: { bytes: shipped, megabytes: round2(shipped / 1e6) },
      runsMs: Object.fromEntries(
        Object.entries(runs).map(([k, rs]) => [k, rs.map((r) => Math.round(r.ms))])
      ),
      targets: { ratioStatusOverKubectl: '≤ 2', shippedMegabytes: '≤ 2' }
    }
  } finally {
    await rm(cache, { recursive: true, force: true })
    await emulator.stop()
  }
}

async function once(emulator: Emulator, env: NodeJS.ProcessEnv, v: Variant): Promise<Run> {
  emulator.api.audit.clear()
  const spawnedAt = performance.timeOrigin + performance.now()
  const started = performance.now()
  // Every variant through /usr/bin/time alike, so that its own start-up is in each.
  const timed = existsSync(TIME)
  const r = timed
    ? await exec(TIME, ['-f', 'knative-rollout-bench-cpu %U %S', v.command, ...v.args], {
        ...env,
        ...v.env
      })
    : await exec(v.command, v.args, { ...env, ...v.env })
  const ms = performance.now() - started
  if (r.status !== 0)
    throw new Error(`${v.command} ${v.args.join(' ')}: exit ${r.status}: ${r.stderr}`)
  const times = CPU_LINE.exec(r.stderr)
  const cpuMs = times ? (Number(times[1]) + Number(times[2])) * 1000 : undefined
  const first = emulator.api.audit.list()[0]
  if (!v.api) return { ms, cpuMs }
  if (!first) throw new Error(`${v.command} ${v.args.join(' ')} made no API request`)
  return { ms, cpuMs, firstRequestMs: Date.parse(first.time) - spawnedAt }
}

/** The JavaScript files one `status` run loads (module load hooks), and their bytes. */
async function loadedByStatus(env: NodeJS.ProcessEnv): Promise<{ files: number; bytes: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-loaded-'))
  try {
    const hooks = join(dir, 'hooks.mjs')
    const out = join(dir, 'loaded.json')
    await writeFile(
      hooks,
      `import { registerHooks } from 'node:module'
import { writeFileSync } from 'node:fs'
const loaded = new Set()
registerHooks({ load(url, context, next) { if (url.startsWith('file:')) loaded.add(url); return next(url, context) } })
process.on('exit', () => writeFileSync(${JSON.stringify(out)}, JSON.stringify([...loaded])))
`
    )
    const r = await exec(NODE, ['--import', hooks, ...STATUS], {
      ...env,
      NODE_DISABLE_COMPILE_CACHE: '1'
    })
    if (r.status !== 0) throw new Error(`status with load hooks: ${r.stderr}`)
    const files = (JSON.parse(await readFile(out, 'utf8')) as string[])
      .map((u) => fileURLToPath(u))
      .filter((f) => f.startsWith(resolve('dist')))
    let bytes = 0
    for (const f of files) bytes += (await stat(f)).size
    console.log(`status loads ${files.map((f) => relative('dist', f)).join(', ')}`)
    return { files: files.length, bytes }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function jsBytes(dir: string): Promise<number> {
  let total = 0
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.js')) total += (await stat(join(e.parentPath, e.name))).size
  }
  return total
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}
