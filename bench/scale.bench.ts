// Pipelines at scale (docs/pipelines.md): 1, 10, 50 and 100 Services in one invocation of
// the built CLI (dist/cli.js, `--manifest '<dir>/*.yaml'`), and 3 waves of 2 clusters, each
// against fresh emulators (real HTTP servers, in this process) so no run inherits another's
// state. Every Service is first deployed at v1, then v2 is rolled out and measured: healthy
// candidates, steps 50,100, so each Service analyses one step and promotes. For each run:
// wall time, API requests by verb (the emulators' request logs), and the child's own peak
// RSS and CPU time (process.resourceUsage() at its exit: lib/processes.ts). Ratios are
// against the 1-Service run measured first in the same run; with the default max-parallel
// (10) 100 Services go in 10 turns, so they are measured at max-parallel 100 as well.
// Writes bench/results/scale.md beside scale.json (lib/scale-report.ts).

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator, type Emulator } from '../emulator/emulator.js'
import { serviceYaml } from '../test/helpers/service-yaml.js'
import { addCounts, requestsByVerb, unitTimes } from './lib/api-requests.js'
import { execMeasured, runQueueWaitMs } from './lib/processes.js'
import { scaleMarkdown, scaleTargets, withRatios, type ScaleRow } from './lib/scale-report.js'

const NODE = join('node_modules', '.bin', 'node')
const SIZES = [1, 10, 50, 100]
const PARALLEL = [10, 100]
const WAVES = 3
const CLUSTERS_PER_WAVE = 2
const WAVE_SERVICES = [1, 10]
/**
 * One analysed step of 2 s per Service at the default probe rate (10 req/s to each side):
 * 20 requests a side, so min-requests 10 passes without extending the step on a loaded
 * machine. The p99 guard is loose: this measures the driver, not the judge.
 */
const ROLLOUT = {
  steps: '50,100',
  'step-interval': '2s',
  'probe-rps': '10',
  'min-requests': '10',
  'max-latency-p99': '10s',
  timeout: '5m'
}

