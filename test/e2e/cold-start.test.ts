// A candidate at 0% that scaled to zero (Knative: Active=False, NoTraffic) pays a cold start
// on its next request. The step that follows wakes it first on its tag URL and does not judge
// that request: the candidate is promoted under a p99 bound below the cold start, and no
// request the step judged took as long as the cold start, which the warm-up paid before the
// step began. (p99 alone cannot tell: one cold request in ~100 is past the 99th percentile.)
// Through run() with the real client and the real prober, whose every sample is recorded.

import { withEmulator } from '../helpers/emulator.js'
import { eventually } from '../helpers/emulator.js'
import { rolloutRig, type RolloutRig } from '../helpers/rollout-e2e.js'
import { createHttpProber } from '../../src/analysis/prober.js'
import { wallClock } from '../../src/clock.js'
import type { ProbeSample, Prober } from '../../src/rollout/ports.js'

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

/** The real prober, keeping each sample with the host it was sent to. */
function recordingProber(): { prober: Prober; samples: (ProbeSample & { host: string })[] } {
  const real = createHttpProber(wallClock)
  const samples: (ProbeSample & { host: string })[] = []
  const prober: Prober = {
    async probe(target, rps, durationMs, signal) {
      const got = await real.probe(target, rps, durationMs, signal)
      const host = target.host ?? new URL(target.url).host
      samples.push(...got.map((s) => ({ ...s, host })))
      return got
    }
  }
  return { prober, samples }
}

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

  const { prober, samples } = recordingProber()
  const out = await rig.rollout(flags, { prober })
  expect(out.lines.join('\n')).toMatch(/cold-v2 had scaled to zero: woken in \d+ ms/)
  expect(`${out.result}: ${out.message}`).toMatch(/^promoted: /)
  const step = out.steps.find((s) => s.percent === 50)!
  expect(step.verdict).toBe('pass')
  expect(step.candidate!.p99).toBeLessThan(COLD_START_MS)
  // The candidate's tag host (candidate-cold.default...): the warm-up's requests and the step's.
  const candidate = samples.filter((s) => s.host.startsWith('candidate-'))
  const before = candidate.filter((s) => s.at < step.startedAt!)
  const judged = candidate.filter((s) => s.at >= step.startedAt! && s.at <= step.endedAt!)
  // The cold start was paid, by the warm-up, before the step's window opened ...
  expect(Math.max(...before.map((s) => s.latencyMs))).toBeGreaterThanOrEqual(COLD_START_MS)
  // ... and every request the step judged is one it probed then, none of them cold.
  expect(judged).toHaveLength(step.candidate!.requests)
  expect(Math.max(...judged.map((s) => s.latencyMs))).toBeLessThan(COLD_START_MS)
})
