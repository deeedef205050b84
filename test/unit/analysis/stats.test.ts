import { percentile, summarise } from '../../../src/analysis/stats.js'
import type { ProbeSample } from '../../../src/rollout/ports.js'

const s = (status: number, latencyMs: number): ProbeSample => ({ at: 0, status, latencyMs })
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

describe('percentile (nearest rank)', () => {
  test.each([
    { name: 'empty', values: [] as number[], p: 99, expected: 0 },
    { name: 'one value', values: [7], p: 50, expected: 7 },
    { name: 'p50 of 1..10', values: range(10), p: 50, expected: 5 },
    { name: 'p99 of 1..10 is the max', values: range(10), p: 99, expected: 10 },
    { name: 'p99 of 1..100', values: range(100), p: 99, expected: 99 },
    { name: 'p99 of 1..1000', values: range(1000), p: 99, expected: 990 },
    { name: 'p0 is the min', values: [3, 4, 5], p: 0, expected: 3 }
  ])('$name', ({ values, p, expected }) => {
    expect(percentile(values, p)).toBe(expected)
  })
})

describe('summarise', () => {
  test.each([
    {
      name: 'no samples',
      samples: [],
      expected: { requests: 0, errors: 0, successRate: 0, p50: 0, p99: 0 }
    },
    {
      name: 'all good',
      samples: [s(200, 10), s(200, 30), s(200, 20)],
      expected: { requests: 3, errors: 0, successRate: 1, p50: 20, p99: 30 }
    },
    {
      name: '5xx and network errors count, 4xx does not',
      samples: [s(200, 1), s(404, 2), s(500, 3), s(0, 4)],
      expected: { requests: 4, errors: 2, successRate: 0.5, p50: 2, p99: 4 }
    },
    {
      name: 'unsorted latencies',
      samples: [s(200, 50), s(200, 10), s(503, 40), s(200, 20)],
      expected: { requests: 4, errors: 1, successRate: 0.75, p50: 20, p99: 50 }
    }
  ])('$name', ({ samples, expected }) => {
    expect(summarise(samples)).toEqual(expected)
  })
})
