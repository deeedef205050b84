// examples/pipeline-matrix.yml run as GitHub would run it, against three emulators (one per
// cluster): its jobs in the order of `needs:`, each matrix entry of a job at once, every
// entry's `with:` evaluated (matrix values, secrets) and given to runPipeline() as the
// action's entry does. Only the analysis is made fast (step-interval and the probes) and
// each cluster's ingress address added, since the emulators' ingress is on a local port.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { parseInputs } from '../../src/inputs.js'
import { wallClock } from '../../src/clock.js'
import { exitCodeFor } from '../../src/rollout/result.js'
import { runPipeline, type PipelineOutcome } from '../../src/pipeline/run-pipeline.js'
import { eventually, withEmulator, type TestEmulator } from '../helpers/emulator.js'
import { readLease, readState } from '../../src/rollout/state.js'
import { FAST, rolloutRig, split } from '../helpers/rollout-e2e.js'
import { memoryLogger } from '../helpers/memory-logger.js'
import { serviceYaml } from '../helpers/service-yaml.js'
import { auditLog, writesIn } from '../helpers/dist-run.js'

interface Job {
  needs?: string | string[]
  strategy: { matrix: { include: Record<string, string>[] } }
  steps: { uses?: string; with?: Record<string, string | number> }[]
}
const workflow = parse(
  await readFile(new URL('../../examples/pipeline-matrix.yml', import.meta.url), 'utf8')
) as { jobs: Record<string, Job> }

const emulators: Record<string, () => TestEmulator> = {
  staging: withEmulator(),
  eu: withEmulator(),
  us: withEmulator()
}
let workspace: string
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'pipeline-matrix-'))
})
afterAll(() => rm(workspace, { recursive: true, force: true }))

/**
 * `${{ matrix.x }}`, `${{ secrets[matrix.x] }}` and `${{ strategy.job-index }}`; any other
 * expression fails the test.
 */
function evaluate(value: string, leg: Pick<Leg, 'matrix' | 'secrets' | 'index'>) {
  return value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    if (expr === 'strategy.job-index') return String(leg.index)
    let m = /^matrix\.([\w-]+)$/.exec(expr)
    if (m) return leg.matrix[m[1]]
    m = /^secrets\[matrix\.([\w-]+)\]$/.exec(expr)
    if (m) return leg.secrets[leg.matrix[m[1]]]
    throw new Error(`the test does not evaluate \${{ ${expr} }}`)
  })
}

interface JobRun {
  job: string
  cluster: string
  outcome: PipelineOutcome
}

/** The kubeconfig secrets, as the workflow's `secrets[matrix.kubeconfig]` reads them. */
async function secretsOf(): Promise<Record<string, string>> {
  const secrets: Record<string, string> = {}
  for (const [name, emulator] of Object.entries(emulators))
    secrets[`KUBECONFIG_${name.toUpperCase()}`] = await readFile(emulator().kubeconfigPath, 'utf8')
  return secrets
}

interface Leg {
  run: number
  job: string
  matrix: Record<string, string>
  /** The entry's place in the matrix (`strategy.job-index`). */
  index: number
  secrets: Record<string, string>
  /** GITHUB_JOB, when not `job` (another job of the run on the same cluster). */
  githubJob?: string
  signal?: AbortSignal
  /** Inputs over the `with:` (and FAST). */
  extra?: Record<string, string>
}

/**
 * One matrix entry of one job: its `with:` evaluated, given to runPipeline() as the action's
 * entry gives it, with the runner's GITHUB_* variables (the lease holder is taken from them).
 */
