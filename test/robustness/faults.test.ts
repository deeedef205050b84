// Rollouts under an API storm (bench/lib/robustness-world.ts STORM: 20% 5xx/429, 10% spurious
// conflicts, latency spikes, watches dropped every 3 s), through the real engine and adapters
// against the emulator over HTTP. Every healthy one is promoted, every bad one rolled back,
// each result is what the Service shows, and the write history keeps the invariant.
// The full 50 + 50 is `npm run bench -- robustness`; here a few, concurrently.

import type { TestEmulator } from '../helpers/emulator.js'
import { checkInvariants } from '../helpers/invariants.js'
import {
  STORM,
  resultProblems,
  rolloutFlags,
  rotateErrorStatus,
  runInProcess,
  seed,
  servingClient,
  setFaults,
  type World
} from '../../bench/lib/robustness-world.js'
import { startWorld, stopWorld } from '../helpers/robustness-world.js'
import { stormRollout } from '../../bench/lib/robustness-scenarios.js'

let emulator: TestEmulator
let world: World

beforeAll(async () => ({ emulator, world } = await startWorld('faults')))
afterAll(() => stopWorld(emulator, world))

const PER_KIND = 6
const cases = [
  ...Array.from({ length: PER_KIND }, (_, i) => ({ service: `healthy-${i}`, bad: false })),
  ...Array.from({ length: PER_KIND }, (_, i) => ({ service: `bad-${i}`, bad: true }))
]

test(`${PER_KIND} healthy and ${PER_KIND} bad rollouts under the storm end right, with the invariant intact`, async () => {
  for (const c of cases) await seed(world, c.service)
  await setFaults(world, STORM)
  const stopRotating = rotateErrorStatus([world])
  const results = await Promise.all(
    cases.map((c) => stormRollout(world, c.service, c.bad))
  ).finally(async () => {
    await stopRotating()
    await setFaults(world, 'none')
  })

  expect(
    results.map((r) => ({ service: r.service, result: r.result, problems: r.problems }))
  ).toEqual(
    cases.map((c) => ({
      service: c.service,
      result: c.bad ? 'rolled-back' : 'promoted',
      problems: []
    }))
  )
  expect(checkInvariants(emulator.store.history)).toEqual([])
  // The storm did reach the rollouts: injected errors and conflicts are in the request log.
  const requests = (await (await fetch(`${world.apiUrl}/emulator/requests`)).json()) as {
    status: number
  }[]
  const seen = new Set(requests.map((r) => r.status))
  expect([409, 429, 503].filter((s) => seen.has(s))).toEqual([409, 429, 503])
}, 240_000)

test('a candidate that never becomes ready, under the storm: rolled back to a Ready Service', async () => {
  await seed(world, 'broken')
  const flags = await rolloutFlags(world, {
    service: 'broken',
    version: 'v2',
    env: { EMULATOR_EXIT_CODE: '1' }
  })
  await setFaults(world, STORM)
  const out = await runInProcess(world, 'rollout', flags, 'storm-broken').finally(() =>
    setFaults(world, 'none')
  )
  expect(`${out.result}: ${out.message}`).toMatch(/^rolled-back: .*did not become ready: ExitCode1/)
  const client = await servingClient(world)
  // Knative's BYO rollback: the template names v1 again, which is reused (no new revision),
  // so the Service is Ready again; the failed candidate keeps no tag.
  const live = await client.waitForService(
    'default',
    'broken',
    (s) =>
      s.status?.observedGeneration === s.metadata.generation &&
      !!s.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    30_000
  )
  expect(live.spec.template.metadata?.name).toBe('broken-v1')
  expect(live.status).toMatchObject({
    latestCreatedRevisionName: 'broken-v1',
    latestReadyRevisionName: 'broken-v1',
    conditions: expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'True' })])
  })
  expect(live.spec.traffic?.map((t) => t.tag)).toEqual(['current', 'latest'])
  expect(
    resultProblems(live, { result: 'rolled-back', previous: 'broken-v1', candidate: 'broken-v2' })
  ).toEqual([])
  expect(checkInvariants(emulator.store.history)).toEqual([])
}, 60_000)
