// A Clock for running rollouts in virtual time (tests, benchmarks): time stands still while
// anything can still run, and jumps to the next timer once everything is waiting on one.
// A one-hour rollout against in-memory fakes takes milliseconds.

import type { Clock } from '../../src/rollout/ports.js'

interface Timer {
  at: number
  seq: number
  resolve: () => void
}

export class VirtualClock implements Clock {
  private time: number
  private seq = 0
  private timers: Timer[] = []
  private scheduled = false

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start
  }

  now(): number {
    return this.time
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const timer: Timer = {
        at: this.time + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }
      }
      const onAbort = (): void => {
        this.timers = this.timers.filter((t) => t !== timer)
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.timers.push(timer)
      this.schedule()
    })
  }

  /** Moves time forward by hand (timers due by then fire). */
  advance(ms: number): void {
    this.time += ms
    this.fireDue()
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    // Two macrotask turns: every promise chain that can progress has progressed by then.
    setImmediate(() =>
      setImmediate(() => {
        this.scheduled = false
        if (this.timers.length === 0) return
        const next = this.timers.reduce((a, b) =>
          a.at < b.at || (a.at === b.at && a.seq < b.seq) ? a : b
        )
        this.time = Math.max(this.time, next.at)
        this.fireDue()
      })
    )
  }

  private fireDue(): void {
    const due = this.timers
      .filter((t) => t.at <= this.time)
      .sort((a, b) => a.at - b.at || a.seq - b.seq)
    this.timers = this.timers.filter((t) => t.at > this.time)
    for (const t of due) t.resolve()
    if (this.timers.length) this.schedule()
  }
}
