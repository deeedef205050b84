// Control-plane overhead per step: what a rollout costs beyond the analysis it was asked
// for. Two whole-process rollouts (the built CLI, dist/cli.js) against one emulator, with 1
// and with 9 analysed steps of 1 s; the difference less 8 intervals, over 8, is the cost
// of one step (writes, waits, looks). The baseline, in the same run on the same emulator:
// a shell's `kubectl patch` of the split + `kubectl wait` until status.traffic shows it.
// The cluster's own share (its controller's reconcile delays) is measured apart by a bare
// client and reported beside both. Also the API requests per step by verb, from the
// emulator's request log. The emulator
// runs in this process, so children are awaited, never spawned synchronously.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startEmulator, type Emulator } from '../emulator/emulator.js'
import { requestsByVerb } from './lib/api-requests.js'
import { exec } from './lib/processes.js'
import { wallClock } from '../src/clock.js'
import { parseInputs } from '../src/inputs.js'
import { terminalLogger } from '../src/log.js'
import type { StepReport } from '../src/report/types.js'
import { run } from '../src/run.js'

const NODE = join('node_modules', '.bin', 'node')
const INTERVAL_MS = 1_000
const SHORT = '50,100' // one analysed step
const LONG = '10,20,30,40,50,60,70,80,90,100' // nine analysed steps
const EXTRA_STEPS = 8
const ROUNDS = 3

interface Rollout {
  ms: number
  result: string
  byVerb: Record<string, number>
}

export async function runEngineOverheadBench(): Promise<Record<string, unknown>> {
  const atDefault = await measure()
  // The emulator's controller waits statusDelayMs (20 ms) before each stage it reconciles
  // (Service, Route, Service again): about 60 ms of every step, ours and kubectl's alike, is
  // the cluster's. Measured again with no delay: what is left is the two clients' own cost.
  const noDelay = await measure(0)
  return {
    ...atDefault,
    inProcessBetweenStepsMs: await betweenSteps(),
    withStatusDelay0: {
      inProcessBetweenStepsMs: await betweenSteps(0),
      overheadPerStepMs: noDelay.overheadPerStepMs,
      kubectlPatchWaitPerStepMs: noDelay.kubectlPatchWaitPerStepMs,
      ratioKubectlOverOurs: noDelay.ratioKubectlOverOurs,
      clusterFloorPerStepMs: noDelay.clusterFloorPerStepMs,
      overheadBeyondClusterPerStepMs: noDelay.overheadBeyondClusterPerStepMs,
      ratioKubectlOverOursBeyondCluster: noDelay.ratioKubectlOverOursBeyondCluster,
      rolloutMs: noDelay.rolloutMs
    }
  }
}