function runLeg(leg: Leg): Promise<PipelineOutcome> {
  const step = workflow.jobs[leg.job].steps.find((s) => s.uses?.startsWith('acme/knative-rollout'))!
  const given = Object.fromEntries(
    Object.entries(step.with!).map(([k, v]) => [k, evaluate(String(v), leg)])
  )
  const all: Record<string, string> = {
    ...given,
    ...FAST,
    'ingress-address': emulators[leg.matrix.cluster]().ingressUrl,
    ...leg.extra
  }
  return runPipeline(
    parseInputs((n) => all[n]),
    {
      clock: wallClock,
      log: memoryLogger(),
      signal: leg.signal,
      env: {
        GITHUB_WORKSPACE: workspace,
        GITHUB_SHA: `${leg.run}`.padStart(7, '0') + 'abcdef',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_RUN_ID: `${leg.run}`,
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_JOB: leg.githubJob ?? leg.job
      }
    }
  )
}

/** Runs the workflow: a job starts when every job it needs succeeded (GitHub skips it otherwise). */
async function runWorkflow(run: number): Promise<JobRun[]> {
  const secrets = await secretsOf()
  const done = new Map<string, boolean>()
  const runs: JobRun[] = []
  const pending = Object.keys(workflow.jobs)
  while (pending.length) {
    const name = pending.find((j) => needsOf(j).every((n) => done.has(n)))!
    pending.splice(pending.indexOf(name), 1)
    if (!needsOf(name).every((n) => done.get(n))) {
      done.set(name, false)
      continue
    }
    const ends = await Promise.all(
      workflow.jobs[name].strategy.matrix.include.map(async (matrix, index) => ({
        job: name,
        cluster: matrix.cluster,
        outcome: await runLeg({ run, job: name, matrix, index, secrets })
      }))
    )
    runs.push(...ends)
    done.set(
      name,
      ends.every((e) => exitCodeFor(e.outcome.outcome) === 0)
    )
  }
  return runs
}
const needsOf = (job: string) => [workflow.jobs[job].needs ?? []].flat()

async function release(version: string, env: Record<string, Record<string, string>> = {}) {
  await rm(join(workspace, 'deploy'), { recursive: true, force: true })
  await mkdir(join(workspace, 'deploy'), { recursive: true })
  for (const service of ['mx-a', 'mx-b'])
    await writeFile(
      join(workspace, 'deploy', `${service}.yaml`),
      serviceYaml(service, `docker.io/acme/${service}:${version}`, {
        EMULATOR_LATENCY_MS: '20',
        ...env[service]
      })
    )
}
const summary = (runs: JobRun[]) =>
  runs.flatMap((r) =>
    r.outcome.results.map((x) => `${r.job}/${r.cluster}/${x.service}:${x.result}`)
  )

test('the workflow as written: staging, then both production clusters; a bad release stops in staging', async () => {
  await release('v1')
  const first = await runWorkflow(1)
  expect(summary(first)).toEqual([
    'staging/staging/mx-a:promoted',
    'staging/staging/mx-b:promoted',
    'production/eu/mx-a:promoted',
    'production/eu/mx-b:promoted',
    'production/us/mx-a:promoted',
    'production/us/mx-b:promoted'
  ])

  await release('v2')
  const second = await runWorkflow(2)
  expect(summary(second).every((s) => s.endsWith(':promoted'))).toBe(true)
  const rig = await rolloutRig(emulators.us())
  expect(split(await rig.service('mx-b'))[0]).toBe(
    `current:${second.at(-1)!.outcome.results[1].revision}:100`
  )
  await rig.cleanup()

  await release('v3', { 'mx-b': { EMULATOR_ERROR_RATE: '0.5' } })
  const before = await Promise.all(
    [emulators.eu(), emulators.us()].map(async (e) => (await auditLog(e.apiUrl)).length)
  )
  const bad = await runWorkflow(3)
  // needs: staging failed, so GitHub never starts production.
  expect(summary(bad)).toEqual([
    'staging/staging/mx-a:promoted',
    'staging/staging/mx-b:rolled-back'
  ])
  const after = await Promise.all([emulators.eu(), emulators.us()].map((e) => auditLog(e.apiUrl)))
  expect(after.map((entries, i) => writesIn(entries.slice(before[i])))).toEqual([[], []])
})

