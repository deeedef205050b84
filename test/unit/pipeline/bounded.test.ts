// runBounded (pipeline/bounded.ts): at most `limit` jobs at once, in the order of the list,
// and none started once `stopped()` says so.

import { runBounded } from '../../../src/pipeline/bounded.js'

/** Jobs that each wait for a turn of the event loop, recording how many run at once. */
function recorder() {
  let running = 0
  const seen = { most: 0, started: [] as number[] }
  const job = async (item: string, index: number): Promise<string> => {
    running++
    seen.most = Math.max(seen.most, running)
    seen.started.push(index)
    await new Promise<void>((resolve) => setImmediate(resolve))
    running--
    return item.toUpperCase()
  }
  return { job, seen }
}

describe('runBounded', () => {
  test.each([
    { name: 'one at a time', items: ['a', 'b', 'c'], limit: 1, most: 1 },
    { name: 'two at a time', items: ['a', 'b', 'c'], limit: 2, most: 2 },
    { name: 'a limit above the count runs all at once', items: ['a', 'b'], limit: 5, most: 2 },
    { name: 'a limit of 0 still runs one', items: ['a', 'b'], limit: 0, most: 1 }
  ])('$name; without stopped() every job runs, answers in list order', async (row) => {
    const { job, seen } = recorder()
    const out = await runBounded(row.items, row.limit, job)
    expect(out).toEqual(row.items.map((i) => i.toUpperCase()))
    expect(seen.most).toBe(row.most)
    expect(seen.started).toEqual(row.items.map((_, i) => i))
  })

  test('no items: no jobs, an empty answer', async () => {
    const { job, seen } = recorder()
    expect(await runBounded([], 3, job)).toEqual([])
    expect(seen.started).toEqual([])
  })

  test('once stopped() is true nothing more starts; those jobs answer undefined', async () => {
    const { job, seen } = recorder()
    const out = await runBounded(['a', 'b', 'c', 'd'], 1, job, () => seen.started.length >= 2)
    expect(out).toEqual(['A', 'B', undefined, undefined])
    expect(seen.started).toEqual([0, 1])
  })
})
