// What a pipeline tells GitHub (docs/pipelines.md): each Service in each cluster records its
// own Deployment, in progress while its rollout runs and closed with its result as soon as
// it ends; with waves each cluster is its own environment, `<environment>-<cluster>`. On
// pull_request runs there is one sticky comment for the whole run, with the table of every
// Service and cluster, edited in place by the next run. The calls are those of a single
// rollout (rollout-report.ts); a failure is a warning, never a failed rollout.

import type { Inputs } from '../inputs.js'
import { escapeForComment } from '../report/untrusted.js'
import { pipelineOf } from '../inputs/pipeline.js'
import { renderPipelineSummary, type PipelineSummaryInput } from '../pipeline/summary.js'
import type { UnitObserver, UnitRef } from '../pipeline/run-pipeline.js'
import type { Deployments } from './deployments.js'
import { pipelineMarker } from './pr-comment.js'
import { finishDeployment, postComment, startDeployment, type Reporting } from './rollout-report.js'

/** The units' Deployments as they start and end, then the run's one comment. */
export interface PipelineReporter extends UnitObserver {
  /** The run ended: every call settles, then the one PR comment. */
  finish(summary: PipelineSummaryInput): Promise<void>
}

/** A PR comment holds 65,536 characters; the table first, then as many details as fit. */
export const COMMENT_LIMIT_BYTES = 60_000

/** With waves, each cluster's environment: the `environment` input and the cluster's name. */
export function unitEnvironment(environment: string, cluster: string | undefined): string {
  return cluster ? `${environment}-${cluster}` : environment
}

/** The reporter of a pipeline run, or undefined when reporting is off (`reportingFor`). */
export function pipelineReporter(
  inputs: Inputs,
  r: Reporting | undefined
): PipelineReporter | undefined {
  if (!r) return undefined
  // Each unit's calls in order (start, then finish), units independent of each other.
  const units = new Map<string, Promise<Deployments | undefined>>()
  const pending: Promise<unknown>[] = []
  const key = (u: UnitRef) => `${u.cluster ?? ''}/${u.namespace}/${u.service}`
  const clusters = (pipelineOf(inputs).waves ?? []).flatMap((w) => w.clusters.map((c) => c.name))

  return {
    started(unit, recorded) {
      if (!r.deploying || units.has(key(unit))) return
      const made = (async () => {
        const ref = inputs.command === 'promote' ? await recorded() : undefined
        return startDeployment(r, {
          environment: unitEnvironment(inputs.environment!, unit.cluster),
          namespace: unit.namespace,
          service: unit.service,
          wave: unit.wave,
          cluster: unit.cluster,
          shared: true,
          ...(ref ? { ref } : {})
        })
      })()
      units.set(key(unit), made)
      pending.push(made)
    },
    ended(unit, report) {
      const made = units.get(key(unit))
      if (made) pending.push(made.then((d) => finishDeployment(r, d, report)))
    },
    async finish(summary) {
      await Promise.all(pending)
      const page = renderPipelineSummary(summary, {
        escape: escapeForComment,
        limitBytes: COMMENT_LIMIT_BYTES
      })
      await postComment(r, pipelineMarker(inputs.namespace, clusters), page)
    }
  }
}
