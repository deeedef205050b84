// The engine through run() with the real adapters (client-node, the HTTP prober, the wall
// clock) against the emulator over real HTTP: what a user's workflow would see.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseInputs } from '../../src/inputs.js'
import { memoryLogger } from '../helpers/memory-logger.js'
import { wallClock } from '../../src/clock.js'
import { run } from '../../src/run.js'
import { cli } from '../../src/cli.js'
import { createServingClient } from '../../src/knative/client.js'
import { readState } from '../../src/rollout/state.js'
import { exitCodeFor } from '../../src/rollout/result.js'
import type { KService } from '../../src/knative/types.js'
import { jest } from '@jest/globals'
import { withEmulator } from '../helpers/emulator.js'
import { serviceYaml } from '../helpers/service-yaml.js'

const emulator = withEmulator()
let dir: string
let kubeconfig: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rollout-it-'))
  kubeconfig = await readFile(emulator().kubeconfigPath, 'utf8')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const FAST = {
  'step-interval': '1s',
  'probe-rps': '20',
  'min-requests': '10',
  'min-success-rate': '0.95',
  'max-latency-p99': '2s',
  timeout: '2m'
}

async function rollout(flags: Record<string, string>, runId = '1') {
  const get = (name: string) =>
    ({ ...FAST, kubeconfig, 'ingress-address': emulator().ingressUrl, ...flags })[name]
  const log = memoryLogger()
  const outcome = await run(parseInputs(get), {
    clock: wallClock,
    log,
    env: {},
    me: { id: `test/runs/${runId}`, url: `https://github.com/acme/shop/actions/runs/${runId}` }
  })
  return { ...outcome, lines: log.lines }
}

async function manifestFile(name: string, yaml: string): Promise<string> {
  const path = join(dir, `${name}.yaml`)
  await writeFile(path, yaml)
  return path
}

// Both revisions answer in ~20 ms, so scheduling noise of a millisecond on a loaded test
// machine is not a latency regression to the judge (its tolerance is 25% of the median).
function v1Manifest(service: string, image: string, env: Record<string, string> = {}): string {
  return serviceYaml(service, image, { EMULATOR_LATENCY_MS: '20', ...env })
}

async function service(name: string): Promise<KService> {
  const client = createServingClient({ kubeconfig, clock: wallClock, log: memoryLogger() })
  return (await client.getService('default', name))!
}

const split = (svc: KService) =>
  (svc.status?.traffic ?? []).map((t) => `${t.tag ?? '-'}:${t.revisionName}:${t.percent}`)

describe.each([
  {
    name: 'healthy candidate → promoted',
    svc: 'shop-healthy',
    env: {} as Record<string, string>,
    result: 'promoted',
    traffic: ['current:shop-healthy-v2:100', 'latest:shop-healthy-v2:0']
  },
  {
    name: 'bad candidate (EMULATOR_ERROR_RATE=0.5) → rolled back',
    svc: 'shop-bad',
    env: { EMULATOR_ERROR_RATE: '0.5' },
    result: 'rolled-back',
    traffic: ['current:shop-bad-v1:100', 'candidate:shop-bad-v2:0', 'latest:shop-bad-v2:0']
  }
])('$name', ({ svc, env, result, traffic }) => {
  test('first deploy, then the rollout', async () => {
    const first = await rollout({
      manifest: await manifestFile(`${svc}-v1`, v1Manifest(svc, 'docker.io/acme/shop:v1')),
      'revision-name': `${svc}-v1`
    })
    expect(first.result).toBe('promoted')
    expect(first.message).toMatch(/first deploy/)

    const out = await rollout({
      manifest: await manifestFile(`${svc}-v2`, v1Manifest(svc, 'docker.io/acme/shop:v2', env)),
      'revision-name': `${svc}-v2`,
      steps: '25,100'
    })
    // The message rides along so a failure says why.
    expect(`${out.result}: ${out.message}`).toMatch(new RegExp(`^${result}: `))
    expect(exitCodeFor(out)).toBe(result === 'promoted' ? 0 : 1)
    expect(out.steps[0]).toMatchObject({ percent: 25 })
    expect(out.steps[0].candidate!.requests).toBeGreaterThanOrEqual(10)
    const live = await service(svc)
    expect(split(live)).toEqual(traffic)
    expect(readState(live)?.phase).toBe(result)
  })
})

