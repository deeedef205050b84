// A bounded pool for many independent async tasks (child processes, rollouts): at most
// `limit` run at once, so a 2-core machine is not swamped and every task still starts.

/** Runs the tasks, at most `limit` at once; results in the tasks' order. */
export async function inPool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++
      out[i] = await tasks[i]()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
  return out
}
