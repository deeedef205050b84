// The engine's analysis decisions in virtual time: checks that have no data yet extend a
// step (bounded), confirm-* gates wait without counting failures (bounded by the timeout,
// with the lease kept), and a rollout with no step below 100% still analyses before it
// promotes.

import type { CheckOutcome, GateType, StepChecks } from '../../src/rollout/step-checks.js'
import { NO_CHECKS } from '../../src/rollout/step-checks.js'
import { readLease, readState } from '../../src/rollout/state.js'
import { inputs, manifest, split, World } from './harness.js'

const V2 = 'registry.local/shop:v2'
const INTERVAL = 30_000
const HOUR = 3_600_000

/** A metric check answering `verdicts` in turn (the last one repeats). */
function checksAnswering(verdicts: CheckOutcome['verdict'][]): StepChecks & { asked: number } {
  const checks = {
    ...NO_CHECKS,
    asked: 0,
    async step() {
      const verdict = verdicts[Math.min(checks.asked++, verdicts.length - 1)]
      return [{ name: 'request-success-rate', verdict, reason: `request-success-rate ${verdict}` }]
    }
  }
  return checks
}

describe('metric checks as evidence arrives', () => {
  test.each([
    {
      name: 'no data at the first look, then a pass: the step is extended one interval, then passes',
      verdicts: ['inconclusive', 'pass'] as const,
      result: 'promoted',
      firstStep: { verdict: 'pass', ms: 2 * INTERVAL, check: 'pass' }
    },
    {
      name: 'no data at every look: extended to three intervals, then not promoted',
      verdicts: ['inconclusive'] as const,
      result: 'rolled-back',
      firstStep: { verdict: 'inconclusive', ms: 3 * INTERVAL, check: 'inconclusive' }
    },
    {
      name: 'no data, then a failure: rolled back at the second look',
      verdicts: ['inconclusive', 'fail'] as const,
      result: 'rolled-back',
      firstStep: { verdict: 'fail', ms: 2 * INTERVAL, check: 'fail' }
    }
  ])('$name', async ({ verdicts, result, firstStep }) => {
    const w = new World()
    await w.deployed()
    const out = await w.run(
      {
        inputs: inputs({ revisionName: 'shop-v2', stepIntervalMs: INTERVAL }),
        manifest: manifest(V2)
      },
      { checks: checksAnswering([...verdicts]) }
    )
    expect(out.result).toBe(result)
    const step = out.steps[0]
    expect(step.verdict).toBe(firstStep.verdict)
    // The batches are a fifth of the interval: the look that decided is at the boundary.
    expect(step.endedAt! - step.startedAt!).toBe(firstStep.ms)
    expect(step.checks?.[0].verdict).toBe(firstStep.check)
    if (result === 'rolled-back') expect(split(await w.service())[0]).toBe('current:shop-v1:100')
  })
})

/** Gates of `type` that open at virtual time `openAt`; the others are open. */
function gateOpeningAt(w: World, type: GateType, openAt: number): StepChecks {
  return {
    ...NO_CHECKS,
    async gate(asked, _ctx, maxWaitMs, signal) {
      if (asked !== type) return
      const now = w.clock.now()
      if (now + maxWaitMs < openAt) {
        await w.clock.sleep(maxWaitMs, signal)
        throw new Error(`${type} gate "g" still closed`)
      }
      await w.clock.sleep(Math.max(0, openAt - now), signal)
    }
  }
}

describe('confirm-* gates', () => {
  test.each<{ type: GateType; percent: number }>([
    { type: 'confirm-rollout', percent: 0 },
    { type: 'confirm-traffic-increase', percent: 0 },
    { type: 'confirm-promotion', percent: 50 }
  ])(
    '$type closed for two hours: waits at $percent%, keeps its lease, no failure counted',
    async ({ type, percent }) => {
      const w = new World()
      await w.deployed()
      const openAt = w.clock.now() + 2 * HOUR
      let seenWhileClosed: string[] = []
      let leaseHeld = true
      const gates = gateOpeningAt(w, type, openAt)
      const checks: StepChecks = {
        ...gates,
        async gate(...args) {
          if (args[0] !== type) return
          const svc = await w.service()
          // The split when the gate is first asked: before the candidate's first traffic.
          if (!seenWhileClosed.length) seenWhileClosed = split(svc)
          // The lease never lapses while a gate is closed (renewed between waits).
          const lease = readLease(svc)
          if (lease && lease.renewedAt + lease.durationSeconds * 1000 < w.clock.now())
            leaseHeld = false
          return gates.gate(...args)
        }
      }
      const out = await w.run(
        {
          inputs: inputs({ revisionName: 'shop-v2', timeoutMs: 3 * HOUR }),
          manifest: manifest(V2)
        },
        { checks }
      )
      expect(`${out.result}: ${out.message}`).toMatch(/^promoted: /)
      expect(w.clock.now()).toBeGreaterThanOrEqual(openAt)
      expect(seenWhileClosed).toContain(`candidate:shop-v2:${percent}`)
      expect(leaseHeld).toBe(true)
      expect(readState(await w.service())!.failures).toBe(0)
      expect(readLease(await w.service())).toBeUndefined()
    }
  )

  test('a gate that never opens ends at the timeout, candidate back to 0%', async () => {
    const w = new World()
    await w.deployed()
    const out = await w.run(
      { inputs: inputs({ revisionName: 'shop-v2', timeoutMs: HOUR }), manifest: manifest(V2) },
      { checks: gateOpeningAt(w, 'confirm-promotion', Infinity) }
    )
    expect(out.result).toBe('failed')
    expect(out.reason).toMatch(/^timed out after 3600s/)
    expect(split(await w.service())[0]).toBe('current:shop-v1:100')
    expect(readLease(await w.service())).toBeUndefined()
  })
})

describe('steps: 100 (a blue/green switch)', () => {
  test.each([
    {
      name: 'healthy: analysed at 0% on its tag URL, then promoted',
      env: {} as Record<string, string>,
      result: 'promoted'
    },
    {
      name: 'bad: rolled back before it had any traffic',
      env: { EMULATOR_ERROR_RATE: '0.5' },
      result: 'rolled-back'
    }
  ])('$name', async ({ env, result }) => {
    const w = new World()
    await w.deployed()
    const out = await w.run({
      inputs: inputs({ revisionName: 'shop-v2', steps: [100] }),
      manifest: manifest(V2, env)
    })
    expect(out.result).toBe(result)
    expect(out.steps.map((s) => s.percent)).toEqual([0])
    expect(out.steps[0].candidate!.requests).toBeGreaterThan(0)
    expect(out.steps[0].current!.requests).toBe(out.steps[0].candidate!.requests)
  })
})
