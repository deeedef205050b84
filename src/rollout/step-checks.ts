// The analysis beyond synthetic probes: Prometheus metric checks and the user's webhooks
// (Flagger's hook types), composed into the one port the engine calls at its phases.

import type { Clock } from './ports.js'
import { judgeMetric, parseMetricChecks, renderQuery } from '../analysis/metric-checks.js'
import { PrometheusClient } from '../analysis/prometheus.js'
import {
  parseWebhooks,
  WebhookRunner,
  type FlaggerPhase,
  type HookContext
} from '../analysis/webhooks.js'

export interface CheckContext {
  namespace: string
  service: string
  candidate: string
  current: string
  percent: number
}

export interface CheckOutcome {
  name: string
  verdict: 'pass' | 'fail' | 'inconclusive'
  reason: string
}

/** What the engine asks at its phases; every method is a no-op when nothing is configured. */
export interface StepChecks {
  /** After the candidate is ready, before any traffic: `pre-rollout` hooks. */
  preRollout(ctx: CheckContext): Promise<CheckOutcome[]>
  /** At the end of each step's analysis: metric queries and `rollout` hooks. */
  step(ctx: CheckContext): Promise<CheckOutcome[]>
  /** Before promoting: waits for `confirm-promotion` gates (throws when still closed). */
  confirmPromotion(ctx: CheckContext, maxWaitMs: number, signal?: AbortSignal): Promise<void>
  /** After promotion: `post-rollout` notifications (never fail the rollout). */
  postRollout(ctx: CheckContext): Promise<void>
}

export const NO_CHECKS: StepChecks = {
  preRollout: async () => [],
  step: async () => [],
  confirmPromotion: async () => undefined,
  postRollout: async () => undefined
}

export function createStepChecks(
  config: { prometheusUrl?: string; metrics?: string; webhooks?: string },
  clock: Clock
): StepChecks {
  const metrics = parseMetricChecks(config.metrics)
  const prometheus = config.prometheusUrl ? new PrometheusClient(config.prometheusUrl) : undefined
  const hooks = new WebhookRunner(parseWebhooks(config.webhooks), clock)
  const hookCtx = (ctx: CheckContext, phase: FlaggerPhase): HookContext => ({
    service: ctx.service,
    namespace: ctx.namespace,
    phase,
    checksum: ctx.candidate
  })
  const hookOutcomes = async (type: 'pre-rollout' | 'rollout', ctx: CheckContext) =>
    (await hooks.check(type, hookCtx(ctx, 'Progressing'))).map((o): CheckOutcome => ({
      name: o.hook,
      verdict: o.ok ? 'pass' : 'fail',
      reason: o.ok
        ? `${type} hook "${o.hook}" passed`
        : `${type} hook "${o.hook}" failed (HTTP ${o.status}): ${o.detail}`
    }))

  return {
    preRollout: (ctx) => hookOutcomes('pre-rollout', ctx),
    async step(ctx) {
      const queried = await Promise.all(
        metrics.map(async (check): Promise<CheckOutcome> => {
          const query = renderQuery(check, {
            revision: ctx.candidate,
            namespace: ctx.namespace,
            service: ctx.service
          })
          return judgeMetric(check, await prometheus!.query(query))
        })
      )
      return [...queried, ...(await hookOutcomes('rollout', ctx))]
    },
    confirmPromotion: (ctx, maxWaitMs, signal) =>
      hooks.gate('confirm-promotion', hookCtx(ctx, 'WaitingPromotion'), maxWaitMs, signal),
    async postRollout(ctx) {
      await hooks.notify('post-rollout', hookCtx(ctx, 'Succeeded'))
    }
  }
}
