// Two rollouts on one Service: the lease (an annotation written under the resourceVersion
// precondition) lets exactly one proceed. The other fails fast naming the holder's run, or,
// with wait-for-lock, waits and then rolls out over what the first one left. A lease whose
// holder died is taken over once it has expired, and the rollout resumes where it stopped.

import type { TestEmulator } from '../helpers/emulator.js'
import { checkInvariants } from '../helpers/invariants.js'
import {
  resultProblems,
  rolloutFlags,
  runInProcess,
  seed,
  servingClient,
  spawnCli,
  type World
} from '../../bench/lib/robustness-world.js'
import { startWorld, stopWorld } from '../helpers/robustness-world.js'
import { readLease, readState, writeLease } from '../../src/rollout/state.js'

let emulator: TestEmulator
let world: World

beforeAll(async () => ({ emulator, world } = await startWorld('race', { freshDist: true })))
afterAll(() => stopWorld(emulator, world))

const runUrl = (id: string) => `https://github.com/acme/shop/actions/runs/${id}`
const live = async (service: string) => (await servingClient(world)).getService('default', service)

test('two rollouts at once: exactly one proceeds, the other fails fast naming the holder', async () => {
  await seed(world, 'race')
  const flags = await rolloutFlags(world, { service: 'race', version: 'v2' })
  const [a, b] = await Promise.all([
    runInProcess(world, 'rollout', flags, 'race-a'),
    runInProcess(world, 'rollout', flags, 'race-b')
  ])
  const byResult = Object.fromEntries(
    [a, b].map((o, i) => [o.result, { ...o, id: ['race-a', 'race-b'][i] }])
  )
  expect(Object.keys(byResult).sort()).toEqual(['failed', 'promoted'])
  expect(byResult.failed.message).toContain(
    `has a rollout in progress held by ${runUrl(byResult.promoted.id)}`
  )
  // Failing fast: the loser reported no step and wrote no traffic.
  expect(byResult.failed.steps).toEqual([])
  expect(
    resultProblems(await live('race'), {
      result: 'promoted',
      previous: 'race-v1',
      candidate: 'race-v2'
    })
  ).toEqual([])
}, 60_000)

test('with wait-for-lock the second waits, then rolls out over what the first promoted', async () => {
  await seed(world, 'queue')
  const first = runInProcess(
    world,
    'rollout',
    await rolloutFlags(world, { service: 'queue', version: 'v2' }),
    'queue-a'
  )
  // The second starts once the first holds the lease.
  const client = await servingClient(world)
  while (!readLease(await client.getService('default', 'queue'))?.holder.endsWith('queue-a'))
    await new Promise((r) => setTimeout(r, 20))
  const second = await runInProcess(
    world,
    'rollout',
    await rolloutFlags(world, {
      service: 'queue',
      version: 'v3',
      extra: { 'wait-for-lock': 'true' }
    }),
    'queue-b'
  )
  expect((await first).result).toBe('promoted')
  expect(`${second.result}: ${second.message}`).toMatch(/^promoted: /)
  // v3 was measured against v2, which the first run had made current, not against v1.
  expect(second.currentRevision).toBe('queue-v2')
  expect(
    resultProblems(await live('queue'), {
      result: 'promoted',
      previous: 'queue-v2',
      candidate: 'queue-v3'
    })
  ).toEqual([])
}, 90_000)

test('a dead holder’s lease is taken over once expired, and the rollout resumes where it stopped', async () => {
  await seed(world, 'orphan')
  const flags = await rolloutFlags(world, { service: 'orphan', version: 'v2' })
  const dead = spawnCli(world, 'rollout', flags, {
    GITHUB_RUN_ID: 'orphan-dead',
    GITHUB_REPOSITORY: 'acme/shop'
  })
  const client = await servingClient(world)
  while (readState(await client.getService('default', 'orphan'))?.percent !== 50)
    await new Promise((r) => setTimeout(r, 20))
  dead.kill('SIGKILL')
  await dead.done

  // While its lease is fresh, the dead run still holds the Service.
  const early = await runInProcess(world, 'rollout', flags, 'orphan-b')
  expect(early.result).toBe('failed')
  expect(early.message).toContain(`held by ${runUrl('orphan-dead')}`)

  // Its lease expires (time passes: renewed long ago), then a new run takes over.
  await client.updateService('default', 'orphan', (svc) => {
    const lease = readLease(svc)!
    return writeLease(svc, {
      ...lease,
      renewedAt: Date.now() - (lease.durationSeconds + 60) * 1000
    })
  })
  const taker = await runInProcess(world, 'rollout', flags, 'orphan-b')
  expect(`${taker.result}: ${taker.message}`).toMatch(/^promoted: /)
  expect(taker.lines.join('\n')).toMatch(/took over the lease of .*orphan-dead.*which expired/)
  expect(taker.lines.join('\n')).toMatch(
    /resuming the rollout of orphan-v2 \(was progressing at 50%\)/
  )
  expect(
    resultProblems(await live('orphan'), {
      result: 'promoted',
      previous: 'orphan-v1',
      candidate: 'orphan-v2'
    })
  ).toEqual([])
}, 90_000)

test('the write history keeps the invariant through every race', () => {
  expect(checkInvariants(emulator.store.history)).toEqual([])
})
