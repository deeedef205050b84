// The CLI's progress on stderr. On a terminal: a status block redrawn in place, in colour
// (live-view.ts). Not a terminal (a pipe, a CI log), or NO_COLOR set
// (no-color.org), or TERM=dumb: plain lines, each with its time. Stdout stays the JSON result.

import { formatResultLine, formatStepLine } from './cli-progress.js'
import { formatProgressLine, type StepProgress } from './progress.js'
import { redact } from './redact.js'
import type { RolloutReport, StepReport } from './types.js'

export interface ProgressView {
  /** A log line (the terminal logger writes through this). */
  line(text: string): void
  progress(p: StepProgress, unit?: string): void
  /** `unit` names the Service (and cluster) when a run rolls out several. */
  step(s: StepReport, unit?: string): void
  result(r: RolloutReport): void
}

export interface ViewStream {
  write(chunk: string): boolean
  isTTY?: boolean
  columns?: number
  rows?: number
}

export interface ViewOptions {
  stream: ViewStream
  env: NodeJS.ProcessEnv
  /** Removed from every line: there is no runner masking on a terminal. */
  secrets: readonly (string | undefined)[]
  /** The injected clock's time, for the plain lines' timestamps. */
  now: () => number
}

/**
 * Redrawn in place only on a terminal that takes colour and says its size: log-update draws
 * nothing on a terminal of 0 rows (a pseudo-terminal nobody sized).
 */
export function viewKind(stream: ViewStream, env: NodeJS.ProcessEnv): 'live' | 'plain' {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== ''
  const sized = stream.rows !== 0 && stream.columns !== 0
  return stream.isTTY && sized && !noColor && env.TERM !== 'dumb' ? 'live' : 'plain'
}

/** The live view's libraries are loaded only for a terminal (start-up of a CI run: issue 10). */
export async function progressView(o: ViewOptions): Promise<ProgressView> {
  if (viewKind(o.stream, o.env) === 'plain') return plainView(o)
  const { liveView } = await import('./live-view.js')
  return liveView(o)
}

/** `14:03:07 step 2/4 at 25%: …`, local time. */
export function plainView(o: ViewOptions): ProgressView {
  const line = (text: string): void => {
    const stamp = new Date(o.now()).toTimeString().slice(0, 8)
    o.stream.write(`${stamp} ${redact(text, o.secrets)}\n`)
  }
  return {
    line,
    progress: (p, unit) => line(formatProgressLine(p, unit)),
    step: (s, unit) => line(formatStepLine(s, unit)),
    result: (r) => line(formatResultLine(r))
  }
}
