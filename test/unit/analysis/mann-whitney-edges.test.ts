// Mann-Whitney at its edges (mann-whitney.ts): tie groups, all-tied samples, the information.

import { hodgesLehmannShift, mannWhitney, median } from '../../../src/analysis/mann-whitney.js'

/** U and z by the textbook: count pairs, tie-corrected variance. */
function byHand(x: number[], y: number[]) {
  let u = 0
  for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0
  const all = [...x, ...y]
  const n = all.length
  const counts = new Map<number, number>()
  for (const v of all) counts.set(v, (counts.get(v) ?? 0) + 1)
  const ties = [...counts.values()].reduce((s, t) => s + t ** 3 - t, 0)
  const variance = ((x.length * y.length) / 12) * (n + 1 - ties / (n * (n - 1)))
  return { u, z: (u - (x.length * y.length) / 2) / Math.sqrt(variance) }
}

describe('mannWhitney', () => {
  test.each([
    {
      name: 'interleaved with ties across',
      candidate: [1, 3, 3, 5, 8],
      current: [2, 3, 4, 4, 9, 9]
    },
    { name: 'ties inside the candidate only', candidate: [7, 7, 7, 1], current: [2, 5, 6] },
    { name: 'ties inside the current only', candidate: [2, 6], current: [4, 4, 4, 1] },
    {
      name: 'unsorted, negative and fractional',
      candidate: [0.5, -2, 10.25],
      current: [3, -2, 0.5, 11]
    },
    { name: 'one against many', candidate: [5], current: [1, 2, 3, 4, 6, 7] }
  ])('$name: as counted by hand', ({ candidate, current }) => {
    const want = byHand(candidate, current)
    const r = mannWhitney(candidate, current)
    expect(r.u).toBeCloseTo(want.u, 12)
    expect(r.z).toBeCloseTo(want.z, 9)
    expect(r.information).toBeCloseTo(
      (candidate.length * current.length) / (candidate.length + current.length),
      12
    )
  })

  test.each([
    { name: 'all samples equal', candidate: [5, 5, 5], current: [5, 5] },
    { name: 'one each, equal', candidate: [3], current: [3] },
    { name: 'many equal', candidate: Array(40).fill(120), current: Array(60).fill(120) }
  ])('$name: no evidence either way, z 0 (not NaN)', ({ candidate, current }) => {
    const r = mannWhitney(candidate, current)
    expect(r.u).toBe((candidate.length * current.length) / 2)
    expect(r.z).toBe(0)
  })

  test('the inputs are not sorted in place', () => {
    const candidate = [3, 1, 2]
    const current = [9, 7, 8]
    mannWhitney(candidate, current)
    hodgesLehmannShift(candidate, current)
    median(candidate)
    expect(candidate).toEqual([3, 1, 2])
    expect(current).toEqual([9, 7, 8])
  })

  test.each([
    { name: 'no candidate samples', candidate: [], current: [1] },
    { name: 'no current samples', candidate: [1, 2], current: [] }
  ])('$name: nothing', ({ candidate, current }) => {
    expect(mannWhitney(candidate, current)).toEqual({ u: 0, z: 0, information: 0 })
  })
})

describe('hodgesLehmannShift', () => {
  /** The median of all pairwise differences, listed. */
  const byHand = (x: number[], y: number[]) => {
    const d = x.flatMap((a) => y.map((b) => a - b)).sort((p, q) => p - q)
    const m = Math.floor(d.length / 2)
    return d.length % 2 ? d[m] : (d[m - 1] + d[m]) / 2
  }
  test.each([
    { name: 'large latencies', candidate: [1200, 1350, 990, 1720], current: [1000, 1010, 1300] },
    { name: 'fractional', candidate: [0.11, 0.52, 0.3], current: [0.1, 0.2] },
    { name: 'negative shift', candidate: [1, 2, 3], current: [10, 12, 15, 11] },
    { name: 'with ties', candidate: [5, 5, 6, 7], current: [5, 5, 5] }
  ])('$name: the median of the differences', ({ candidate, current }) => {
    expect(hodgesLehmannShift(candidate, current)).toBeCloseTo(byHand(candidate, current), 4)
  })

  test.each([
    { name: 'no candidate', candidate: [], current: [1] },
    { name: 'no current', candidate: [1], current: [] }
  ])('$name: 0', ({ candidate, current }) => {
    expect(hodgesLehmannShift(candidate, current)).toBe(0)
  })
})

test.each([
  { name: 'one', values: [7], m: 7 },
  { name: 'unsorted even', values: [10, -1, 3, 2], m: 2.5 },
  { name: 'unsorted odd', values: [9, 1, 5, 3, 7], m: 5 }
])('median: $name', ({ values, m }) => {
  expect(median(values)).toBe(m)
})
