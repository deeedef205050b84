// traffic-owner git's extra latency per step against traffic-owner action, on the same
// emulator in the same run. Each mode rolls out with 1 and with 9 analysed steps of 1 s; the
// difference less 8 intervals, over 8, is one step's cost beyond its analysis. In git mode a
// step is a commit, a push to a bare repository on disk and the Flux stand-in's next sync
// (it polls every POLL_MS, as a Kustomization's interval; Flux's webhook receiver would
// trigger it at once instead): the extra latency is about half a poll plus the push.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator, type Emulator } from '../emulator/emulator.js'
import { start as startFlux } from '../emulator/flux-standin/controller.js'
import { git as gitCli } from '../src/gitops/git-cli.js'
import { wallClock } from '../src/clock.js'
import { parseInputs } from '../src/inputs.js'
import { run } from '../src/run.js'
import { memoryLogger } from '../test/helpers/memory-logger.js'
import { serviceYaml } from '../test/helpers/service-yaml.js'

const INTERVAL_MS = 1_000
const POLL_MS = 200
const SHORT = '50,100'
const LONG = '10,20,30,40,50,60,70,80,90,100'
const ROUNDS = 2

const BENCH = { name: 'Bench', email: 'bench@example.com' }
const git = (cwd: string, ...args: string[]) => gitCli(cwd, BENCH, args)

export async function runGitopsBench(): Promise<Record<string, unknown>> {
  const emulator = await startEmulator()
  const dir = await mkdtemp(join(tmpdir(), 'bench-gitops-'))
  try {
    const kubeconfig = await readKubeconfig(emulator)
    const action = await measure(
      (steps, v) =>
        rollout(emulator, kubeconfig, {
          service: 'bench-a',
          image: `ghcr.io/acme/bench:${v}`,
          steps
        }),
      'action'
    )
    const checkout = await repository(dir)
    const flux = await startFlux({
      repoUrl: join(dir, 'fleet.git'),
      branch: 'main',
      path: 'apps',
      kubeconfig,
      intervalMs: POLL_MS
    })
    try {
      await waitReady(emulator, kubeconfig)
      const gitMode = await measure(async (steps, v) => {
        await git(checkout, 'pull', '--quiet', 'origin', 'main')
        return rollout(emulator, kubeconfig, {
          manifest: join(checkout, 'apps/bench-g.yaml'),
          image: `ghcr.io/acme/bench:${v}`,
          'traffic-owner': 'git',
          'git-branch': 'main',
          steps
        })
      }, 'git')
      return {
        what: "traffic-owner git's extra latency per analysed step over traffic-owner action, same emulator, in-process run()",
        stepIntervalMs: INTERVAL_MS,
        fluxStandinPollMs: POLL_MS,
        rounds: ROUNDS,
        perStepMs: { action: Math.round(action), git: Math.round(gitMode) },
        gitExtraPerStepMs: Math.round(gitMode - action),
        ratioGitOverAction: round2(gitMode / action)
      }
    } finally {
      await flux.stop()
    }
  } finally {
    await emulator.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

/** Per-step cost in ms: (9-step rollout − 1-step rollout − 8 intervals) / 8, medians of ROUNDS. */
async function measure(
  rolloutWith: (steps: string, version: number) => Promise<number>,
  name: string
): Promise<number> {
  let version = 1
  await rolloutWith('100', version++) // the first deploy (action) or a warm-up (git)
  const short: number[] = []
  const long: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    short.push(await rolloutWith(SHORT, ++version))
    long.push(await rolloutWith(LONG, ++version))
  }
  if (![...short, ...long].every(Number.isFinite))
    throw new Error(`a ${name} rollout did not promote`)
  return (median(long) - median(short) - 8 * INTERVAL_MS) / 8
}

async function rollout(
  emulator: Emulator,
  kubeconfig: string,
  flags: Record<string, string>
): Promise<number> {
  const all: Record<string, string> = {
    kubeconfig,
    'ingress-address': emulator.ingressUrl,
    'step-interval': `${INTERVAL_MS}ms`,
    'probe-rps': '20',
    'min-requests': '10',
    'max-latency-p99': '10s',
    'revision-name': `${flags.service ?? 'bench-g'}-${flags.image!.split(':').pop()}`,
    timeout: '5m',
    ...flags
  }
  const started = performance.now()
  const out = await run(
    parseInputs((name) => all[name]),
    { clock: wallClock, log: memoryLogger(), env: {}, me: { id: 'bench' } }
  )
  if (out.result !== 'promoted')
    throw new Error(
      `${flags['traffic-owner'] ?? 'action'} rollout ended ${out.result}: ${out.message}`
    )
  return performance.now() - started
}

async function repository(dir: string): Promise<string> {
  const remote = join(dir, 'fleet.git')
  const checkout = join(dir, 'checkout')
  await git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', remote)
  await git(dir, 'clone', '--quiet', remote, checkout)
  await git(checkout, 'checkout', '--quiet', '-b', 'main')
  await mkdir(join(checkout, 'apps'))
  await writeFile(
    join(checkout, 'apps/bench-g.yaml'),
    serviceYaml('bench-g', 'ghcr.io/acme/bench:0')
  )
  await git(checkout, 'add', '-A')
  await git(checkout, 'commit', '--quiet', '-m', 'bench-g')
  await git(checkout, 'push', '--quiet', 'origin', 'main')
  return checkout
}

const readKubeconfig = (emulator: Emulator): Promise<string> =>
  readFile(emulator.kubeconfigPath, 'utf8')

async function waitReady(emulator: Emulator, kubeconfig: string): Promise<void> {
  const token = /token: (\S+)/.exec(kubeconfig)?.[1]
  for (let i = 0; i < 200; i++) {
    const res = await fetch(
      `${emulator.apiUrl}/apis/serving.knative.dev/v1/namespaces/default/services/bench-g`,
      {
        headers: { authorization: `Bearer ${token}` }
      }
    )
    const svc = res.ok
      ? ((await res.json()) as { status?: { latestReadyRevisionName?: string } })
      : undefined
    if (svc?.status?.latestReadyRevisionName) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('bench-g never became ready')
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const round2 = (n: number) => Math.round(n * 100) / 100