async function measure(statusDelayMs?: number) {
  const emulator = await startEmulator(statusDelayMs === undefined ? {} : { statusDelayMs })
  try {
    const env = { ...process.env, KUBECONFIG: emulator.kubeconfigPath }
    let version = 1
    await cli(env, emulator, ['--image', `ghcr.io/acme/bench:${version}`, '--steps', '100'])
    const short: Rollout[] = []
    const long: Rollout[] = []
    for (let round = 0; round < ROUNDS; round++) {
      short.push(await rollout(env, emulator, ++version, SHORT))
      long.push(await rollout(env, emulator, ++version, LONG))
    }
    const bad = [...short, ...long].filter((r) => r.result !== 'promoted')
    if (bad.length) throw new Error(`a bench rollout ended ${bad.map((r) => r.result).join(', ')}`)
    const perStepMs =
      (median(long.map((r) => r.ms)) - median(short.map((r) => r.ms)) - EXTRA_STEPS * INTERVAL_MS) /
      EXTRA_STEPS
    const kubectlMs = await kubectlLoop(env)
    const floorMs = await clusterFloor(emulator)
    const perStepRequests = Object.fromEntries(
      [...new Set(Object.keys({ ...long[0]!.byVerb, ...short[0]!.byVerb }))].map((verb) => [
        verb,
        ((long[0]!.byVerb[verb] ?? 0) - (short[0]!.byVerb[verb] ?? 0)) / EXTRA_STEPS
      ])
    )
    const writesPerStep =
      (perStepRequests.PUT ?? 0) + (perStepRequests.PATCH ?? 0) + (perStepRequests.POST ?? 0)
    return {
      statusDelayMs: emulator.settings.statusDelayMs,
      what: 'control-plane overhead per analysed step, whole-process CLI vs a kubectl patch + wait loop',
      stepIntervalMs: INTERVAL_MS,
      rounds: ROUNDS,
      rolloutMs: { oneStep: short.map((r) => r.ms), nineSteps: long.map((r) => r.ms) },
      overheadPerStepMs: Math.round(perStepMs),
      kubectlPatchWaitPerStepMs: Math.round(kubectlMs),
      ratioKubectlOverOurs: perStepMs > 0 ? round2(kubectlMs / perStepMs) : null,
      clusterFloorPerStepMs: Math.round(floorMs),
      overheadBeyondClusterPerStepMs: Math.round(perStepMs - floorMs),
      kubectlBeyondClusterPerStepMs: Math.round(kubectlMs - floorMs),
      ratioKubectlOverOursBeyondCluster:
        perStepMs > floorMs ? round2((kubectlMs - floorMs) / (perStepMs - floorMs)) : null,
      requestsPerStepByVerb: perStepRequests,
      requestsPerRolloutByVerb: long[0]!.byVerb,
      writesPerStep,
      targets: {
        overheadPerStepMs: '≤ 50',
        ratioKubectlOverOurs: '≥ 10',
        writesPerStep: '≤ 3',
        overheadBeyondClusterPerStepMs: "≤ 50 (the cluster floor is no client's cost)"
      }
    }
  } finally {
    await emulator.stop()
  }
}

/**
 * The same nine-step rollout run in this process (run.ts with the real adapters), its steps'
 * own start and end times: per step, the gap from one step's analysis ending to the next
 * one's starting (drift read, the split written, its status awaited), and how far each
 * analysis ran past its interval. Finer than whole processes on a loaded machine.
 */
async function betweenSteps(statusDelayMs?: number): Promise<Record<string, number>> {
  const emulator = await startEmulator(statusDelayMs === undefined ? {} : { statusDelayMs })
  try {
    const kubeconfig = readFileSync(emulator.kubeconfigPath, 'utf8')
    const log = terminalLogger({ write: () => undefined })
    const once = async (version: number, steps: string, onStep?: (s: StepReport) => void) => {
      const flags: Record<string, string> = {
        command: 'rollout',
        service: 'bench',
        image: `ghcr.io/acme/bench:${version}`,
        steps,
        'step-interval': `${INTERVAL_MS}ms`,
        'probe-rps': '20',
        'max-latency-p99': '10s',
        'min-requests': '10',
        'ingress-address': emulator.ingressUrl,
        timeout: '5m',
        kubeconfig
      }
      const out = await run(
        parseInputs((n) => flags[n]),
        { clock: wallClock, log, env: {}, onStep }
      )
      if (out.result !== 'promoted') throw new Error(`in-process rollout: ${out.result}`)
    }
    await once(1, '100')
    const steps: StepReport[] = []
    await once(2, LONG, (s) => steps.push(s))
    const gaps = steps.slice(1).map((s, i) => s.startedAt! - steps[i]!.endedAt!)
    const tails = steps.map((s) => s.endedAt! - s.startedAt! - INTERVAL_MS)
    return {
      statusDelayMs: emulator.settings.statusDelayMs,
      medianGapMs: Math.round(median(gaps)),
      medianAnalysisTailMs: Math.round(median(tails.filter((t) => t < INTERVAL_MS / 2))),
      medianOverheadPerStepMs: Math.round(
        median(gaps) + median(tails.filter((t) => t < INTERVAL_MS / 2))
      )
    }
  } finally {
    await emulator.stop()
  }
}

async function rollout(
  env: NodeJS.ProcessEnv,
  emulator: Emulator,
  version: number,
  steps: string
): Promise<Rollout> {
  emulator.api.audit.clear()
  const started = performance.now()
  const out = await cli(env, emulator, [
    '--image',
    `ghcr.io/acme/bench:${version}`,
    '--revision-name',
    `bench-v${version}`,
    '--steps',
    steps,
    '--step-interval',
    `${INTERVAL_MS}ms`,
    '--probe-rps',
    '20',
    '--max-latency-p99',
    '10s',
    '--min-requests',
    '10'
  ])
  const ms = performance.now() - started
  return { ms, result: out.result, byVerb: requestsByVerb(emulator) }
}

