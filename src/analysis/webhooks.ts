// Webhooks compatible with Flagger's (https://docs.flagger.app/usage/webhooks): the same
// hook types, the same JSON payload ({name, namespace, phase, checksum, metadata}), a 2xx
// answer means yes. Existing receivers — Flagger's load tester, its gates — work unchanged.
//
//   - name: load-test
//     type: rollout
//     url: http://flagger-loadtester.test/
//     timeout: 5s
//     retries: 2
//     metadata: { type: cmd, cmd: "hey -z 1m -q 10 -c 2 http://shop-candidate.prod/" }

import { parseYamlInput } from '../yaml-input.js'
import type { Clock } from '../rollout/ports.js'
import { parseDuration } from '../duration.js'
import { readBody } from '../read-body.js'
import { escapeUntrusted } from '../report/untrusted.js'

export const HOOK_TYPES = [
  'confirm-rollout',
  'pre-rollout',
  'rollout',
  'confirm-traffic-increase',
  'confirm-promotion',
  'post-rollout',
  'rollback',
  'event'
] as const
export type HookType = (typeof HOOK_TYPES)[number]
export type GateType = 'confirm-rollout' | 'confirm-traffic-increase' | 'confirm-promotion'

export interface Webhook {
  name: string
  type: HookType
  url: string
  timeoutMs: number
  retries: number
  metadata: Record<string, string>
}

/** Flagger's canary phases, the vocabulary its receivers expect in `phase`. */
export type FlaggerPhase =
  | 'Initializing'
  | 'Waiting'
  | 'Progressing'
  | 'WaitingPromotion'
  | 'Promoting'
  | 'Finalising'
  | 'Succeeded'
  | 'Failed'

export interface HookContext {
  service: string
  namespace: string
  phase: FlaggerPhase
  /** Identifies this rollout's configuration: the candidate revision's name. */
  checksum: string
}

export interface HookOutcome {
  hook: string
  ok: boolean
  status: number
  detail: string
}

export class WebhooksConfigError extends Error {}

/** A hook's timeout: long enough for a load test's answer, short of any timer's limit. */
export const MAX_HOOK_TIMEOUT_MS = 10 * 60_000
/** What is kept of a hook's answer for the log: its first bytes; the rest is not read. */
const MAX_DETAIL_BYTES = 16 * 1024

export function parseWebhooks(yamlText: string | undefined): Webhook[] {
  if (!yamlText?.trim()) return []
  let doc: unknown
  try {
    doc = parseYamlInput(yamlText, 'webhooks')
  } catch (error) {
    throw new WebhooksConfigError((error as Error).message, { cause: error })
  }
  if (!Array.isArray(doc)) throw new WebhooksConfigError('webhooks: must be a YAML list of hooks')
  return doc.map((entry, i) => {
    const where = `webhooks[${i}]`
    if (!entry || typeof entry !== 'object')
      throw new WebhooksConfigError(`${where}: must be a mapping`)
    const e = entry as Record<string, unknown>
    const name = String(e.name ?? '').trim()
    if (!name) throw new WebhooksConfigError(`${where}.name: required`)
    const type = String(e.type ?? 'rollout') as HookType // Flagger's default type
    if (!HOOK_TYPES.includes(type)) {
      throw new WebhooksConfigError(
        `${where} (${name}).type: "${type}" is not one of ${HOOK_TYPES.join(', ')}`
      )
    }
    let url: URL
    try {
      url = new URL(String(e.url ?? ''))
    } catch {
      // Not echoed: a malformed URL may still hold a password.
      throw new WebhooksConfigError(`${where} (${name}).url: is not a URL`)
    }
    if (!/^https?:$/.test(url.protocol))
      throw new WebhooksConfigError(`${where} (${name}).url: must be http or https`)
    if (url.username || url.password)
      throw new WebhooksConfigError(
        `${where} (${name}).url: must not carry credentials in the URL (they would reach logs); drop the user:password@ part`
      )
    const timeoutMs =
      e.timeout === undefined
        ? 10_000
        : durationOrThrow(String(e.timeout), `${where} (${name}).timeout`)
    if (timeoutMs <= 0 || timeoutMs > MAX_HOOK_TIMEOUT_MS)
      throw new WebhooksConfigError(
        `${where} (${name}).timeout: must be more than 0s and at most ${MAX_HOOK_TIMEOUT_MS / 60_000}m`
      )
    const retries = e.retries === undefined ? 0 : Number(e.retries)
    if (!Number.isInteger(retries) || retries < 0 || retries > 10) {
      throw new WebhooksConfigError(
        `${where} (${name}).retries: "${String(e.retries)}" must be a whole number from 0 to 10`
      )
    }
    const metadata = Object.fromEntries(
      Object.entries((e.metadata ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)])
    )
    return { name, type, url: url.toString(), timeoutMs, retries, metadata }
  })
}

