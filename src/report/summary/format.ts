// The summary's one way to write each kind of figure: a share, a latency, a count, a time
// and a duration. Every table cell, chart label and sentence goes through these, so a p99
// reads the same wherever it appears.

/** Latency: whole ms from 10 ms up, one decimal below (a 2.4 ms p99 is not "2 ms"). */
export function ms(value: number): string {
  return `${latency(value)} ms`
}

/** The number ms() prints, for chart series. */
export function latency(value: number): number {
  const v = Math.max(0, value)
  return v >= 10 ? Math.round(v) : Math.round(v * 10) / 10
}

/** A ratio 0..1 as a percent with at most two decimals; a non-zero sliver is "<0.01%". */
export function percentOf(ratio: number): string {
  if (ratio > 0 && ratio < 0.0001) return '<0.01%'
  return `${rate(ratio)}%`
}

/** The number percentOf() prints, for chart series. */
export function rate(ratio: number): number {
  return Math.round(ratio * 10_000) / 100
}

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

/** `12 of 50 failed`: the figure the verdict rests on, as a person counts it. */
export function failed(errors: number, requests: number): string {
  return `${count(errors)} of ${count(requests)} failed`
}

/** A wall-clock time of day in UTC, `14:02:05`. */
export function clockTime(at: number): string {
  return new Date(at).toISOString().slice(11, 19)
}

/** The date and time, `2026-12-03 14:02:05 UTC`. */
export function dateTime(at: number): string {
  const iso = new Date(at).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`
}

/** `45s`, `2m 05s`, `1h 02m`. */
export function duration(msTotal: number): string {
  const s = Math.max(0, Math.round(msTotal / 1000))
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`
}

/** Minutes and seconds since the start, for chart labels: `2:05`. */
export function elapsed(msSince: number): string {
  const s = Math.max(0, Math.round(msSince / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}
