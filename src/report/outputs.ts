// The action's outputs (as action.yml lists them), from a report. The action writes them with
// core.setOutput (writeActionOutputs in actions-log.ts); the CLI prints them as one JSON object.

import type { RolloutReport, TrafficShare } from './types.js'

export interface Outputs {
  result: string
  /** The revision this run deployed; the serving one when nothing was deployed (status). */
  revision: string
  /** The revision serving before this run; empty on a first deploy. */
  'previous-revision': string
  url: string
  'candidate-url': string
  image: string
  digest: string
  traffic: TrafficShare[]
}

export function toOutputs(report: RolloutReport): Outputs {
  return {
    result: report.result,
    revision: report.candidateRevision ?? report.currentRevision ?? '',
    'previous-revision': report.candidateRevision ? (report.currentRevision ?? '') : '',
    url: report.url ?? '',
    'candidate-url': report.candidateUrl ?? '',
    image: report.image ?? '',
    digest: report.digest ?? '',
    traffic: report.traffic
  }
}

/** The CLI: the outputs as the last line on stdout, for scripts (`| jq .result`). */
export function formatCliOutputs(outputs: Outputs): string {
  return JSON.stringify(outputs)
}
