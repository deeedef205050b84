// SIGKILL at different points of a rollout (child processes running dist/cli.js), then the
// same command again: each one converges (resumes, or finishes the rollback) with the
// invariant intact over the whole write history. The full 50 is `npm run bench -- robustness`.

import type { TestEmulator } from '../helpers/emulator.js'
import { checkInvariants } from '../helpers/invariants.js'
import { seed, type World } from '../../bench/lib/robustness-world.js'
import { startWorld, stopWorld } from '../helpers/robustness-world.js'
import { crashAndRerun, type KillPoint } from '../../bench/lib/robustness-scenarios.js'

let emulator: TestEmulator
let world: World

beforeAll(async () => ({ emulator, world } = await startWorld('crash', { freshDist: true })))
afterAll(() => stopWorld(emulator, world))

// Kill points through a run: before its first write, while the candidate comes up at 0%,
// mid-step at 50%, right after the promotion was written (the lease not yet released), and a
// bad candidate mid-step. `killedIn` is where the state was when the process died (the
// seed's first deploy left `promoted` with v1 current).
const cases: {
  name: string
  service: string
  bad: boolean
  kill: KillPoint
  killedIn: RegExp
}[] = [
  {
    name: 'killed before its first write',
    service: 'crash-start',
    bad: false,
    kill: { afterMs: 0 },
    killedIn: /^promoted 0% \(current crash-start-v1\)$/
  },
  {
    name: 'killed while the candidate comes up at 0%',
    service: 'crash-zero',
    bad: false,
    kill: { when: (s) => s?.phase === 'progressing' && s.percent === 0 },
    killedIn: /^progressing 0% \(current crash-zero-v1\)$/
  },
  {
    name: 'killed mid-step at 50%',
    service: 'crash-step',
    bad: false,
    kill: { when: (s) => s?.phase === 'progressing' && s.percent === 50 },
    killedIn: /^progressing 50% \(current crash-step-v1\)$/
  },
  {
    name: 'killed right after the promotion was written',
    service: 'crash-late',
    bad: false,
    kill: { when: (s) => s?.phase === 'promoted' && s.current === 'crash-late-v2' },
    killedIn: /^promoted 0% \(current crash-late-v2\)$/
  },
  {
    name: 'bad candidate killed mid-step at 50%',
    service: 'crash-bad',
    bad: true,
    kill: { when: (s) => s?.phase === 'progressing' && s.percent === 50 },
    killedIn: /^(progressing 50%|rolled-back 0%) \(current crash-bad-v1\)$/
  },
  {
    // The re-run starts over on the template the rolled-back run left (Knative's defaults in it).
    name: 'bad candidate killed right after its rollback was written',
    service: 'crash-rb',
    bad: true,
    kill: { when: (s) => s?.phase === 'rolled-back' },
    killedIn: /^rolled-back 0% \(current crash-rb-v1\)$/
  }
]

beforeAll(async () => {
  for (const c of cases) await seed(world, c.service)
}, 60_000)

test.each(cases)(
  '$name: the same command again converges',
  async (c) => {
    const out = await crashAndRerun(world, c.service, c.bad, c.kill)
    const seen = { killed: out.killed, killedIn: out.killedIn }
    expect({ ...seen, result: out.result, problems: out.problems }).toEqual({
      killed: true,
      killedIn: expect.stringMatching(c.killedIn),
      result: c.bad ? 'rolled-back' : expect.stringMatching(/^(promoted|unchanged)$/),
      problems: []
    })
  },
  90_000
)

test('the write history keeps the invariant through every kill', () => {
  expect(checkInvariants(emulator.store.history)).toEqual([])
})
