// What a run reports: plain data the engine fills in and the reporters render
// (job summary, outputs, CLI lines).

import type { ProbeSummary } from '../analysis/stats.js'

import type { Verdict } from '../analysis/verdict.js'

export type RolloutResult =
  // previewed: a pull request's preview is ready on its own tag URL (commands/preview.ts).
  'promoted' | 'rolled-back' | 'paused' | 'aborted' | 'unchanged' | 'previewed' | 'failed'

/** One revision's figures at a look, cumulative since its step began (what the judge weighed). */
export interface LookFigures {
  requests: number
  errors: number
  p99Ms: number
}

/** One look of a step's analysis: when, and what each revision had shown so far. */
export interface LookReport {
  /** ms since the epoch */
  at: number
  candidate: LookFigures
  current?: LookFigures
}

export interface StepReport {
  /** The candidate's share of traffic during this step. */
  percent: number
  verdict: Verdict
  /**
   * The figures the judge weighed: the probes against each revision's tag URL, or (with
   * `source`) every request the data plane counted for each, users' and probes' alike.
   */
  candidate?: ProbeSummary
  current?: ProbeSummary
  /** Set when the figures are the data plane's: the metric they come from. */
  source?: string
  /** One line: why the step passed, failed or was inconclusive. */
  reason?: string
  /** The judge's figures behind the verdict (error evidence, latency shift, ...). */
  stats?: Record<string, number>
  /** Metric checks and rollout hooks at the step's last look. */
  checks?: { name: string; verdict: Verdict; value?: number; reason: string }[]
  /** Both revisions failed alike: a setup problem, so a rollback on it ends `failed`. */
  setupFault?: boolean
  /** Probes that got no answer at all (DNS, refused, TLS, timeout), per revision. */
  networkErrors?: { candidate: number; current: number }
  /** ms since the epoch */
  startedAt?: number
  endedAt?: number
  /** Every look the judge made in this step, oldest first (bounded: step-loop.ts). */
  looks?: LookReport[]
}

export interface TrafficShare {
  revisionName: string
  percent: number
  tag?: string
}

export interface RolloutReport {
  result: RolloutResult
  command: string
  service: string
  namespace: string
  /** The revision serving before this run (undefined on a first deploy). */
  currentRevision?: string
  /** The revision this run deployed. */
  candidateRevision?: string
  image?: string
  digest?: string
  /** The last commit the action pushed (traffic-owner: git, write-back). */
  commit?: string
  url?: string
  candidateUrl?: string
  /** The traffic split when the run ended. */
  traffic: TrafficShare[]
  steps: StepReport[]
  /** Why it rolled back or failed (or paused), one or a few sentences. */
  reason?: string
  /** Where in the repository the fault is (a manifest's bad field): the annotation's place. */
  location?: SourceLocation
  /** What the API server warned about on the dry-run write (`Warning` headers): untrusted text. */
  warnings?: string[]
  dryRun?: boolean
  /** A dry run's plan: the steps it would walk and what it would write. */
  plan?: { steps: number[]; pauseAt?: number; stepIntervalMs: number; changes?: string }
  /** The inputs were refused before anything ran (main.ts). */
  badInput?: boolean
  /** When the run began and ended, ms since the epoch (the entry's clock). */
  startedAt?: number
  endedAt?: number
}

/** A file relative to the workspace, a 1-based line and column. */
export interface SourceLocation {
  file: string
  line: number
  column?: number
}
