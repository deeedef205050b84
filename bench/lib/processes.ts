// Child processes for the benchmarks: the servers the emulator benchmark runs (a bare
// node:http baseline and the emulator binary built fresh from source; each prints one JSON
// line when ready, every child is stopped by its own handle), commands run to their end,
// and node children measured by their own resource usage.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export interface Child<T> {
  ready: T
  stop(): Promise<void>
}

/** A bare node:http server answering `body` to every request: the baseline. */
const BASELINE = `
const http = require('node:http')
const body = process.env.BASELINE_BODY
const type = process.env.BASELINE_TYPE
const server = http.createServer((req, res) => {
  req.resume()
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) })
  res.end(body)
})
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })))
`

export function startBaseline(body: string, contentType: string): Promise<Child<{ url: string }>> {
  const child = spawn(process.execPath, ['-e', BASELINE], {
    env: { ...process.env, BASELINE_BODY: body, BASELINE_TYPE: contentType },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  return firstJsonLine(child, () => undefined)
}

export interface EmulatorReady {
  api: string
  ingress: string
  kubeconfig: string
}

/**
 * Bundles emulator/main.ts (the `knative-emulator` binary) and starts it on ephemeral
 * ports. Resolves undefined when the entry does not exist yet.
 */
export async function startEmulatorProcess(): Promise<Child<EmulatorReady> | undefined> {
  if (!existsSync('emulator/main.ts')) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'bench-emulator-'))
  const bundle = join(dir, 'emulator.mjs')
  const built = spawnSync(
    join('node_modules', '.bin', 'esbuild'),
    [
      'emulator/main.ts',
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--target=node22',
      '--log-level=warning',
      `--outfile=${bundle}`,
      "--banner:js=import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
    ],
    { encoding: 'utf8' }
  )
  if (built.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`could not bundle emulator/main.ts: ${built.stderr || built.error}`)
  }
  const child = spawn(
    process.execPath,
    [bundle, '--kubeconfig', join(dir, 'kubeconfig'), '--port', '0', '--ingress-port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  return firstJsonLine<EmulatorReady>(child, () => rmSync(dir, { recursive: true, force: true }))
}

function firstJsonLine<T>(child: ChildProcess, cleanup: () => void): Promise<Child<T>> {
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    cleanup()
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error('child server did not report ready within 30 s'))
    }, 30_000)
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', (line) => {
      clearTimeout(timer)
      lines.close()
      child.stdout!.resume() // keep draining so the child never blocks on a full pipe
      try {
        resolve({ ready: JSON.parse(line) as T, stop })
      } catch {
        void stop()
        reject(new Error(`child server printed ${line.slice(0, 200)}, not JSON`))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`child server exited with ${code} before it was ready`))
    })
  })
}

/** Runs a command to its end with exactly `env`; its exit status and output. */
export function exec(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

/** A node child's own figures, as it reports them at exit (process.resourceUsage()). */
export interface MeasuredRun {
  status: number | null
  stdout: string
  stderr: string
  /** From spawn to exit, seen from this process. */
  wallMs: number
  /** The child's peak resident set size (getrusage's ru_maxrss). */
  peakRssMb: number
  /** The most JS heap in use and held (heapUsed, heapTotal), sampled every 50 ms. */
  peakHeapMb: { used: number; total: number }
  /** CPU time the child itself spent, in user and kernel mode. */
  cpuMs: { user: number; system: number }
  /**
   * Time its main thread (where the JavaScript runs) was ready to run but waited for a CPU
   * (Linux schedstat; NaN elsewhere): on a shared machine, the part of the wall time the
   * machine's other work took from it.
   */
  runQueueWaitMs: number
}

/**
 * The main thread's run-queue wait so far, in ms: the second field of /proc/self/schedstat.
 * As JavaScript text, for the child's preload too.
 */
const RUN_QUEUE_WAIT = `function runQueueWaitMs() {
  try {
    const stat = require('node:fs').readFileSync('/proc/self/schedstat', 'utf8')
    return Number(stat.split(' ')[1]) / 1e6
  } catch {
    return NaN
  }
}`

/** This process's run-queue wait so far (RUN_QUEUE_WAIT), in ms. */
export const runQueueWaitMs = new Function('require', `${RUN_QUEUE_WAIT}; return runQueueWaitMs`)(
  createRequire(import.meta.url)
) as () => number

/**
 * Preloaded into the child (`--require`): at exit it writes its own resource usage, peak
 * heap and run-queue wait to BENCH_RUSAGE_FILE. The child's own figures, so neither this
 * process nor a wrapper such as GNU time (not on every machine) is counted; `exit` fires on
 * process.exit() as well.
 */
const RUSAGE_PRELOAD = `
${RUN_QUEUE_WAIT}
const peakHeap = { used: 0, total: 0 }
setInterval(() => {
  const m = process.memoryUsage()
  peakHeap.used = Math.max(peakHeap.used, m.heapUsed)
  peakHeap.total = Math.max(peakHeap.total, m.heapTotal)
}, 50).unref()
process.once('exit', () => {
  const usage = process.resourceUsage()
  const report = { usage, peakHeap, runQueueWaitMs: runQueueWaitMs() }
  require('node:fs').writeFileSync(process.env.BENCH_RUSAGE_FILE, JSON.stringify(report))
})
`

/** Runs `node ...args` (`node` a Node binary) to its end; its own peak RSS and CPU time. */
export async function execMeasured(
  node: string,
  args: string[],
  env: NodeJS.ProcessEnv
): Promise<MeasuredRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rusage-'))
  try {
    const preload = join(dir, 'rusage.cjs')
    const file = join(dir, 'rusage.json')
    writeFileSync(preload, RUSAGE_PRELOAD)
    const started = performance.now()
    const run = await exec(node, ['--require', preload, ...args], {
      ...env,
      BENCH_RUSAGE_FILE: file
    })
    const wallMs = performance.now() - started
    if (!existsSync(file))
      throw new Error(
        `the child left no resource usage (exit ${run.status}): ${run.stderr.slice(-500)}`
      )
    const report = JSON.parse(readFileSync(file, 'utf8')) as {
      usage: NodeJS.ResourceUsage
      peakHeap: { used: number; total: number }
      runQueueWaitMs: number | null
    }
    return {
      ...run,
      wallMs,
      peakRssMb: report.usage.maxRSS / 1024,
      peakHeapMb: { used: report.peakHeap.used / 2 ** 20, total: report.peakHeap.total / 2 ** 20 },
      cpuMs: { user: report.usage.userCPUTime / 1000, system: report.usage.systemCPUTime / 1000 },
      runQueueWaitMs: report.runQueueWaitMs ?? NaN
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
