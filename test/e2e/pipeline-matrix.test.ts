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
import { withEmulator, type TestEmulator } from '../helpers/emulator.js'
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

/** `${{ matrix.x }}` and `${{ secrets[matrix.x] }}`; any other expression fails the test. */
function evaluate(value: string, matrix: Record<string, string>, secrets: Record<string, string>) {
  return value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    let m = /^matrix\.([\w-]+)$/.exec(expr)
    if (m) return matrix[m[1]]
    m = /^secrets\[matrix\.([\w-]+)\]$/.exec(expr)
    if (m) return secrets[matrix[m[1]]]
    throw new Error(`the test does not evaluate \${{ ${expr} }}`)
  })
}

interface JobRun {
  job: string
  cluster: string
  outcome: PipelineOutcome
}

/** Runs the workflow: a job starts when every job it needs succeeded (GitHub skips it otherwise). */
async function runWorkflow(run: number): Promise<JobRun[]> {
  const secrets: Record<string, string> = {}
  for (const [name, emulator] of Object.entries(emulators))
    secrets[`KUBECONFIG_${name.toUpperCase()}`] = await readFile(emulator().kubeconfigPath, 'utf8')
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
    const job = workflow.jobs[name]
    const step = job.steps.find((s) => s.uses?.startsWith('acme/knative-rollout'))!
    const ends = await Promise.all(
      job.strategy.matrix.include.map(async (matrix) => {
        const given = Object.fromEntries(
          Object.entries(step.with!).map(([k, v]) => [k, evaluate(String(v), matrix, secrets)])
        )
        const all: Record<string, string> = {
          ...given,
          ...FAST,
          'ingress-address': emulators[matrix.cluster]().ingressUrl
        }
        const outcome = await runPipeline(
          parseInputs((n) => all[n]),
          {
            clock: wallClock,
            log: memoryLogger(),
            env: { GITHUB_WORKSPACE: workspace, GITHUB_SHA: `${run}`.padStart(7, '0') + 'abcdef' },
            me: {
              id: `acme/shop/runs/${run}`,
              url: `https://github.com/acme/shop/actions/runs/${run}`
            }
          }
        )
        return { job: name, cluster: matrix.cluster, outcome }
      })
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