export async function runScaleBench(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-scale-'))
  try {
    const rows: ScaleRow[] = []
    for (const services of SIZES)
      for (const maxParallel of PARALLEL) {
        // Up to 10 Services, max-parallel 100 is max-parallel 10: the same run.
        if (services <= Math.min(...PARALLEL) && maxParallel !== PARALLEL[0]) continue
        rows.push(log(await servicesRun(dir, services, maxParallel)))
      }
    for (const services of WAVE_SERVICES) rows.push(log(await wavesRun(dir, services)))
    const measured = withRatios(rows)
    const result = {
      what: 'one invocation of the built CLI rolling out many Services (manifest glob) and 3 waves of 2 clusters, against fresh emulators',
      rollout: ROLLOUT,
      cores: availableParallelism(),
      measurement:
        "wall time from spawn to exit; API requests from the emulators' request logs (WATCH = GET ?watch); peak RSS and CPU time are the CLI process's own (process.resourceUsage() at exit); ratios against the 1-Service run of this same bench run",
      targets: scaleTargets(measured),
      rows: measured
    }
    writeFileSync('bench/results/scale.md', scaleMarkdown(result))
    return result
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function log(row: ScaleRow): ScaleRow {
  console.log(
    `${row.label.padEnd(34)} ${(row.wallMs / 1000).toFixed(1).padStart(6)} s  ${String(row.requests.total).padStart(6)} requests  ${row.peakRssMb.toFixed(0).padStart(4)} MB  cpu ${(row.cpuMs.total / 1000).toFixed(1)} s  waited ${(row.runQueueWaitMs / 1000).toFixed(1)} s  emulator cpu ${(row.emulator.cpuMs / 1000).toFixed(1)} s waited ${(row.emulator.runQueueWaitMs / 1000).toFixed(1)} s  load ${row.loadAverage.before.toFixed(1)}`
  )
  return row
}

/** n Services on one fresh emulator: v1 deployed, then v2 rolled out and measured. */
async function servicesRun(dir: string, services: number, maxParallel: number): Promise<ScaleRow> {
  const emulator = await startEmulator()
  try {
    const glob = await manifests(dir, `services-${services}-p${maxParallel}`, services)
    const env = { ...process.env, KUBECONFIG: emulator.kubeconfigPath }
    const ingress = ['--ingress-address', emulator.ingressUrl]
    await rollout(env, [
      '--manifest',
      glob.path,
      '--steps',
      '100',
      '--max-parallel',
      '100',
      ...ingress
    ])
    await glob.write('v2')
    emulator.api.audit.clear()
    const { startedAt, ...run } = await rollout(env, [
      '--manifest',
      glob.path,
      '--max-parallel',
      String(maxParallel),
      ...ingress,
      ...flags(ROLLOUT)
    ])
    return {
      label: `${services} service${services > 1 ? 's' : ''}, max-parallel ${maxParallel}`,
      services,
      waves: 1,
      clusters: 1,
      units: services,
      maxParallel,
      ...run,
      requests: counted([emulator], services),
      times: unitTimes([emulator], startedAt)
    }
  } finally {
    await emulator.stop()
  }
}

/** 3 waves of 2 fresh emulators each, n Services in every cluster, at the default max-parallel. */
async function wavesRun(dir: string, services: number): Promise<ScaleRow> {
  const clusters = WAVES * CLUSTERS_PER_WAVE
  const emulators: Emulator[] = []
  try {
    for (let i = 0; i < clusters; i++) emulators.push(await startEmulator())
    const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig') }
    for (const [i, e] of emulators.entries())
      env[`SCALE_KUBECONFIG_${i + 1}`] = await readFile(e.kubeconfigPath, 'utf8')
    const waves = wavesYaml(emulators)
    const glob = await manifests(dir, `waves-${services}`, services)
    await rollout(env, ['--manifest', glob.path, '--steps', '100', '--waves', waves])
    await glob.write('v2')
    for (const e of emulators) e.api.audit.clear()
    const maxParallel = 10
    const { startedAt, ...run } = await rollout(env, [
      '--manifest',
      glob.path,
      '--waves',
      waves,
      '--max-parallel',
      String(maxParallel),
      ...flags(ROLLOUT)
    ])
    return {
      label: `${WAVES} waves × ${CLUSTERS_PER_WAVE} clusters, ${services} service${services > 1 ? 's' : ''}`,
      services,
      waves: WAVES,
      clusters,
      units: services * clusters,
      maxParallel,
      ...run,
      requests: counted(emulators, services * clusters),
      times: unitTimes(emulators, startedAt)
    }
  } finally {
    for (const e of emulators) await e.stop()
  }
}

function wavesYaml(emulators: Emulator[]): string {
  const lines: string[] = []
  for (let w = 0; w < WAVES; w++) {
    lines.push(`- name: wave-${w + 1}`, '  clusters:')
    for (let c = 0; c < CLUSTERS_PER_WAVE; c++) {
      const i = w * CLUSTERS_PER_WAVE + c
      lines.push(
        `    - {name: cluster-${i + 1}, kubeconfig-env: SCALE_KUBECONFIG_${i + 1}, ingress-address: "${emulators[i]!.ingressUrl}"}`
      )
    }
  }
  return lines.join('\n') + '\n'
}

/** `<dir>/<name>/svc-NNN.yaml` for n Services; `write(version)` rewrites them at that image. */
async function manifests(dir: string, name: string, n: number) {
  const sub = join(dir, name)
  await mkdir(sub, { recursive: true })
  const write = async (version: string) => {
    for (let i = 1; i <= n; i++) {
      const service = `svc-${String(i).padStart(3, '0')}`
      await writeFile(
        join(sub, `${service}.yaml`),
        serviceYaml(service, `ghcr.io/acme/${service}:${version}`)
      )
    }
  }
  await write('v1')
  return { path: join(sub, '*.yaml'), write }
}

/** One `knative-rollout rollout` to its end; every Service must end promoted. */
async function rollout(env: NodeJS.ProcessEnv, args: string[]) {
  const emulatorCpu = process.cpuUsage()
  const emulatorWait = runQueueWaitMs()
  const loadBefore = loadavg()[0]!
  const startedAt = Date.now()
  const run = await execMeasured(NODE, ['dist/cli.js', 'rollout', ...args], env)
  const served = process.cpuUsage(emulatorCpu)
  const last = run.stdout.trim().split('\n').pop() ?? ''
  let out: { result?: string; results?: { service: string; result: string; reason?: string }[] }
  try {
    out = JSON.parse(last) as typeof out
  } catch {
    throw new Error(`the CLI printed no result (exit ${run.status}): ${run.stderr.slice(-800)}`)
  }
  const results: Record<string, number> = {}
  for (const r of out.results ?? []) results[r.result] = (results[r.result] ?? 0) + 1
  if (out.result !== 'promoted' || run.status !== 0)
    throw new Error(
      `a bench rollout ended ${out.result} (${JSON.stringify(results)}): ${(out.results ?? [])
        .filter((r) => r.result !== 'promoted')
        .map((r) => `${r.service} ${r.result}: ${r.reason}`)
        .join('; ')}`
    )
  return {
    startedAt,
    wallMs: Math.round(run.wallMs),
    peakRssMb: Math.round(run.peakRssMb * 10) / 10,
    peakHeapMb: {
      used: Math.round(run.peakHeapMb.used * 10) / 10,
      total: Math.round(run.peakHeapMb.total * 10) / 10
    },
    cpuMs: {
      user: Math.round(run.cpuMs.user),
      system: Math.round(run.cpuMs.system),
      total: Math.round(run.cpuMs.user + run.cpuMs.system)
    },
    runQueueWaitMs: Math.round(run.runQueueWaitMs),
    // This process serves the emulators and waits: its CPU time is theirs.
    emulator: {
      cpuMs: Math.round((served.user + served.system) / 1000),
      runQueueWaitMs: Math.round(runQueueWaitMs() - emulatorWait)
    },
    loadAverage: { before: loadBefore, after: loadavg()[0]! },
    results
  }
}

function counted(emulators: Emulator[], units: number): ScaleRow['requests'] {
  const byVerb = addCounts(...emulators.map(requestsByVerb))
  const total = Object.values(byVerb).reduce((a, b) => a + b, 0)
  return { total, byVerb, perUnit: Math.round((total / units) * 10) / 10 }
}

const flags = (o: Record<string, string>) => Object.entries(o).flatMap(([k, v]) => [`--${k}`, v])
