import {
  MAX_STEP_ROUNDS,
  analysisBounds,
  nextBatchMs,
  timing,
  type Timing
} from '../../../src/rollout/timing.js'

describe('timing: every duration from step-interval', () => {
  test.each<[string, number, Partial<Timing>]>([
    [
      '30 s: batches of 6 s, steps of 30–90 s, the minimum lease of 120 s',
      30_000,
      {
        intervalMs: 30_000,
        batchMs: 6_000,
        maxStepMs: 90_000,
        leaseSeconds: 120,
        renewEveryMs: 40_000
      }
    ],
    [
      '2 min: batches of 24 s, a lease of two intervals and 30 s',
      120_000,
      { batchMs: 24_000, maxStepMs: 360_000, leaseSeconds: 270, renewEveryMs: 90_000 }
    ],
    [
      '1 s: batches never below 1 s',
      1_000,
      { batchMs: 1_000, maxStepMs: 3_000, leaseSeconds: 120 }
    ],
    ['3 s: a batch of 1 s (not 600 ms)', 3_000, { batchMs: 1_000 }],
    ['an odd interval rounds the batch', 7_777, { batchMs: 1_555 }],
    ['a lease rounds its seconds up', 45_500, { leaseSeconds: 121 }]
  ])('%s', (_name, interval, want) => {
    expect(timing(interval)).toMatchObject(want)
  })

  test('a step may take up to MAX_STEP_ROUNDS intervals', () => {
    expect(MAX_STEP_ROUNDS).toBe(3)
    expect(timing(10_000).maxStepMs).toBe(30_000)
  })
})

describe('nextBatchMs: looks end exactly at the interval and at the maximum', () => {
  const t = timing(10_000) // batches of 2 s; interval 10 s; maximum 30 s
  test.each<[string, number, number]>([
    ['a full batch at the start', 0, 2_000],
    ['a full batch in the middle', 4_000, 2_000],
    ['cut to end at the interval (the prober ran short of its batch)', 8_900, 1_100],
    ['the last millisecond before the interval', 9_999, 1],
    ['at the interval: a full batch of the extension', 10_000, 2_000],
    ['cut to end at the maximum', 29_500, 500],
    ['past the maximum (a hold): full batches', 31_000, 2_000]
  ])('%s', (_name, elapsed, want) => {
    expect(nextBatchMs(t, elapsed)).toBe(want)
  })

  test('a walk of looks from 0 lands on the interval, not past it', () => {
    // The prober's batch ends at its last request, a little before the batch: 97% of it.
    let elapsed = 0
    const ends: number[] = []
    while (elapsed < t.intervalMs) {
      const look = nextBatchMs(t, elapsed)
      elapsed += look < t.batchMs ? look : Math.round(look * 0.97)
      ends.push(elapsed)
    }
    expect(elapsed).toBe(t.intervalMs)
    expect(ends.length).toBeLessThanOrEqual(6)
  })
})

describe('analysisBounds: what the timeout must allow for', () => {
  test.each<[string, number, number, { minMs: number; maxMs: number }]>([
    ['no analysed step', 0, 30_000, { minMs: 0, maxMs: 0 }],
    ['one step of 30 s: 30 s to 90 s', 1, 30_000, { minMs: 30_000, maxMs: 90_000 }],
    ['four steps of 1 min', 4, 60_000, { minMs: 240_000, maxMs: 720_000 }]
  ])('%s', (_name, steps, interval, want) => {
    expect(analysisBounds(steps, interval)).toEqual(want)
  })
})
