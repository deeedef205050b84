// A candidate at 0% that scaled to zero (Knative: Active=False, NoTraffic) pays a cold start
// on its next request. The step that follows wakes it first on its tag URL and does not judge
// that request: the candidate is promoted under a p99 bound below the cold start, and the
// step's probe figures hold no cold request. Through run() with the real client and prober.

import { withEmulator } from '../helpers/emulator.js'
import { eventually } from '../helpers/emulator.js'
import { rolloutRig, type RolloutRig } from '../helpers/rollout-e2e.js'

const COLD_START_MS = 1500
const emulator = withEmulator({
  autoscaling: {
    // Idle for 2 s before it scales to zero: short for the test, long enough that a loaded
    // machine's gap between the warm-up and the step's first probes does not put it back.
    stableWindowMs: 1500,
    gracePeriodMs: 500,
    coldStartMs: COLD_START_MS
  }
})
let rig: RolloutRig
beforeAll(async () => {
  rig = await rolloutRig(emulator())
})
afterAll(() => rig.cleanup())

const activeOf = (name: string) =>
  emulator()
    .store.get('revisions.serving.knative.dev', 'default', name)
    ?.status?.conditions?.find((c: { type: string }) => c.type === 'Active')

test('a candidate that scaled to zero at 0% is woken before the step, and its cold start is not judged', async () => {
  await rig.deployV1('cold')
  const flags = {
    manifest: await rig.manifest('cold', 'v2'),
    'revision-name': 'cold-v2',
    steps: '50,100',
    'max-latency-p99': '1s'
  }
  // A rollout paused and then aborted leaves cold-v2 at 0% with no tag: it idles to zero.
  // (`preview` no longer serves here: its revision is the pull request's, not this one.)
  const paused = await rig.rollout({ ...flags, 'pause-at': '50' })
  expect(paused.result).toBe('paused')
  const aborted = await rig.rollout({ command: 'abort', service: 'cold' })
  expect(aborted.result).toBe('aborted')
  await eventually(() => activeOf('cold-v2')?.reason === 'NoTraffic', 'cold-v2 to scale to zero')

  const out = await rig.rollout(flags)
  expect(out.lines.join('\n')).toMatch(/cold-v2 had scaled to zero: woken in \d+ ms/)
  expect(`${out.result}: ${out.message}`).toMatch(/^promoted: /)
  const step = out.steps.find((s) => s.percent === 50)!
  expect(step.verdict).toBe('pass')
  expect(step.candidate!.p99).toBeLessThan(COLD_START_MS)
})
