// The `results` output: one entry per Service and cluster, in the order of the plan.
// Revision names come back from the cluster and reasons quote apps and servers, so both are
// checked or escaped here (report/untrusted.ts), as the single-service outputs are.

import type { RolloutReport, RolloutResult } from '../report/types.js'
import { revisionsOf } from '../report/outputs.js'
import { escapeUntrusted } from '../report/untrusted.js'

export interface ResultRow {
  service: string
  namespace: string
  /** The stage's name; empty without waves. */
  wave: string
  /** The cluster's name; empty without waves. */
  cluster: string
  result: RolloutResult
  revision: string
  previousRevision: string
  reason: string
}

const MAX_REASON = 500

export function resultRow(
  where: { wave?: string; cluster?: string },
  report: Pick<
    RolloutReport,
    'service' | 'namespace' | 'result' | 'reason' | 'candidateRevision' | 'currentRevision'
  >
): ResultRow {
  let revisions: { revision: string; previous: string }
  let reason = report.reason ?? ''
  try {
    revisions = revisionsOf(report)
  } catch (err) {
    // A revision name that is no DNS label is refused, not written; the entry says why.
    revisions = { revision: '', previous: '' }
    reason = [reason, (err as Error).message].filter(Boolean).join('; ')
  }
  return {
    service: escapeUntrusted(report.service, 100),
    namespace: report.namespace,
    wave: where.wave ?? '',
    cluster: where.cluster ?? '',
    result: report.result,
    revision: revisions.revision,
    previousRevision: revisions.previous,
    reason: escapeUntrusted(reason, MAX_REASON)
  }
}

/** The output's value: JSON on one line. */
export function formatResults(rows: readonly ResultRow[]): string {
  return JSON.stringify(rows)
}