test('the seed’s release manifest pauses at 20%: 00001:80 / 00004:20 with tags current, candidate, latest', async () => {
  // The service as it was before: one generated revision, helloworld-csharp-00001.
  const client = createServingClient({ kubeconfig, clock: wallClock, log: memoryLogger() })
  await client.createService({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 'helloworld-csharp', namespace: 'default' },
    spec: {
      template: {
        spec: {
          containers: [
            {
              image: 'docker.io/acme/helloworld-csharp:v1',
              // The seed's candidate answers at once; the current in ~20 ms (see v1Manifest).
              env: [
                { name: 'TARGET', value: 'C# Sample v1' },
                { name: 'EMULATOR_LATENCY_MS', value: '20' }
              ]
            }
          ]
        }
      }
    }
  })
  await client.waitForService(
    'default',
    'helloworld-csharp',
    (s) => s.status?.latestReadyRevisionName === 'helloworld-csharp-00001',
    30_000
  )

  const seed = `apiVersion: serving.knative.dev/v1alpha1
kind: Service
metadata:
  name: helloworld-csharp
  namespace: default
spec:
  release:
    revisions: ["helloworld-csharp-00001", "helloworld-csharp-00004"]
    rolloutPercent: 20
    configuration:
      revisionTemplate:
        spec:
          container:
            image: docker.io/{username}/helloworld-csharp:v1
            env:
              - name: TARGET
                value: "C# Sample v4"
`
  const out = await rollout({
    manifest: await manifestFile('seed', seed),
    image: 'docker.io/acme/helloworld-csharp:v4',
    steps: '20,50,100',
    'pause-at': '20'
  })
  expect(`${out.result}: ${out.message}`).toMatch(/^paused: /)
  const live = await service('helloworld-csharp')
  expect(split(live)).toEqual([
    'current:helloworld-csharp-00001:80',
    'candidate:helloworld-csharp-00004:20',
    'latest:helloworld-csharp-00004:0'
  ])
  expect(out.steps.map((s) => `${s.percent}:${s.verdict}`)).toEqual(['20:pass'])

  // A later run promotes it.
  const promoted = await rollout({ command: 'promote', service: 'helloworld-csharp', steps: '100' })
  expect(promoted.result).toBe('promoted')
  expect(split(await service('helloworld-csharp'))).toEqual([
    'current:helloworld-csharp-00004:100',
    'latest:helloworld-csharp-00004:0'
  ])
})

test('two runs racing for the same service: exactly one rolls out, the other is refused naming it', async () => {
  const first = await rollout({
    manifest: await manifestFile('race-v1', v1Manifest('race', 'docker.io/acme/race:v1')),
    'revision-name': 'race-v1'
  })
  expect(first.result).toBe('promoted')
  const v2 = await manifestFile('race-v2', v1Manifest('race', 'docker.io/acme/race:v2'))
  const [a, b] = await Promise.all([
    rollout({ manifest: v2, 'revision-name': 'race-v2', steps: '50,100' }, 'A'),
    rollout({ manifest: v2, 'revision-name': 'race-v2', steps: '50,100' }, 'B')
  ])
  const results = [a, b].map((o) => `${o.result}: ${o.message}`).sort()
  expect(results).toEqual([
    expect.stringMatching(/^failed: /),
    expect.stringMatching(/^promoted: /)
  ])
  const loser = a.result === 'failed' ? a : b
  const winner = a.result === 'failed' ? 'B' : 'A'
  expect(loser.message).toContain(`held by https://github.com/acme/shop/actions/runs/${winner}`)
  expect(split(await service('race'))).toEqual(['current:race-v2:100', 'latest:race-v2:0'])
})

describe('with stale status (the controller answers 400 ms late)', () => {
  const slow = withEmulator({ statusDelayMs: 400 })

  test('the engine waits for observedGeneration and still promotes', async () => {
    const kc = await readFile(slow().kubeconfigPath, 'utf8')
    const flags = { ...FAST, kubeconfig: kc, 'ingress-address': slow().ingressUrl, steps: '50,100' }
    const go = async (extra: Record<string, string>) =>
      run(
        parseInputs((name) => ({ ...flags, ...extra })[name]),
        {
          clock: wallClock,
          log: memoryLogger(),
          env: {},
          me: { id: 'test/runs/slow' }
        }
      )
    const first = await go({
      manifest: await manifestFile('stale-v1', v1Manifest('stale', 'docker.io/acme/stale:v1')),
      'revision-name': 'stale-v1'
    })
    expect(`${first.result}: ${first.message}`).toMatch(/^promoted: /)
    const out = await go({
      manifest: await manifestFile('stale-v2', v1Manifest('stale', 'docker.io/acme/stale:v2')),
      'revision-name': 'stale-v2'
    })
    expect(`${out.result}: ${out.message}`).toMatch(/^promoted: /)
    expect(out.steps.map((s) => s.percent)).toEqual([50])
  })
})

async function cliRun(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = ''
  const out = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((stdout += String(chunk)), true))
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)
  try {
    return { code: await cli(argv), stdout: stdout.trim() }
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
}

test('the CLI: status of a promoted service prints its outputs and exits 0', async () => {
  const first = await rollout({
    manifest: await manifestFile('cli-v1', v1Manifest('cli', 'docker.io/acme/cli:v1')),
    'revision-name': 'cli-v1'
  })
  expect(first.result).toBe('promoted')
  const { code, stdout } = await cliRun([
    'status',
    '--service',
    'cli',
    '--kubeconfig',
    emulator().kubeconfigPath
  ])
  expect(code).toBe(0)
  expect(JSON.parse(stdout)).toMatchObject({ result: 'promoted', revision: 'cli-v1' })
})

test.each([
  ['an unknown flag', ['rollout', '--colour', 'red']],
  ['an invalid input', ['rollout', '--steps', '50,10']]
])('the CLI: %s exits 2 and prints no outputs', async (_name, argv) => {
  expect(await cliRun(argv)).toEqual({ code: 2, stdout: '' })
})
