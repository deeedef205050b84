// Runs jobs with at most `limit` at once, in order of the list. Pure scheduling: no clock;
// `stopped()` is asked before each start, so a failure (fail-fast) or a cancel keeps the
// rest from starting. Jobs that never started are `undefined` in the answer.

export async function runBounded<T, R>(
  items: readonly T[],
  limit: number,
  job: (item: T, index: number) => Promise<R>,
  stopped: () => boolean = () => false
): Promise<(R | undefined)[]> {
  const out: (R | undefined)[] = new Array<R | undefined>(items.length).fill(undefined)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length && !stopped()) {
      const i = next++
      out[i] = await job(items[i], i)
    }
  }
  const workers = Math.max(1, Math.min(limit, items.length))
  await Promise.all(Array.from({ length: workers }, worker))
  return out
}