function durationOrThrow(text: string, where: string): number {
  try {
    return parseDuration(text)
  } catch {
    throw new WebhooksConfigError(`${where}: "${text}" is not a duration such as 5s or 1m`)
  }
}

/** The body Flagger sends, so Flagger's receivers understand it. */
export function webhookPayload(
  hook: Webhook,
  ctx: HookContext,
  extra: Record<string, string> = {}
) {
  return {
    name: ctx.service,
    namespace: ctx.namespace,
    phase: ctx.phase,
    checksum: ctx.checksum,
    metadata: { ...hook.metadata, ...extra }
  }
}

/** Calls hooks over HTTP. Gates wait (bounded); checks report; notifications never throw. */
export class WebhookRunner {
  constructor(
    private readonly hooks: readonly Webhook[],
    private readonly clock: Clock,
    private readonly gatePollMs = 5_000
  ) {}

  of(type: HookType): Webhook[] {
    return this.hooks.filter((h) => h.type === type)
  }

  async call(
    hook: Webhook,
    ctx: HookContext,
    extra?: Record<string, string>
  ): Promise<HookOutcome> {
    let last: HookOutcome = { hook: hook.name, ok: false, status: 0, detail: 'not called' }
    for (let attempt = 0; attempt <= hook.retries; attempt++) {
      if (attempt > 0) await this.clock.sleep(Math.min(1000 * 2 ** (attempt - 1), 10_000))
      last = await this.post(hook, webhookPayload(hook, ctx, extra))
      if (last.ok) return last
    }
    return last
  }

  /** pre-rollout and rollout hooks: every hook's outcome; any not ok is a failed check. */
  async check(type: 'pre-rollout' | 'rollout', ctx: HookContext): Promise<HookOutcome[]> {
    return Promise.all(this.of(type).map((h) => this.call(h, ctx)))
  }

  /** Asks every gate of `type` once: the names of those that said no (none configured: []). */
  async closedGates(type: GateType, ctx: HookContext): Promise<string[]> {
    const outcomes = await Promise.all(this.of(type).map((h) => this.call(h, ctx)))
    return outcomes.filter((o) => !o.ok).map((o) => o.hook)
  }

  /**
   * Waits until every gate of `type` says yes. A "no" is not a failure: it is asked again
   * every gatePollMs until `maxWaitMs`, then this throws (the caller decides what that means).
   */
  async gate(
    type: GateType,
    ctx: HookContext,
    maxWaitMs: number,
    signal?: AbortSignal
  ): Promise<void> {
    const deadline = this.clock.now() + maxWaitMs
    for (;;) {
      const closed = await this.closedGates(type, ctx)
      if (!closed.length) return
      if (this.clock.now() + this.gatePollMs > deadline) {
        throw new Error(
          `${type} gate ${closed.map((name) => `"${name}"`).join(', ')} still closed after ${Math.round(maxWaitMs / 1000)}s`
        )
      }
      await this.clock.sleep(this.gatePollMs, signal)
    }
  }

  /** Flagger's rollback hooks: a 2xx from any means "roll back now". */
  async rollbackRequested(ctx: HookContext): Promise<HookOutcome | undefined> {
    const outcomes = await Promise.all(
      this.of('rollback').map((h) => this.post(h, webhookPayload(h, ctx)))
    )
    return outcomes.find((o) => o.ok)
  }

  /** post-rollout and event hooks: outcomes for the log; they never stop the rollout. */
  async notify(
    type: 'post-rollout' | 'event',
    ctx: HookContext,
    message?: string,
    warning = false
  ): Promise<HookOutcome[]> {
    // Flagger's event metadata: the message, Normal or Warning, ms since the epoch.
    const extra: Record<string, string> | undefined =
      type === 'event' && message
        ? {
            eventMessage: message,
            eventType: warning ? 'Warning' : 'Normal',
            timestamp: String(this.clock.now())
          }
        : undefined
    return Promise.all(this.of(type).map((h) => this.call(h, ctx, extra)))
  }

  private async post(hook: Webhook, payload: unknown): Promise<HookOutcome> {
    try {
      const response = await fetch(hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(hook.timeoutMs)
      })
      const { text } = await readBody(response, MAX_DETAIL_BYTES)
      return {
        hook: hook.name,
        ok: response.status >= 200 && response.status < 300,
        status: response.status,
        // The receiver's words: one escaped line (they are logged and may end up in a reason).
        detail: escapeUntrusted(text, 500)
      }
    } catch (error) {
      // undici's "fetch failed" says little; the cause's code (ECONNREFUSED, ...) says why.
      const e = error as Error & { cause?: { code?: string; message?: string } }
      const cause = e.cause?.code ?? e.cause?.message
      const detail = `${e.message}${cause ? ` (${cause})` : ''}`
      return { hook: hook.name, ok: false, status: 0, detail: escapeUntrusted(detail, 500) }
    }
  }
}
