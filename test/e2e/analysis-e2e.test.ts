// A candidate that starts healthy and degrades during the 2nd step, through a full rollout
// against the emulator: rolled back mid-step, with the evidence on the Service's history,
// in the job summary and in `status`.

import { readState } from '../../src/rollout/state.js'
import { renderSummary } from '../../src/report/summary.js'
import type { StepReport } from '../../src/report/types.js'
import { withEmulator } from '../helpers/emulator.js'
import { rolloutRig, setBehaviour, split, type RolloutRig } from '../helpers/rollout-e2e.js'

const emulator = withEmulator()
let rig: RolloutRig
beforeAll(async () => {
  rig = await rolloutRig(emulator())
})
afterAll(() => rig.cleanup())

const SVC = 'degrades'
const INTERVAL_MS = 6_000

describe('a candidate that degrades during the 2nd step', () => {
  let out: Awaited<ReturnType<RolloutRig['rollout']>>

  beforeAll(async () => {
    await rig.deployV1(SVC)
    const seen: StepReport[] = []
    out = await rig.rollout(
      {
        manifest: await rig.manifest(SVC, 'v2'),
        'revision-name': `${SVC}-v2`,
        steps: '20,50,100',
        'step-interval': `${INTERVAL_MS / 1000}s`
      },
      {
        // Step 1 has just passed: a second into step 2, the candidate starts failing 30%.
        onStep: (step) => {
          seen.push(step)
          if (seen.length === 1)
            setTimeout(() => void setBehaviour(emulator(), `${SVC}-v2`, { errorRate: 0.3 }), 1_000)
        }
      }
    )
  }, 60_000)

  test('is rolled back at the 2nd step, which passed none of the way', () => {
    expect(`${out.result}: ${out.message}`).toMatch(/^rolled-back: /)
    expect(out.steps.map((s) => `${s.percent}:${s.verdict}`)).toEqual(['20:pass', '50:fail'])
    expect(out.reason).toMatch(/^step 50%: /)
  })

  test('the decision came before the step’s interval ended (mid-step)', () => {
    const step = out.steps[1]
    expect(step.endedAt! - step.startedAt!).toBeLessThan(INTERVAL_MS)
  })

  test('both revisions were probed at the same rate in the same window', () => {
    for (const step of out.steps) {
      const [c, k] = [step.candidate!.requests, step.current!.requests]
      expect(Math.abs(c - k)).toBeLessThanOrEqual(2)
      expect(c).toBeGreaterThan(0)
    }
    expect(out.steps[1].candidate!.errors).toBeGreaterThan(0)
    expect(out.steps[1].current!.errors).toBe(0)
  })

  test('the figures behind the verdict ride on the step', () => {
    expect(out.steps[1].stats).toMatchObject({
      candidateErrors: out.steps[1].candidate!.errors,
      errorEvidence: expect.any(Number)
    })
  })

  test('the Service keeps the evidence in its history and is back on v1', async () => {
    const live = await rig.service(SVC)
    expect(split(live)).toEqual([
      `current:${SVC}-v1:100`,
      `candidate:${SVC}-v2:0`,
      `latest:${SVC}-v2:0`
    ])
    const state = readState(live)!
    expect(state.phase).toBe('rolled-back')
    const evidence = state.history.filter((h) => h.evidence).map((h) => h.evidence!)
    expect(evidence.map((e) => `${e.percent}:${e.verdict}`)).toEqual(['20:pass', '50:fail'])
    const failed = evidence[1]
    expect(failed.candidate![1]).toBe(out.steps[1].candidate!.errors)
    expect(failed.current).toEqual([out.steps[1].current!.requests, 0, expect.any(Number)])
    expect(failed.stats?.errorEvidence).toBeGreaterThan(0)
    // Compact: the whole history annotation stays small.
    const annotation = live.metadata.annotations!['rollout.knative-rollout.dev/history']
    expect(annotation.length).toBeLessThan(8_000)
  })

  test('status answers "why did it roll back?"', async () => {
    const status = await rig.rollout({ command: 'status', service: SVC })
    expect(status.result).toBe('rolled-back')
    expect(status.message).toContain(`reason: step 50%: `)
    expect(status.message).toMatch(
      /last analysed step 50%: fail after [\d.]+s; candidate \d+\/\d+ errors, p99 [\d.]+ ms; current 0\/\d+ errors/
    )
  })

  test('the job summary shows each step’s figures and why', () => {
    const md = renderSummary({ ...out, currentRevision: `${SVC}-v1` })
    expect(md).toContain('Rollback reason:')
    expect(md).toMatch(/^\| 1 \| 20% \| .*\| 0 of \d+ \(0%\) \|.*✅ pass/m)
    expect(md).toMatch(/^\| 2 \| 50% \| .*\| [1-9][\d,]* of [\d,]+ \([\d.]+%\) \|.*❌ fail/m)
    // The statistics in plain names, behind a fold; not the judge's code names.
    expect(md).toContain('<details><summary>Statistics behind the verdicts</summary>')
    expect(md).toMatch(/\*\*Step 2 \(50%\):\*\* .*odds that the candidate fails more often/)
    expect(md).not.toContain('errorEvidence')
  })
})
