// Hands on the wheel: a person edits the Service with kubectl while a rollout is mid-step.
// Labels and annotations are theirs and survive the rollout; an edit to the template (a new
// env var: a spec change, a revision the judge never measured) and a hand-made traffic split
// are drift: the action pauses with a clear message instead of overwriting or fighting, and
// records the split that is really there.

import { kubectl, type TestEmulator } from '../helpers/emulator.js'
import { checkInvariants } from '../helpers/invariants.js'
import {
  resultProblems,
  rolloutFlags,
  runInProcess,
  seed,
  servingClient,
  type World
} from '../../bench/lib/robustness-world.js'
import { startWorld, stopWorld } from '../helpers/robustness-world.js'
import { readState } from '../../src/rollout/state.js'
import type { KService } from '../../src/knative/types.js'

let emulator: TestEmulator
let world: World

beforeAll(async () => ({ emulator, world } = await startWorld('drift')))
afterAll(() => stopWorld(emulator, world))

const KSVC = 'services.serving.knative.dev'

/** The rollout of v2 (4 s steps, room for a person to act), with `edit` run once it is at 50%. */
async function rolloutWithEdit(service: string, edit: string[]) {
  await seed(world, service)
  const flags = await rolloutFlags(world, {
    service,
    version: 'v2',
    extra: { 'step-interval': '4s' }
  })
  const running = runInProcess(world, 'rollout', flags, `drift-${service}`)
  const client = await servingClient(world)
  while (readState(await client.getService('default', service))?.percent !== 50)
    await new Promise((r) => setTimeout(r, 20))
  const edited = await kubectl(emulator, edit)
  expect(edited).toMatchObject({ code: 0 })
  return { outcome: await running, live: (await client.getService('default', service))! }
}

const env = (svc: KService) => svc.spec.template.spec.containers[0].env?.map((e) => e.name)

test('labels and annotations a person adds mid-step are still there after the promotion', async () => {
  const patch = {
    metadata: { labels: { team: 'payments' }, annotations: { 'acme.dev/owner': 'alice' } }
  }
  const { outcome, live } = await rolloutWithEdit('hands', [
    'patch',
    KSVC,
    'hands',
    '--type',
    'merge',
    '-p',
    JSON.stringify(patch)
  ])
  expect(`${outcome.result}: ${outcome.message}`).toMatch(/^promoted: /)
  expect(live.metadata.labels).toMatchObject({ team: 'payments' })
  expect(live.metadata.annotations).toMatchObject({ 'acme.dev/owner': 'alice' })
  expect(
    resultProblems(live, { result: 'promoted', previous: 'hands-v1', candidate: 'hands-v2' })
  ).toEqual([])
}, 60_000)

test('an env var added to the template mid-rollout pauses the rollout; the edit is kept', async () => {
  const { outcome, live } = await rolloutWithEdit('tpl', [
    'patch',
    KSVC,
    'tpl',
    '--type',
    'json',
    '-p',
    JSON.stringify([
      {
        op: 'add',
        path: '/spec/template/spec/containers/0/env/-',
        value: { name: 'FEATURE_X', value: 'on' }
      },
      { op: 'replace', path: '/spec/template/metadata/name', value: 'tpl-v2-hotfix' }
    ])
  ])
  expect(outcome.result).toBe('paused')
  expect(outcome.message).toMatch(
    /^the template of "tpl" was changed outside this rollout \(it now makes tpl-v2-hotfix, not the candidate tpl-v2\); pausing instead of overwriting it/
  )
  expect(env(live)).toContain('FEATURE_X')
  expect(readState(live)).toMatchObject({ phase: 'paused', percent: 50 })
  expect(
    resultProblems(live, { result: 'paused', previous: 'tpl-v1', candidate: 'tpl-v2', percent: 50 })
  ).toEqual([])
}, 60_000)

test('traffic changed by hand mid-step is drift: the rollout pauses on the split the person set', async () => {
  const { outcome, live } = await rolloutWithEdit('steer', [
    'patch',
    KSVC,
    'steer',
    '--type',
    'json',
    '-p',
    JSON.stringify([
      { op: 'replace', path: '/spec/traffic/0/percent', value: 90 },
      { op: 'replace', path: '/spec/traffic/1/percent', value: 10 }
    ])
  ])
  expect(outcome.result).toBe('paused')
  expect(outcome.message).toMatch(
    /^traffic on "steer" was changed outside this rollout \(expected steer-v1 50% \/ steer-v2 50%, found steer-v1:90 \/ steer-v2:10\); pausing instead of fighting/
  )
  expect(readState(live)).toMatchObject({ phase: 'paused', percent: 10 })
  expect(
    resultProblems(live, {
      result: 'paused',
      previous: 'steer-v1',
      candidate: 'steer-v2',
      percent: 10
    })
  ).toEqual([])
}, 60_000)

test('the action’s own writes keep the invariant around every hand edit', () => {
  expect(checkInvariants(emulator.store.history)).toEqual([])
})
