// The result on stdout, as -o asks: json (one line, the default, for `| jq .result`), yaml,
// or text for people. json and yaml carry exactly the action's outputs (report/outputs.ts);
// text adds the run's message. Pure.

import { stringify } from 'yaml'
import { formatCliOutputs, toOutputs, type Outputs } from '../report/outputs.js'
import type { RolloutReport } from '../report/types.js'
import { serviceName } from '../report/cli-progress.js'
import { escapeUntrusted } from '../report/untrusted.js'
import type { OutputFormat } from './args.js'

export function formatResult(
  report: RolloutReport & { message?: string },
  format: OutputFormat,
  /** The `results` output of a run of many rollouts (pipeline/results.ts). */
  results?: unknown
): string {
  const outputs = toOutputs(report)
  const all = results === undefined ? outputs : { ...outputs, results }
  if (format === 'json') return formatCliOutputs(all)
  if (format === 'yaml') return stringify(all).trimEnd()
  return formatText(report, outputs)
}

/** `key: value` lines, aligned; empty values left out. */
export function formatText(report: RolloutReport & { message?: string }, o: Outputs): string {
  const traffic = o.traffic
    .map((t) => `${t.revisionName} ${t.percent}%${t.tag ? ` (${t.tag})` : ''}`)
    .join(', ')
  const revision = o.revision
    ? `${o.revision}${o['previous-revision'] ? ` (previous ${o['previous-revision']})` : ''}`
    : ''
  // The message quotes the cluster's annotations and apps' answers: one escaped line.
  const message = report.reason ?? report.message ?? ''
  const rows: [string, string][] = [
    ['result', `${o.result}${report.dryRun ? ' (dry run)' : ''}`],
    ['service', serviceName(report)],
    ['revision', revision],
    ['traffic', traffic],
    ['url', o.url],
    ['candidate-url', o['candidate-url']],
    ['image', o.image],
    ['digest', o.digest],
    ['commit', o.commit],
    [report.reason ? 'reason' : 'message', message && escapeUntrusted(message)]
  ]
  const shown = rows.filter(([, value]) => value)
  const pad = Math.max(...shown.map(([key]) => key.length)) + 3
  return shown.map(([key, value]) => `${`${key}:`.padEnd(pad)}${value}`).join('\n')
}

/**
 * status --watch's printer: JSON and YAML print one document per change (a stream `jq` and
 * YAML readers take: `---` between YAML documents); text blocks are set apart by a blank line.
 */
export function watchPrinter(format: OutputFormat, out: (text: string) => void) {
  let first = true
  return (text: string): void => {
    const gap = first ? '' : format === 'text' ? '\n' : format === 'yaml' ? '---\n' : ''
    first = false
    out(`${gap}${text}\n`)
  }
}