test('two runs meeting on one Service in one cluster: the lease lets one through, the other fails before any traffic write', async () => {
  await release('v4')
  const job = workflow.jobs.staging
  expect(job.strategy.matrix.include.map((m) => m.cluster)).toEqual(['staging'])
  const [a, b] = await Promise.all([runWorkflow(10), runWorkflow(11)])
  const staged = [a, b].map((runs) => runs.filter((r) => r.job === 'staging')[0].outcome.results)
  const results = staged.flatMap((rows) => rows.map((r) => `${r.service}:${r.result}`)).sort()
  expect(results).toEqual(['mx-a:failed', 'mx-a:promoted', 'mx-b:failed', 'mx-b:promoted'])
  for (const row of staged.flat().filter((r) => r.result === 'failed'))
    expect(row.reason).toMatch(
      /has a rollout in progress held by https:\/\/github\.com\/acme\/shop\/actions\/runs\/1[01]/
    )
})

// Two jobs of ONE workflow run (the same GITHUB_RUN_ID) meet on one Service in one cluster:
// a second matrix entry given the same cluster by mistake (the same GITHUB_JOB, another
// strategy.job-index, which the example passes as job-key), or another job of the run
// pointed at it. The second must see the first's lease as another's, not its own.
test.each([
  { name: 'a second matrix entry of the same job', githubJob: 'staging', index: 1 },
  { name: 'another job of the same run', githubJob: 'hotfix', index: 0 }
])(
  'one run, $name, on the first one’s cluster: refused naming the first, with no write',
  async ({ githubJob, index }) => {
    const run = githubJob === 'hotfix' ? 21 : 20
    await release(`v${run}`)
    const secrets = await secretsOf()
    const staging = emulators.staging()
    const matrix = workflow.jobs.staging.strategy.matrix.include[0]
    const stop = new AbortController()
    // The first holds both Services mid-step: a long step, so it is surely still there.
    const first = runLeg({
      run,
      job: 'staging',
      matrix,
      index: 0,
      secrets,
      signal: stop.signal,
      extra: { 'step-interval': '30s', timeout: '10m' }
    })
    const rig = await rolloutRig(staging)
    try {
      await eventually(async () => {
        const held = await Promise.all(['mx-a', 'mx-b'].map((s) => rig.service(s)))
        return held.every(
          (s) =>
            readLease(s)?.holder === `acme/shop/runs/${run}/jobs/staging[0]` &&
            readState(s)?.percent === 10
        )
      }, 'the first job to hold both Services at 10%')

      // The second authenticates with a token of its own: its requests are its own in the log.
      const own = secrets[matrix.kubeconfig].replace(/token: .*/, 'token: second-job-token')
      const before = (await auditLog(staging.apiUrl)).length
      const second = await runLeg({
        run,
        job: 'staging',
        githubJob,
        matrix,
        index,
        secrets: { ...secrets, [matrix.kubeconfig]: own }
      })
      const mine = (await auditLog(staging.apiUrl))
        .slice(before)
        .filter((e) => e.user === 'system:anonymous')
      expect(second.results.map((r) => `${r.service}:${r.result}`)).toEqual([
        'mx-a:failed',
        'mx-b:failed'
      ])
      for (const row of second.results)
        expect(row.reason).toBe(
          `service "${row.service}" has a rollout in progress held by https://github.com/acme/shop/actions/runs/${run}/attempts/1 (job staging[0]) (lease expires in ${/in (\d+)s/.exec(row.reason!)![1]}s unless renewed); set wait-for-lock to wait for it`
        )
      // It read the Services (so the log does tell its requests apart) and wrote nothing.
      expect(mine.filter((e) => e.method === 'GET').length).toBeGreaterThan(0)
      expect(writesIn(mine)).toEqual([])
    } finally {
      stop.abort()
      await first
      await rig.cleanup()
    }
    // The first, cancelled, put its own candidates back: its lease was never broken.
    expect((await first).results.map((r) => r.result)).toEqual(['aborted', 'aborted'])
  },
  90_000
)
