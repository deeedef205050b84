import { clockTime, duration, ms, percentOf } from '../../../src/report/summary/format.js'
import { statLines } from '../../../src/report/summary/stats.js'
import { plainReason, stepWords } from '../../../src/report/summary/verdict.js'
import type { StepReport } from '../../../src/report/types.js'

const probe = (requests: number, errors: number, p99: number) => ({
  requests,
  errors,
  successRate: requests ? (requests - errors) / requests : 0,
  p50: p99 / 2,
  p99
})

describe('one way to write each figure', () => {
  test.each([
    ['a p99 above 10 ms, whole', ms(12.4), '12 ms'],
    ['a p99 at 9.96 ms rounds to 10', ms(9.96), '10 ms'],
    ['a p99 below 10 ms keeps a decimal', ms(2.44), '2.4 ms'],
    ['an error share, at most two decimals', percentOf(2 / 1520), '0.13%'],
    ['a whole share', percentOf(0.24), '24%'],
    ['a sliver is not 0%', percentOf(1 / 1_000_000), '<0.01%'],
    ['seconds', duration(45_400), '45s'],
    ['minutes', duration(125_000), '2m 05s'],
    ['hours', duration(3_720_000), '1h 02m'],
    ['a time of day in UTC', clockTime(Date.UTC(2026, 0, 1, 9, 5, 7)), '09:05:07']
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected)
  })
})

describe('a verdict in words', () => {
  test.each([
    {
      name: 'errors established: clearly worse, with both counts',
      step: {
        percent: 10,
        verdict: 'fail',
        stats: { errorEvidence: Math.log(1e9) },
        candidate: probe(50, 12, 30),
        current: probe(50, 0, 10)
      },
      words: 'clearly worse: 12 of 50 failed against 0 of 50'
    },
    {
      name: 'latency established: clearly slower, by how much',
      step: {
        percent: 10,
        verdict: 'fail',
        stats: { latencyZ: 6, latencyBoundary: 4.3, latencyShiftMs: 40.2, latencyToleranceMs: 5 },
        candidate: probe(50, 0, 90),
        current: probe(50, 0, 10)
      },
      words: 'clearly slower: median +40 ms (5 ms tolerated)'
    },
    {
      name: 'a pass against the current',
      step: {
        percent: 25,
        verdict: 'pass',
        stats: {},
        candidate: probe(300, 1, 12),
        current: probe(300, 0, 11)
      },
      words: 'as good as the current: 1 of 300 failed against 0 of 300, p99 12 ms against 11 ms'
    },
    {
      name: 'a first-deploy style pass (no current)',
      step: { percent: 25, verdict: 'pass', stats: {}, candidate: probe(60, 0, 4) },
      words: 'within the thresholds: 0 of 60 failed, p99 4 ms'
    },
    {
      name: 'anything else: the reason without the judge’s odds',
      step: {
        percent: 25,
        verdict: 'inconclusive',
        reason: 'The error rate leans high (evidence 30:1, needed 1000:1): extending the step'
      },
      words: 'The error rate leans high: extending the step'
    }
  ] as { name: string; step: StepReport; words: string }[])('$name', ({ step, words }) => {
    expect(stepWords(step)).toBe(words)
  })

  test('plainReason leaves text without odds alone', () => {
    expect(plainReason('p99 900 ms is above 500 ms')).toBe('p99 900 ms is above 500 ms')
  })
})

describe('statistics in plain names', () => {
  test('odds as "N to 1" with the bar they fail at; scores with theirs; table figures left out', () => {
    expect(
      statLines({
        candidateRequests: 50,
        elapsedMs: 30_000,
        errorEvidence: Math.log(20),
        latencyZ: 1.23,
        latencyBoundary: 4.3,
        somethingNewMs: 12.345
      })
    ).toEqual([
      'odds that the candidate fails more often than the current: 20 to 1 (fails at 1,000 to 1)',
      'latency rank test (Mann–Whitney z): 1.2 (fails at 4.3)',
      'something new (ms): 12.3'
    ])
  })
})
