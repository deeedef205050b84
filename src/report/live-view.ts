// The CLI's status block on a terminal, redrawn in place as `kubectl argo rollouts get
// --watch` does: log-update redraws it, picocolors paints it, the log's lines print above it.
// Chosen and loaded by terminal-view.ts.

import { createLogUpdate } from 'log-update'
import { createColors } from 'picocolors'
import type { Verdict } from '../analysis/verdict.js'
import { formatResultLine, formatStepLine } from './cli-progress.js'
import {
  stepOrdinal,
  stepTitle,
  tallyText,
  timeText,
  type StepProgress,
  type Tally
} from './progress.js'
import { redact } from './redact.js'
import type { StepReport } from './types.js'
import { escapeUntrusted } from './untrusted.js'
import type { ProgressView, ViewOptions } from './terminal-view.js'

const MARK: Record<Verdict, string> = { pass: '✔', fail: '✖', inconclusive: '?' }

export function liveView(o: ViewOptions): ProgressView {
  // showCursor: hiding it would make log-update's cli-cursor restore it from a signal-exit
  // handler, and that handler re-raises SIGINT/SIGTERM once ours has run: the process would
  // die before the engine puts the traffic back.
  const draw = createLogUpdate(o.stream as NodeJS.WriteStream, { showCursor: true })
  const c = createColors(true)
  const done: StepReport[] = []
  let last: StepProgress | undefined
  let lastUnit: string | undefined
  let frame: string | undefined
  const clean = (text: string) => redact(text, o.secrets)

  const show = (next: string | undefined): void => {
    frame = next
    if (frame) draw(frame)
  }
  const steps = (p: StepProgress): string => {
    const marks = p.plan.map((percent) => {
      const finished = done.filter((s) => s.percent === percent).at(-1)
      if (percent === p.percent && !finished) return c.yellow(`◌ ${percent}%`)
      if (!finished) return c.dim(`· ${percent}%`)
      const paint =
        finished.verdict === 'pass' ? c.green : finished.verdict === 'fail' ? c.red : c.yellow
      return paint(`${MARK[finished.verdict]} ${percent}%`)
    })
    return marks.join('  ')
  }
  const tally = (t: Tally): string => {
    const text = tallyText(t)
    return t.errors > 0 ? c.red(text) : c.green(text)
  }
  const render = (p: StepProgress, status: string, unit?: string): string => {
    const name = (revision: string) => c.cyan(escapeUntrusted(revision, 80))
    const { n, of } = stepOrdinal(p.plan, p.percent)
    const label = (text: string) => c.dim(text.padEnd(11))
    return clean(
      [
        `${c.bold('knative-rollout')}${unit ? `  ${c.bold(escapeUntrusted(unit, 80))}` : ''}  ${status}`,
        `${label('Step')}${c.bold(p.gate ? stepTitle(p) : `${n}/${of}`)}  ${steps(p)}`,
        `${label('Candidate')}${name(p.candidateRevision)}  ${c.bold(`${p.percent}%`)}  ${tally(p.candidate)}`,
        `${label('Current')}${name(p.currentRevision)}  ${c.bold(`${100 - p.percent}%`)}  ${tally(p.current)}`,
        `${label('Time')}${timeText(p)}`
      ].join('\n')
    )
  }
  const progressing = () => c.yellow('◌ Progressing')

  return {
    line(text) {
      // Above the block: persist erases the frame, writes the line, and the frame returns.
      draw.persist(clean(text))
      if (frame) draw(frame)
    },
    progress(p, unit) {
      // Several units (a pipeline): the block shows the one that reported last, named.
      last = p
      lastUnit = unit
      show(render(p, progressing(), unit))
    },
    step(s, unit) {
      done.push(s)
      draw.persist(clean(formatStepLine(s, unit)))
      if (last) show(render(last, progressing(), lastUnit))
    },
    result(r) {
      const good = ['promoted', 'previewed', 'paused', 'unchanged'].includes(r.result)
      const paint = good ? c.green : r.result === 'aborted' ? c.yellow : c.red
      const word = paint(`${good ? '✔' : '✖'} ${r.result}`)
      if (last) show(render(last, word, lastUnit))
      // The final frame stays in the scrollback; what follows prints below it.
      draw.done()
      frame = undefined
      draw.persist(clean(paint(formatResultLine(r))))
    }
  }
}
