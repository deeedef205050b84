// The engine's analysis decisions in virtual time: checks that have no data yet extend a
// step (bounded), confirm-* gates wait without counting failures (bounded by the timeout,
// with the lease kept), and a rollout with no step below 100% still analyses before it
// promotes.

import type { CheckOutcome, GateType, StepChecks } from '../../../src/rollout/step-checks.js'
import { NO_CHECKS } from '../../../src/rollout/step-checks.js'
import { readLease, readState } from '../../../src/rollout/state.js'
import { inputs, manifest, split, World } from '../../helpers/engine-harness.js'

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
    },
    async closedGates(asked) {
      return asked === type && w.clock.now() < openAt ? ['g'] : []
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
      // Asked while waiting (at 0%) or while held and analysed (at 50%, confirm-promotion).
      const watch = async () => {
        const svc = await w.service()
        // The split when the gate is first asked: before the candidate's first traffic.
        if (!seenWhileClosed.length) seenWhileClosed = split(svc)
        // The lease never lapses while a gate is closed (renewed between waits).
        const lease = readLease(svc)
        if (lease && lease.renewedAt + lease.durationSeconds * 1000 < w.clock.now())
          leaseHeld = false
      }
      const checks: StepChecks = {
        ...gates,
        async gate(...args) {
          if (args[0] !== type) return
          await watch()
          return gates.gate(...args)
        },
        async closedGates(asked, ctx) {
          if (asked === type) await watch()
          return gates.closedGates(asked, ctx)
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
    },
    // Two virtual hours of looks: ~20 s of CPU on a quiet machine, more on a loaded one.
    180_000
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

describe('held at a closed gate, the candidate is still judged', () => {
  const GATE_OPENS = HOUR
  test.each<{
    name: string
    gate: GateType
    /** The share the candidate is held at while the gate is closed. */
    heldAt: number
    /** Minutes into the rollout when the candidate starts failing 20% of requests; none: healthy. */
    failsAfterMinutes?: number
    result: string
  }>([
    {
      name: 'confirm-promotion closed, healthy throughout: one held analysis, promoted when it opens',
      gate: 'confirm-promotion',
      heldAt: 50,
      result: 'promoted'
    },
    {
      name: 'confirm-promotion closed, the candidate fails 30 min in: rolled back before the gate opens',
      gate: 'confirm-promotion',
      heldAt: 50,
      failsAfterMinutes: 30,
      result: 'rolled-back'
    },
    {
      name: 'confirm-traffic-increase closed at 20%, the candidate fails 30 min in: rolled back at 20%',
      gate: 'confirm-traffic-increase',
      heldAt: 20,
      failsAfterMinutes: 30,
      result: 'rolled-back'
    }
  ])('$name', async ({ gate, heldAt, failsAfterMinutes, result }) => {
    const w = new World()
    await w.deployed()
    const start = w.clock.now()
    // The gate opens only once the candidate is at heldAt (a later ask for the same type).
    let heldSince: number | undefined
    const checks: StepChecks = {
      ...NO_CHECKS,
      async closedGates(type) {
        if (type !== gate) return []
        const atHeld = split(await w.service()).includes(`candidate:shop-v2:${heldAt}`)
        if (!atHeld) return []
        heldSince ??= w.clock.now()
        return w.clock.now() - heldSince < GATE_OPENS ? ['approval'] : []
      }
    }
    if (failsAfterMinutes !== undefined) {
      w.onProbe = () => {
        if (w.clock.now() - start >= failsAfterMinutes * 60_000)
          w.knative.setEnv('default', 'shop-v2', { EMULATOR_ERROR_RATE: '0.2' })
      }
    }
    const out = await w.run(
      {
        inputs: inputs({
          revisionName: 'shop-v2',
          steps: [20, 50, 100],
          stepIntervalMs: INTERVAL,
          timeoutMs: 3 * HOUR
        }),
        manifest: manifest(V2)
      },
      { checks }
    )
    expect(out.result).toBe(result)
    const held = out.steps.filter(
      (s) => s.reason?.startsWith(`${gate} opened`) || s.verdict !== 'pass'
    )
    if (result === 'promoted') {
      // One sequential test over the whole hour, not one step per interval.
      expect(held).toHaveLength(1)
      expect(held[0].percent).toBe(heldAt)
      expect(held[0].endedAt! - held[0].startedAt!).toBeGreaterThanOrEqual(GATE_OPENS)
      expect(split(await w.service())[0]).toBe('current:shop-v2:100')
    } else {
      const failed = out.steps.at(-1)!
      expect(failed.verdict).toBe('fail')
      expect(failed.percent).toBe(heldAt)
      expect(out.reason).toMatch(new RegExp(`^holding at ${heldAt}% for ${gate}: `))
      // Caught within a few batches of going bad, long before the gate would have opened.
      expect(failed.endedAt! - start).toBeLessThan(31 * 60_000 + INTERVAL)
      expect(out.steps.map((s) => s.percent)).not.toContain(heldAt === 20 ? 50 : 100)
      expect(split(await w.service())[0]).toBe('current:shop-v1:100')
    }
  })
})

describe('users’ traffic from the data plane', () => {
  /** A data plane whose counts grow by `perRead` at each read (cumulative, as a window's are). */
  function dataPlane(perRead?: { candidate: [number, number]; current: [number, number] }) {
    const checks: StepChecks & { reads: number } = {
      ...NO_CHECKS,
      reads: 0,
      async trafficWindow() {
        let reads = 0
        return {
          async read() {
            checks.reads++
            if (!perRead) return undefined
            reads++
            const side = ([requests, errors]: [number, number]) => ({
              requests: requests * reads,
              errors: errors * reads,
              latenciesMs: Array.from({ length: Math.min(requests * reads, 500) }, () => 10)
            })
            return {
              candidate: side(perRead.candidate),
              current: side(perRead.current),
              source: 'revision_app_request_count'
            }
          }
        }
      }
    }
    return checks
  }

  test.each([
    {
      name: 'users fail on the candidate where the probes do not: rolled back on the data plane’s figures',
      rps: 10,
      perRead: { candidate: [203, 10], current: [797, 1] } as const,
      result: 'rolled-back',
      source: 'revision_app_request_count',
      reason: /^step 10%: The candidate fails more often: 10 errors in 203 requests/
    },
    {
      name: 'the data plane lags behind the probes: the probes are judged (healthy: promoted)',
      rps: 10,
      perRead: { candidate: [5, 5], current: [5, 0] } as const,
      result: 'promoted',
      source: undefined,
      reason: undefined
    },
    {
      name: 'probe-rps 0 and a healthy data plane: judged on users’ traffic alone, promoted',
      rps: 0,
      perRead: { candidate: [203, 0], current: [797, 1] } as const,
      result: 'promoted',
      source: 'revision_app_request_count',
      reason: undefined
    },
    {
      name: 'probe-rps 0 and a data plane with no series: not enough evidence, never promoted',
      rps: 0,
      perRead: undefined,
      result: 'rolled-back',
      source: 'data plane (no series yet)',
      reason: /^step 10%: Not enough evidence: 0 of 50 required requests after 90s$/
    }
  ])('$name', async ({ rps, perRead, result, source, reason }) => {
    const w = new World()
    await w.deployed()
    const checks = dataPlane(
      perRead && { candidate: [...perRead.candidate], current: [...perRead.current] }
    )
    const out = await w.run(
      {
        inputs: inputs({ revisionName: 'shop-v2', probe: { path: '/', rps } }),
        manifest: manifest(V2)
      },
      { checks }
    )
    expect(`${out.result}: ${out.reason ?? ''}`).toMatch(new RegExp(`^${result}: `))
    if (reason) expect(out.reason).toMatch(reason)
    expect(checks.reads).toBeGreaterThan(0)
    // A Prometheus without the revisions' series is said once, not silently ignored.
    const warned = out.log.filter((l) => l.includes('has no queue-proxy series for shop-v2'))
    expect(warned).toHaveLength(perRead ? 0 : 1)
    const first = out.steps[0]
    expect(first.source).toBe(source)
    if (source === 'revision_app_request_count') {
      // The report shows the figures judged: the data plane's (multiples of 203), not the
      // probes' (multiples of 60 a batch).
      expect(first.candidate!.requests).toBeGreaterThan(0)
      expect(first.candidate!.requests % perRead!.candidate[0]).toBe(0)
    }
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
