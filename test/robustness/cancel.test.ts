// Cancellation as GitHub does it, through the built action (dist/index.js, dist/post.js) as
// child processes: SIGINT mid-step (SIGTERM 7.5 s later if the process is still there) puts
// the candidate back to 0% with result `aborted`; a main step SIGKILLed before it could is
// caught by the post step, which reads the state the main step saved and does the same.
// The contract: the candidate is back at 0% within 5 s of the signal.

import type { TestEmulator } from '../helpers/emulator.js'
import { checkInvariants } from '../helpers/invariants.js'
import { seed, type World } from '../../bench/lib/robustness-world.js'
import { startWorld, stopWorld } from '../helpers/robustness-world.js'
import { cancelAction, killThenPost } from '../../bench/lib/robustness-scenarios.js'

let emulator: TestEmulator
let world: World

beforeAll(async () => ({ emulator, world } = await startWorld('cancel', { freshDist: true })))
afterAll(() => stopWorld(emulator, world))

const CONTRACT_MS = 5_000

test.each([
  { name: 'SIGINT at the start of a step', service: 'cancel-early', how: cancelAction, delayMs: 0 },
  { name: 'SIGINT mid-step', service: 'cancel-mid', how: cancelAction, delayMs: 1500 },
  {
    name: 'SIGKILL mid-step, then the post step',
    service: 'cancel-post',
    how: killThenPost,
    delayMs: 1000
  }
])(
  '$name: the candidate is back at 0% (aborted)',
  async ({ service, how, delayMs }) => {
    await seed(world, service)
    const out = await how(world, service, delayMs)
    expect({ result: out.result, problems: out.problems }).toEqual({
      result: 'aborted',
      problems: []
    })
    expect(out.toZeroMs).toBeLessThan(CONTRACT_MS)
  },
  90_000
)

test('the write history keeps the invariant through every cancellation', () => {
  expect(checkInvariants(emulator.store.history)).toEqual([])
})
