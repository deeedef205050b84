// A step's evidence as kept in the history annotation: compact, complete enough to answer
// "why?", and bounded however long the reasons get.

import { describeEvidence, stepEvidence } from '../../../src/rollout/evidence.js'
import {
  HISTORY_MAX_BYTES,
  readState,
  writeState,
  type RolloutState
} from '../../../src/rollout/state.js'
import type { StepReport } from '../../../src/report/types.js'
import type { KService } from '../../../src/knative/types.js'

const summary = (requests: number, errors: number, p99: number) => ({
  requests,
  errors,
  successRate: requests ? (requests - errors) / requests : 0,
  p50: p99 / 2,
  p99
})

const failed: StepReport = {
  percent: 50,
  verdict: 'fail',
  reason: 'The candidate is worse than the current: 12 errors in 40 requests',
  candidate: summary(40, 12, 21.04567),
  current: summary(41, 0, 20.1),
  stats: {
    elapsedMs: 4200,
    candidateRequests: 40,
    candidateErrors: 12,
    errorEvidence: 9.123456,
    latencyShiftMs: 0.123456
  },
  checks: [
    { name: 'request-success-rate', verdict: 'fail', value: 70.123456, reason: 'below 99' },
    { name: 'ghost', verdict: 'inconclusive', reason: 'ghost: no data yet' }
  ],
  startedAt: 1_000,
  endedAt: 5_200
}

test.each([
  {
    name: 'a failed step: tuples, judge figures without the counts, checks with values',
    step: failed,
    evidence: {
      percent: 50,
      verdict: 'fail',
      ms: 4200,
      candidate: [40, 12, 21],
      current: [41, 0, 20.1],
      stats: { errorEvidence: 9.12, latencyShiftMs: 0.123 },
      checks: [
        { name: 'request-success-rate', verdict: 'fail', value: 70.1 },
        { name: 'ghost', verdict: 'inconclusive' }
      ]
    },
    line: 'step 50%: fail after 4.2s; candidate 12/40 errors, p99 21 ms; current 0/41 errors, p99 20.1 ms; checks: request-success-rate 70.1 fail, ghost no data inconclusive'
  },
  {
    name: 'probe-rps 0: no tuples, only the checks',
    step: {
      percent: 10,
      verdict: 'pass',
      candidate: summary(0, 0, 0),
      current: summary(0, 0, 0),
      checks: [{ name: 'request-success-rate', verdict: 'pass', value: 100, reason: 'ok' }],
      startedAt: 0,
      endedAt: 60_000
    } satisfies StepReport,
    evidence: {
      percent: 10,
      verdict: 'pass',
      ms: 60_000,
      checks: [{ name: 'request-success-rate', verdict: 'pass', value: 100 }]
    },
    line: 'step 10%: pass after 60s; checks: request-success-rate 100 ✓'
  },
  {
    name: 'judged on the data plane’s figures: the source is kept and said',
    step: {
      percent: 25,
      verdict: 'pass',
      source: 'revision_app_request_count',
      candidate: summary(1520, 2, 95),
      current: summary(4480, 5, 90),
      startedAt: 0,
      endedAt: 60_000
    } satisfies StepReport,
    evidence: {
      percent: 25,
      verdict: 'pass',
      ms: 60_000,
      candidate: [1520, 2, 95],
      current: [4480, 5, 90],
      source: 'revision_app_request_count'
    },
    line: 'step 25%: pass after 60s (judged on all traffic: revision_app_request_count); candidate 2/1520 errors, p99 95 ms; current 5/4480 errors, p99 90 ms'
  },
  {
    // The history has a byte budget: figures the tuples carry are not kept twice, and an
    // emptied stats object is not kept at all.
    name: 'judge figures that are all counts or not finite: no stats kept',
    step: {
      percent: 50,
      verdict: 'inconclusive',
      candidate: summary(3, 0, 12),
      current: summary(0, 0, 0),
      stats: { elapsedMs: 1000, candidateRequests: 3, currentP99Ms: 0, latencyZ: NaN },
      startedAt: 2_000,
      endedAt: 1_000
    } satisfies StepReport,
    evidence: { percent: 50, verdict: 'inconclusive', ms: 0, candidate: [3, 0, 12] },
    line: 'step 50%: inconclusive after 0s; candidate 0/3 errors, p99 12 ms'
  }
])('$name', ({ step, evidence, line }) => {
  expect(stepEvidence(step)).toEqual(evidence)
  expect(describeEvidence(stepEvidence(step))).toBe(line)
})

test('the history annotation stays within its byte budget, newest entries kept', () => {
  const svc: KService = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 'shop', namespace: 'default' },
    spec: { template: { spec: { containers: [{ image: 'x' }] } } }
  }
  const state: RolloutState = {
    phase: 'rolled-back',
    current: 'shop-v1',
    candidate: 'shop-v2',
    percent: 0,
    steps: [10, 100],
    failures: 1,
    history: Array.from({ length: 20 }, (_, i) => ({
      at: i,
      event: `step ${i}: ${'x'.repeat(4_000)}`,
      evidence: stepEvidence(failed)
    }))
  }
  const written = writeState(svc, state)
  const json = written.metadata.annotations!['rollout.knative-rollout.dev/history']
  expect(Buffer.byteLength(json)).toBeLessThanOrEqual(HISTORY_MAX_BYTES)
  const history = readState(written)!.history
  expect(history.length).toBeGreaterThan(1)
  expect(history.at(-1)!.at).toBe(19)
  expect(history.at(-1)!.evidence).toEqual(stepEvidence(failed))
})
