// The analysis beyond synthetic probes: Prometheus (metric checks, and each revision's
// served traffic for the judge) and the user's webhooks (Flagger's hook types), composed
// into the one port the engine calls at its phases.

import type { Clock } from './ports.js'
import type { Verdict } from '../analysis/verdict.js'
import { judgeMetric, renderQuery, type MetricCheck } from '../analysis/metric-checks.js'
import { PrometheusClient, type PrometheusAuth } from '../analysis/prometheus.js'
import { openTrafficWindow, type TrafficWindow } from '../analysis/traffic-window.js'
import {
  WebhookRunner,
  type FlaggerPhase,
  type GateType,
  type HookContext,
  type Webhook
} from '../analysis/webhooks.js'

export type { FlaggerPhase, GateType } from '../analysis/webhooks.js'

export interface CheckContext {
  namespace: string
  service: string
  candidate: string
  current: string
  percent: number
}

export interface CheckOutcome {
  name: string
  /** `inconclusive`: no data (or Prometheus could not answer); it extends a step, never passes it. */
  verdict: Verdict
  reason: string
  /** The metric's value, when there was one. */
  value?: number
}

/** What the engine asks at its phases; every method is a no-op when nothing is configured. */
export interface StepChecks {
  /** After the candidate is ready, before any traffic: `pre-rollout` hooks. */
  preRollout(ctx: CheckContext): Promise<CheckOutcome[]>
  /**
   * At the start of each analysis interval: `rollout` hooks. As in Flagger they come before
   * that interval's metric checks, so a load tester's traffic lands in the interval judged.
   */
  rolloutHooks(ctx: CheckContext): Promise<CheckOutcome[]>
  /** At the end of each analysis interval: the metric queries. */
  step(ctx: CheckContext): Promise<CheckOutcome[]>
  /**
   * At a step's start: counts each revision's requests from now on as the data plane sees
   * them (Prometheus), for the judge. Undefined without a prometheus-url.
   */
  trafficWindow(ctx: CheckContext): Promise<TrafficWindow | undefined>
  /**
   * Waits until every `type` gate says yes, asking again while they say no; throws when one
   * is still closed after `maxWaitMs` (the engine waits in chunks, renewing its lease).
   */
  gate(type: GateType, ctx: CheckContext, maxWaitMs: number, signal?: AbortSignal): Promise<void>
  /** Asks every `type` gate once: the names of those still closed ([] when none is configured). */
  closedGates(type: GateType, ctx: CheckContext): Promise<string[]>
  /** Polled during analysis: the name of a `rollback` hook that answered 2xx, if any. */
  rollbackRequested(ctx: CheckContext): Promise<string | undefined>
  /** A phase change, for `event` hooks (never fails the rollout). */
  event(ctx: CheckContext, phase: FlaggerPhase, message: string, warning?: boolean): Promise<void>
  /** After promotion: `post-rollout` notifications (never fail the rollout). */
  postRollout(ctx: CheckContext): Promise<void>
}

export const NO_CHECKS: StepChecks = {
  preRollout: async () => [],
  rolloutHooks: async () => [],
  step: async () => [],
  trafficWindow: async () => undefined,
  gate: async () => undefined,
  closedGates: async () => [],
  rollbackRequested: async () => undefined,
  event: async () => undefined,
  postRollout: async () => undefined
}

export interface StepChecksConfig {
  prometheusUrl?: string
  metrics?: readonly MetricCheck[]
  webhooks?: readonly Webhook[]
  /** Bearer token for Prometheus (secret); exclusive with username/password. */
  prometheusToken?: string
  prometheusUsername?: string
  /** Basic-auth password for Prometheus (secret). */
  prometheusPassword?: string
}

/** The Prometheus credentials the inputs give, if any. */
export function prometheusAuth(config: StepChecksConfig): PrometheusAuth {
  if (config.prometheusToken) return { kind: 'bearer', token: config.prometheusToken }
  if (config.prometheusUsername)
    return {
      kind: 'basic',
      username: config.prometheusUsername,
      password: config.prometheusPassword ?? ''
    }
  return { kind: 'none' }
}

export function createStepChecks(
  config: StepChecksConfig,
  clock: Clock,
  gatePollMs?: number
): StepChecks {
  const metrics = config.metrics ?? []
  const prometheus = config.prometheusUrl
    ? new PrometheusClient(config.prometheusUrl, prometheusAuth(config))
    : undefined
  const hooks = new WebhookRunner(config.webhooks ?? [], clock, gatePollMs)
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
        : `${type} hook "${o.hook}" failed (${o.status ? `HTTP ${o.status}` : 'no answer'}): ${o.detail}`
    }))
  const query = async (ctx: CheckContext, check: (typeof metrics)[number]) => {
    const promql = renderQuery(check, {
      revision: ctx.candidate,
      namespace: ctx.namespace,
      service: ctx.service
    })
    try {
      return judgeMetric(check, await prometheus!.query(promql))
    } catch (error) {
      // An unreachable Prometheus is no evidence either way: extend, never pass.
      return {
        name: check.name,
        verdict: 'inconclusive' as const,
        reason: `${check.name}: ${(error as Error).message}`
      }
    }
  }

  return {
    preRollout: (ctx) => hookOutcomes('pre-rollout', ctx),
    rolloutHooks: (ctx) => hookOutcomes('rollout', ctx),
    step: (ctx) => Promise.all(metrics.map((check) => query(ctx, check))),
    trafficWindow: async (ctx) =>
      prometheus &&
      openTrafficWindow(prometheus, {
        namespace: ctx.namespace,
        candidate: ctx.candidate,
        current: ctx.current
      }),
    gate: (type, ctx, maxWaitMs, signal) =>
      hooks.gate(type, hookCtx(ctx, GATE_PHASE[type]), maxWaitMs, signal),
    closedGates: (type, ctx) => hooks.closedGates(type, hookCtx(ctx, GATE_PHASE[type])),
    async rollbackRequested(ctx) {
      return (await hooks.rollbackRequested(hookCtx(ctx, 'Progressing')))?.hook
    },
    async event(ctx, phase, message, warning) {
      await hooks.notify('event', hookCtx(ctx, phase), message, warning)
    },
    async postRollout(ctx) {
      await hooks.notify('post-rollout', hookCtx(ctx, 'Succeeded'))
    }
  }
}

/** The phase Flagger reports while each gate is asked. */
const GATE_PHASE: Record<GateType, FlaggerPhase> = {
  'confirm-rollout': 'Waiting',
  'confirm-traffic-increase': 'Progressing',
  'confirm-promotion': 'WaitingPromotion'
}
