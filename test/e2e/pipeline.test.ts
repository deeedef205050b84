// Pipelines end to end (docs/pipelines.md): runPipeline(), as the action's entry calls it,
// with the real adapters (client-node, the HTTP prober, the wall clock) against real
// emulators over HTTP — several Services in one run, and two emulators as two clusters in
// two waves, with the emulators' request audit as the record of what each cluster received.

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseInputs } from '../../src/inputs.js'
import { wallClock } from '../../src/clock.js'
import { exitCodeFor } from '../../src/rollout/result.js'
import { runPipeline, type PipelineOutcome } from '../../src/pipeline/run-pipeline.js'
import { renderPipelineSummary } from '../../src/pipeline/summary.js'
import { withEmulator, type TestEmulator } from '../helpers/emulator.js'
import { FAST, rolloutRig, split } from '../helpers/rollout-e2e.js'
import { memoryLogger } from '../helpers/memory-logger.js'
import { serviceYaml } from '../helpers/service-yaml.js'
import { auditLog, writesIn } from '../helpers/dist-run.js'
import { jest } from '@jest/globals'
import { cli } from '../../src/cli.js'

const one = withEmulator()
const two = withEmulator()
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipeline-e2e-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

/** Writes `<dir>/<sub>/<service>.yaml` at image `<version>`; returns its path. */
async function manifest(
  sub: string,
  service: string,
  version: string,
  env: Record<string, string> = {}
) {
  const { mkdir } = await import('node:fs/promises')
  await mkdir(join(dir, sub), { recursive: true })
  const path = join(dir, sub, `${service}.yaml`)
  await writeFile(
    path,
    serviceYaml(service, `docker.io/acme/${service}:${version}`, {
      EMULATOR_LATENCY_MS: '20',
      ...env
    })
  )
  return path
}

/** First deploys `<service>-v1` on the emulator (run() through the rig). */
async function deployV1(emulator: TestEmulator, ...services: string[]) {
  const rig = await rolloutRig(emulator)
  try {
    for (const service of services) await rig.deployV1(service)
  } finally {
    await rig.cleanup()
  }
}

let runs = 0
async function pipeline(
  flags: Record<string, string>,
  env: NodeJS.ProcessEnv = {}
): Promise<PipelineOutcome & { lines: string[] }> {
  const all: Record<string, string> = { ...FAST, steps: '20,100', ...flags }
  const log = memoryLogger()
  const id = ++runs
  const out = await runPipeline(
    parseInputs((name) => all[name]),
    {
      clock: wallClock,
      log,
      env,
      me: { id: `test/pipeline/${id}`, url: `https://github.com/acme/shop/actions/runs/${id}` },
      onStep: (step, unit) => log.info(`[${unit}] step ${step.percent}% ${step.verdict}`),
      onProgress: (progress, unit) => log.info(`[${unit}] progress ${progress.percent}%`)
    }
  )
  return { ...out, lines: log.lines }
}

const kubeconfigOf = async (e: TestEmulator) =>
  (await import('node:fs/promises')).readFile(e.kubeconfigPath, 'utf8')
const writesSince = async (e: TestEmulator, from: number) =>
  writesIn((await auditLog(e.apiUrl)).slice(from))
const auditLength = async (e: TestEmulator) => (await auditLog(e.apiUrl)).length

