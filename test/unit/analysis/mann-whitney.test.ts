import { hodgesLehmannShift, mannWhitney, median } from '../../../src/analysis/mann-whitney.js'

describe('mannWhitney', () => {
  // U counted by hand: pairs where the first sample is larger, ties one half.
  test.each([
    {
      name: 'fully separated, candidate slower',
      candidate: [4, 5, 6],
      current: [1, 2, 3],
      u: 9,
      z: 1.964
    },
    {
      name: 'fully separated, candidate faster',
      candidate: [1, 2, 3],
      current: [4, 5, 6],
      u: 0,
      z: -1.964
    },
    {
      name: 'textbook example (U = 17 / 3)',
      candidate: [19, 22, 16, 29, 24],
      current: [20, 11, 17, 12],
      u: 17,
      z: 1.715
    },
    {
      name: 'same samples give the mean, z 0',
      candidate: [1, 2, 3],
      current: [1, 2, 3],
      u: 4.5,
      z: 0
    },
    { name: 'ties count one half', candidate: [2, 2], current: [2, 3], u: 1, z: -1.0 }
  ])('$name', ({ candidate, current, u, z }) => {
    const r = mannWhitney(candidate, current)
    expect(r.u).toBe(u)
    expect(r.z).toBeCloseTo(z, 2)
  })

  test('no samples on one side gives no information', () => {
    expect(mannWhitney([], [1, 2])).toEqual({ u: 0, z: 0, information: 0 })
  })
})

describe('hodgesLehmannShift', () => {
  test.each([
    // differences 3,2,1,4,3,2,5,4,3 → median 3
    { name: 'shift of 3', candidate: [4, 5, 6], current: [1, 2, 3], shift: 3 },
    { name: 'no shift', candidate: [1, 2, 3], current: [1, 2, 3], shift: 0 },
    // differences -1,-2,0,-1 → sorted -2,-1,-1,0 → mean of the middle two = -1
    { name: 'even count of pairs, negative', candidate: [1, 2], current: [2, 3], shift: -1 },
    { name: 'one pair', candidate: [10], current: [4], shift: 6 },
    // one huge outlier barely moves it: differences 7,8,8,9,9,10,97,98,99 → 9
    { name: 'robust to one outlier', candidate: [10, 11, 100], current: [1, 2, 3], shift: 9 }
  ])('$name', ({ candidate, current, shift }) => {
    expect(hodgesLehmannShift(candidate, current)).toBeCloseTo(shift, 5)
  })
})

test.each([
  { name: 'odd', values: [3, 1, 2], m: 2 },
  { name: 'even', values: [4, 1, 3, 2], m: 2.5 },
  { name: 'empty', values: [], m: 0 }
])('median: $name', ({ values, m }) => {
  expect(median(values)).toBe(m)
})
