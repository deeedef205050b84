// A broken setup is never blamed on the candidate: before the first write the current is
// probed where the steps will probe it, and when nothing answers the run ends `failed` with
// zero writes and a message naming the URL, the network error and the fix; during a step,
// a current that fails as badly as the candidate makes the step inconclusive, not a rollback.
// Virtual time against the in-memory Knative (test/helpers/engine-harness.ts).

import type { Prober, ProbeSample, ProbeTarget } from '../../../src/rollout/ports.js'
import { formatStepLine } from '../../../src/report/cli-progress.js'
import { renderSummary } from '../../../src/report/summary.js'
import { inputs, manifest, World } from '../../helpers/engine-harness.js'

const V2 = 'registry.local/shop:v2'

/** A prober where `answer(target)` decides every request: a status, or a network error. */
function prober(
  w: World,
  answer: (t: ProbeTarget) => { status: number; error?: string } | undefined
): Prober {
  return {
    async probe(target, rps, durationMs, signal) {
      const given = answer(target)
      if (!given) return w.knative.probe(target, rps, durationMs, signal)
      const n = Math.round((rps * durationMs) / 1000)
      const start = w.clock.now()
      await w.clock.sleep(durationMs, signal)
      return Array.from({ length: n }, (_, i): ProbeSample => ({
        at: start + (i * 1000) / rps,
        latencyMs: 5,
        ...given
      }))
    }
  }
}

const isCurrent = (t: ProbeTarget) => !t.url.includes('candidate-')

describe('before the first write', () => {
  test.each([
    {
      name: 'DNS does not resolve the current: failed, the error and the fix named',
      answer: { status: 0, error: 'ENOTFOUND' },
      message:
        /not reachable at http:\/\/current-shop\S*: every request failed on the network \(ENOTFOUND\)\. This is a setup problem, not the candidate: set ingress-address/
    },
    {
      name: 'the connection is refused',
      answer: { status: 0, error: 'ECONNREFUSED' },
      message: /\(ECONNREFUSED\)/
    },
    {
      name: 'every answer is a 502 (the ingress has no route)',
      answer: { status: 502 },
      message: /every answer failed \(502\)/
    }
  ])('$name', async ({ answer, message }) => {
    const w = new World()
    await w.deployed()
    const before = w.knative.writes.length
    const out = await w.run(
      { inputs: inputs({ revisionName: 'shop-v2' }), manifest: manifest(V2) },
      { prober: prober(w, (t) => (isCurrent(t) ? answer : undefined)) }
    )
    expect(out.result).toBe('failed')
    expect(out.reason).toMatch(message)
    expect(out.reason).toMatch(/Nothing was changed\.$/)
    expect(w.knative.writes.length).toBe(before)
  })

  test('a fix over a current that answers only 5xx: steps 100 analyses nothing, so it ships', async () => {
    const w = new World()
    await w.deployed()
    const out = await w.run(
      { inputs: inputs({ revisionName: 'shop-v2', steps: [100] }), manifest: manifest(V2) },
      { prober: prober(w, (t) => (isCurrent(t) ? { status: 503 } : undefined)) }
    )
    expect(out.result).toBe('promoted')
  })

  test('a current that answers: the rollout goes on', async () => {
    const w = new World()
    await w.deployed()
    const out = await w.run({ inputs: inputs({ revisionName: 'shop-v2' }), manifest: manifest(V2) })
    expect(out.result).toBe('promoted')
  })
})

describe('during a step', () => {
  test('both revisions unreachable: inconclusive, never a fail against the candidate; network errors counted', async () => {
    const w = new World()
    await w.deployed()
    let first = true
    // The check before the first write passes; then the network goes for both.
    const out = await w.run(
      {
        inputs: inputs({ revisionName: 'shop-v2', steps: [10, 100] }),
        manifest: manifest(V2)
      },
      {
        prober: prober(w, () => {
          if (first) return ((first = false), undefined)
          return { status: 0, error: 'ETIMEDOUT' }
        })
      }
    )
    const step = out.steps[0]
    expect(step.verdict).toBe('inconclusive')
    expect(step.reason).toMatch(
      /the current revision fails as badly as the candidate.*not evidence against the candidate/
    )
    const net = step.networkErrors!
    expect(net.candidate).toBeGreaterThan(0)
    expect(net.current).toBeGreaterThan(0)
    // Shown per step where people look: the step's log line and its entry in the summary.
    expect(formatStepLine(step)).toContain(
      `· network errors: candidate ${net.candidate}, current ${net.current} → inconclusive`
    )
    expect(renderSummary(out)).toContain(
      `probes with no answer at all: candidate ${net.candidate.toLocaleString('en-US')}, current ${net.current.toLocaleString('en-US')}`
    )
    expect(out.reason ?? '').not.toMatch(/success rate/)
    // Traffic goes back to the current, and the run says the setup failed, not the candidate.
    expect(out.result).toBe('failed')
    expect(step.setupFault).toBe(true)
  })

  test('the candidate alone fails: still a fail', async () => {
    const w = new World()
    await w.deployed()
    const out = await w.run(
      { inputs: inputs({ revisionName: 'shop-v2' }), manifest: manifest(V2) },
      { prober: prober(w, (t) => (isCurrent(t) ? undefined : { status: 0, error: 'ECONNRESET' })) }
    )
    expect(out.result).toBe('rolled-back')
    expect(out.steps[0].verdict).toBe('fail')
    expect(out.steps[0].networkErrors).toMatchObject({ current: 0 })
  })
})
