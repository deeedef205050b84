// Durations as users write them in workflow inputs: Go's syntax (`30s`, `2m`, `1h30m`,
// `1500ms`, `1.5h`), always with a unit, never negative. Pure.

/**
 * Every duration input's upper bound: a self-hosted runner's job limit (5 days). Node fires
 * a timer longer than 2^31-1 ms (24.8 days) at once, so an unbounded one would not wait.
 */
export const MAX_DURATION_MS = 5 * 24 * 3_600_000

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }
const TERM = /(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)/y

/** Milliseconds for a duration like `1h30m`; throws an Error saying what is wrong. */
export function parseDuration(text: string): number {
  const s = text.trim()
  if (s === '') throw new Error('is empty')
  if (s.startsWith('-')) throw new Error('is negative')
  let ms = 0
  TERM.lastIndex = 0
  while (TERM.lastIndex < s.length) {
    const at = TERM.lastIndex
    const m = TERM.exec(s)
    if (!m) {
      const rest = s.slice(at)
      throw new Error(
        /^\d+(\.\d+)?$/.test(rest)
          ? `has no unit after ${rest} (use ms, s, m or h)`
          : `cannot read "${rest}" (use a number and a unit: ms, s, m or h)`
      )
    }
    ms += Number(m[1]) * UNIT_MS[m[2]]
  }
  if (!Number.isFinite(ms)) throw new Error('is too long')
  return Math.round(ms)
}

/** The reason `text` is not a duration, or undefined. */
export function durationProblem(text: string): string | undefined {
  try {
    parseDuration(text)
    return undefined
  } catch (e) {
    return (e as Error).message
  }
}

/** Go-style: `1h30m`, `2m`, `1m30s`, `1.5s`, `250ms`, `0s`. */
export function formatDuration(ms: number): string {
  if (ms < 0) return `-${formatDuration(-ms)}`
  if (ms === 0) return '0s'
  if (ms < 1_000) return `${Math.round(ms)}ms`
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const s = (ms % 60_000) / 1_000
  const sec = s ? `${Number(s.toFixed(3))}s` : ''
  if (h) return `${h}h${m || sec ? `${m}m` : ''}${sec}`
  if (m) return `${m}m${sec}`
  return sec
}