test('three services from one glob, one bad: two promoted, the bad one rolled back, results per service', async () => {
  await deployV1(one(), 'alpha', 'bravo', 'charlie')
  await manifest('three', 'alpha', 'v2')
  await manifest('three', 'bravo', 'v2', { EMULATOR_ERROR_RATE: '0.5' })
  await manifest('three', 'charlie', 'v2')
  const kubeconfig = await kubeconfigOf(one())
  const out = await pipeline({
    manifest: join(dir, 'three', '*.yaml'),
    kubeconfig,
    'ingress-address': one().ingressUrl
  })
  expect(out.single).toBe(false)
  expect(out.outcome.result).toBe('rolled-back')
  expect(exitCodeFor(out.outcome)).toBe(1)
  expect(out.results).toEqual([
    expect.objectContaining({
      service: 'alpha',
      namespace: 'default',
      wave: '',
      cluster: '',
      result: 'promoted',
      previousRevision: 'alpha-v1',
      reason: ''
    }),
    expect.objectContaining({
      service: 'bravo',
      result: 'rolled-back',
      previousRevision: 'bravo-v1',
      reason: expect.stringMatching(/^step 20%: /)
    }),
    expect.objectContaining({
      service: 'charlie',
      result: 'promoted',
      previousRevision: 'charlie-v1'
    })
  ])
  for (const row of out.results) expect(row.revision).toMatch(new RegExp(`^${row.service}-`))
  const rig = await rolloutRig(one())
  expect(split(await rig.service('alpha'))[0]).toBe(`current:${out.results[0].revision}:100`)
  expect(split(await rig.service('bravo'))[0]).toBe('current:bravo-v1:100')
  expect(split(await rig.service('charlie'))[0]).toBe(`current:${out.results[2].revision}:100`)
  await rig.cleanup()
  // Each service's lines carry its name, so three at once can be told apart.
  expect(
    out.lines.some((l) => l.startsWith('[bravo] ') && /rolled back|rolling back/.test(l))
  ).toBe(true)
  expect(
    out.lines
      .filter((l) => /^\[\w+\] step 20% /.test(l))
      .map((l) => l.split(' ')[0])
      .sort()
  ).toEqual(['[alpha]', '[bravo]', '[charlie]'])
  // So do the progress lines within a step.
  expect(
    [
      ...new Set(out.lines.filter((l) => / progress 20%$/.test(l)).map((l) => l.split(' ')[0]))
    ].sort()
  ).toEqual(['[alpha]', '[bravo]', '[charlie]'])
  // The summary: one table of the services above each one's own page.
  const page = renderPipelineSummary({ ...out, rows: out.results, result: out.outcome.result })
  expect(page).toMatch(/^## ↩️ Rolled back: 3 rollouts \(1 rolled-back, 2 promoted\)/)
  expect(page).toMatch(
    /\| bravo \(default\) \| ↩️ Rolled back \| `bravo-[^`]+` \| `bravo-v1` \| step 20%/
  )
  expect(page.indexOf('| alpha (default)')).toBeLessThan(
    page.indexOf('### ✅ Promoted: alpha in default')
  )
})

test("the API server's warnings on each unit's dry-run write reach that unit's summary", async () => {
  // One client serves both units; the schema's warning for wfield's dropped field is wfield's.
  await manifest('warned', 'wplain', 'v1')
  const field = await manifest('warned', 'wfield', 'v1')
  const { readFile } = await import('node:fs/promises')
  await writeFile(field, (await readFile(field, 'utf8')) + '          bogus: 1\n')
  const out = await pipeline({
    manifest: join(dir, 'warned', '*.yaml'),
    kubeconfig: await kubeconfigOf(one()),
    'ingress-address': one().ingressUrl
  })
  expect(out.results.map((r) => `${r.service}:${r.result}`)).toEqual([
    'wfield:promoted',
    'wplain:promoted'
  ])
  const warningsOf = (service: string) =>
    out.ran.find((r) => r.row.service === service)!.outcome.warnings
  const dropped = 'unknown field "spec.template.spec.containers[0].bogus"'
  const insecure = expect.stringMatching(/^Kubernetes default value is insecure/)
  expect(warningsOf('wfield')).toEqual([dropped, insecure])
  expect(warningsOf('wplain')).toEqual([insecure])
  const page = renderPipelineSummary({ ...out, rows: out.results, result: out.outcome.result })
  const shown = '> ⚠️ **Kubernetes API server warning:** unknown field'
  expect(page.split(shown)).toHaveLength(2)
  const at = page.indexOf(shown)
  expect(page.lastIndexOf('### ✅ Promoted: wfield', at)).toBeGreaterThan(0)
  expect(page.indexOf('### ✅ Promoted: wplain')).toBeGreaterThan(at)
})

function twoWaves(extra = ''): string {
  return `
- name: first
  clusters:
    - {name: one, kubeconfig-env: KC_ONE, ingress-address: "${one().ingressUrl}"}
- name: second
${extra}  clusters:
    - {name: two, kubeconfig-env: KC_TWO, ingress-address: "${two().ingressUrl}"}
`
}
const clusterEnv = async () => ({
  KC_ONE: await kubeconfigOf(one()),
  KC_TWO: await kubeconfigOf(two())
})

test('two clusters in two waves: a bad release stopped in the first makes no request that changes the second', async () => {
  await deployV1(one(), 'delta')
  await deployV1(two(), 'delta')
  const path = await manifest('bad', 'delta', 'v2', { EMULATOR_ERROR_RATE: '0.5' })
  const before = await auditLength(two())
  const out = await pipeline({ manifest: path, waves: twoWaves() }, await clusterEnv())
  expect(out.outcome.result).toBe('rolled-back')
  expect(out.results).toEqual([
    expect.objectContaining({
      service: 'delta',
      wave: 'first',
      cluster: 'one',
      result: 'rolled-back',
      previousRevision: 'delta-v1'
    }),
    expect.objectContaining({
      service: 'delta',
      wave: 'second',
      cluster: 'two',
      result: 'unchanged',
      revision: '',
      reason: 'not started: stage "first" did not promote every service'
    })
  ])
  expect(await writesSince(two(), before)).toEqual([])
  expect(writesIn(await auditLog(one().apiUrl)).length).toBeGreaterThan(0)
})

test('a paused wave (pause-before) is resumed by promote with wave: the second cluster then gets the release', async () => {
  await deployV1(one(), 'echo')
  await deployV1(two(), 'echo')
  const path = await manifest('good', 'echo', 'v2')
  const env = await clusterEnv()
  const before = await auditLength(two())
  const paused = await pipeline({ manifest: path, waves: twoWaves('  pause-before: true\n') }, env)
  expect(paused.outcome.result).toBe('paused')
  expect(exitCodeFor(paused.outcome)).toBe(0)
  expect(paused.results.map((r) => [r.wave, r.result])).toEqual([
    ['first', 'promoted'],
    ['second', 'paused']
  ])
  expect(paused.results[1].reason).toMatch(/command: promote with wave: second/)
  expect(await writesSince(two(), before)).toEqual([])

  const resumed = await pipeline(
    {
      command: 'promote',
      wave: 'second',
      manifest: path,
      waves: twoWaves('  pause-before: true\n')
    },
    env
  )
  expect(resumed.outcome.result).toBe('promoted')
  expect(resumed.results).toEqual([
    expect.objectContaining({
      wave: 'second',
      cluster: 'two',
      result: 'promoted',
      previousRevision: 'echo-v1',
      revision: paused.results[0].revision
    })
  ])
  const rig = await rolloutRig(two())
  expect(split(await rig.service('echo'))[0]).toBe(`current:${paused.results[0].revision}:100`)
  await rig.cleanup()
})

test('fail-fast: one bad service aborts the others still rolling out; each is back on its current', async () => {
  await deployV1(one(), 'foxtrot', 'golf')
  await manifest('ff', 'foxtrot', 'v2', { EMULATOR_ERROR_RATE: '0.5' })
  await manifest('ff', 'golf', 'v2')
  const out = await pipeline({
    manifest: join(dir, 'ff', '*.yaml'),
    kubeconfig: await kubeconfigOf(one()),
    'ingress-address': one().ingressUrl,
    'fail-fast': 'true',
    // golf's steps take long enough to still run when foxtrot fails at its first.
    steps: '20,40,60,80,100'
  })
  expect(out.outcome.result).toBe('rolled-back')
  expect(out.results.map((r) => [r.service, r.result])).toEqual([
    ['foxtrot', 'rolled-back'],
    ['golf', 'aborted']
  ])
  expect(out.results[1].reason).toMatch(/^fail-fast: foxtrot rolled-back; /)
  const rig = await rolloutRig(one())
  expect(split(await rig.service('golf'))[0]).toBe('current:golf-v1:100')
  await rig.cleanup()
})

test('a wave cluster whose kubeconfig variable is unset: failed before any request', async () => {
  const path = await manifest('unset', 'hotel', 'v2')
  const before = [await auditLength(one()), await auditLength(two())]
  const out = await pipeline(
    { manifest: path, waves: twoWaves() },
    { KC_ONE: await kubeconfigOf(one()) }
  )
  expect(out.outcome).toMatchObject({
    result: 'failed',
    reason: 'waves[1].clusters[0].kubeconfig-env: the variable KC_TWO is not set or empty'
  })
  expect(out.results).toEqual([])
  expect((await auditLog(one().apiUrl)).length).toBe(before[0])
  expect((await auditLog(two().apiUrl)).length).toBe(before[1])
})

test('the CLI: status of several services prints the worst result and one entry per service', async () => {
  await deployV1(one(), 'india', 'juliet')
  let stdout = ''
  const out = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((stdout += String(chunk)), true))
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)
  let code: number
  try {
    code = await cli(['status', '--service', 'india,juliet', '--kubeconfig', one().kubeconfigPath])
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
  expect(code).toBe(0)
  const printed = JSON.parse(stdout.trim()) as { result: string; results: unknown[] }
  expect(printed.result).toBe('promoted')
  expect(printed.results).toEqual([
    expect.objectContaining({ service: 'india', result: 'promoted', revision: 'india-v1' }),
    expect.objectContaining({ service: 'juliet', result: 'promoted', revision: 'juliet-v1' })
  ])
})