async function cli(
  env: NodeJS.ProcessEnv,
  emulator: Emulator,
  args: string[]
): Promise<{ result: string }> {
  const run = await exec(
    NODE,
    [
      'dist/cli.js',
      'rollout',
      '--service',
      'bench',
      '--ingress-address',
      emulator.ingressUrl,
      '--timeout',
      '5m',
      ...args
    ],
    env
  )
  const last = run.stdout.trim().split('\n').pop() ?? '{}'
  try {
    return JSON.parse(last) as { result: string }
  } catch {
    throw new Error(`the CLI printed no result (exit ${run.status}): ${run.stderr.slice(-500)}`)
  }
}

/** Per step: kubectl patch of the split, then kubectl wait until status.traffic shows it. */
async function kubectlLoop(env: NodeJS.ProcessEnv): Promise<number> {
  const current = 'bench-v' + String(2 * ROUNDS + 1)
  const previous = 'bench-v' + String(2 * ROUNDS)
  const started = performance.now()
  for (let i = 1; i <= EXTRA_STEPS; i++) {
    const percent = i * 10
    const traffic = [
      { tag: 'current', revisionName: current, percent: 100 - percent },
      { tag: 'candidate', revisionName: previous, percent }
    ]
    const kubectl = async (args: string[]) => {
      const r = await exec('kubectl', args, env)
      if (r.status !== 0) throw new Error(`kubectl ${args[0]}: ${r.stderr}`)
    }
    await kubectl([
      'patch',
      'ksvc',
      'bench',
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { traffic } })
    ])
    await kubectl([
      'wait',
      'ksvc/bench',
      `--for=jsonpath={.status.traffic[1].percent}=${percent}`,
      '--timeout=60s'
    ])
  }
  return (performance.now() - started) / EXTRA_STEPS
}

/**
 * The cluster's own share of a step: the same split change as the kubectl loop, sent by a
 * bare in-process client (one merge patch of the split and an annotation, then GETs back to
 * back until status.traffic shows it). No client can see the change sooner, so what ours
 * and kubectl's take beyond this is theirs; with statusDelayMs 20, about three controller
 * delays (Service, Route, Service).
 */
async function clusterFloor(emulator: Emulator): Promise<number> {
  const token = /token: (\S+)/.exec(readFileSync(emulator.kubeconfigPath, 'utf8'))?.[1]
  const url = `${emulator.apiUrl}/apis/serving.knative.dev/v1/namespaces/default/services/bench`
  const headers = { authorization: `Bearer ${token}` }
  const get = async () => {
    const r = await fetch(url, { headers })
    return (await r.json()) as { status?: { traffic?: { percent?: number }[] } }
  }
  const current = 'bench-v' + String(2 * ROUNDS + 1)
  const previous = 'bench-v' + String(2 * ROUNDS)
  const times: number[] = []
  for (let i = 1; i <= EXTRA_STEPS; i++) {
    const percent = 100 - i * 10 // back down from the kubectl loop's last split
    const traffic = [
      { tag: 'current', revisionName: current, percent: 100 - percent },
      { tag: 'candidate', revisionName: previous, percent }
    ]
    // Idle first, as a rollout's step is: a patch landing while the controller still has a
    // reconcile pending from the last one would be reflected early (the debounce), and the
    // floor would be lower than any step's.
    await new Promise((r) => setTimeout(r, 300))
    const started = performance.now()
    const patched = await fetch(url, {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/merge-patch+json' },
      // The same change as a step's write: the split and an annotation (ours carries the
      // rollout's state). Knative copies a Service's annotations to its Configuration, so
      // an annotation costs the controller a pass a bare split would not.
      body: JSON.stringify({
        metadata: { annotations: { 'bench.knative-rollout.dev/step': String(i) } },
        spec: { traffic }
      })
    })
    if (!patched.ok) throw new Error(`floor patch: HTTP ${patched.status}`)
    while ((await get()).status?.traffic?.[1]?.percent !== percent) continue
    times.push(performance.now() - started)
  }
  return median(times)
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}
