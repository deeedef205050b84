// The Kubernetes executor: carries out the rollout's intents by writing the Service itself,
// under the lease. Every write renews the lease and goes through updateService's
// resourceVersion precondition, so a run that lost its lease (or a Service changed by
// hand) finds out before it writes, and says so as a returned Stop.

import { KubeApiError } from '../knative/errors.js'
import { observed, type KService, type RevisionTemplate } from '../knative/types.js'
import { mergeUserTags } from '../traffic.js'
import { acquireLease, holderName, newLease, releaseLease } from './lease.js'
import {
  isWaitTimeout,
  type Applied,
  type Change,
  type Clock,
  type Executor,
  type ExecutorSetup,
  type ServingClient,
  type Stop,
  type StoredTemplate
} from './ports.js'
import { readLease, writeLease, writeState } from './state.js'
import { specDrift, templateDrift } from './drift.js'
import type { RunIdentity } from './lease.js'

export interface KubeExecutorOptions extends ExecutorSetup {
  client: ServingClient
  clock: Clock
  me: RunIdentity
}

/** Thrown inside updateService's mutate to leave it without writing; turned into a Stop below. */
class Stopped extends Error {
  constructor(readonly stop: Stop) {
    super(stop.message)
  }
}

export function createKubeExecutor(o: KubeExecutorOptions): Executor {
  let holding = false

  async function apply(change: Change): Promise<Applied> {
    try {
      const service = await o.client.updateService(o.namespace, o.name, (live) =>
        mutate(o, live, change)
      )
      if (change.lease === 'release') holding = false
      return { ok: true, service }
    } catch (err) {
      if (err instanceof Stopped) return { ok: false, stop: err.stop }
      throw err
    }
  }

  /** waitForService in chunks, renewing the lease between them, until the overall deadline. */
  async function waitFor(until: (s: KService) => boolean, what: string): Promise<Applied> {
    const chunk = o.timing.renewEveryMs
    for (;;) {
      const left = o.deadline - o.clock.now()
      if (left <= 0)
        return { ok: false, stop: { kind: 'timeout', message: `timed out waiting for ${what}` } }
      try {
        const service = await o.client.waitForService(
          o.namespace,
          o.name,
          (s) => observed(s) && until(s),
          Math.min(chunk, left),
          o.signal
        )
        return { ok: true, service }
      } catch (err) {
        if (o.signal.aborted) throw o.signal.reason
        if (!isWaitTimeout(err)) throw err
        // A chunk ran out: renew the lease (when held), wait on.
        if (!holding) continue
        const renewed = await apply({})
        if (!renewed.ok) return renewed
      }
    }
  }

  return {
    read: () => o.client.getService(o.namespace, o.name),
    revision: (name) => o.client.getRevision(o.namespace, name),
    async acquire() {
      const got = await acquireLease(o.client, o.clock, o.namespace, o.name, o.me, {
        durationSeconds: o.timing.leaseSeconds,
        wait: o.waitForLock,
        force: o.breakLease,
        deadline: o.deadline,
        signal: o.signal
      })
      holding = true
      return got
    },
    async create(service) {
      await o.client.createService(
        writeLease(service, newLease(o.me, o.clock.now(), o.timing.leaseSeconds))
      )
      holding = true
    },
    apply,
    storedTemplate: o.client.dryRunService && ((live, t) => storedTemplate(o, live, t)),
    async describe(change, live) {
      const traffic = change.release && mergeUserTags(live?.spec.traffic, change.release)
      return JSON.stringify({ spec: { template: change.template, traffic } }, null, 2)
    },
    waitFor,
    async settle(until, timeoutMs) {
      const shown = (s: KService) => observed(s) && until(s)
      return o.client.waitForService(o.namespace, o.name, shown, timeoutMs).catch(() => undefined)
    },
    async release() {
      if (!holding) return
      await releaseLease(o.client, o.namespace, o.name, o.me)
      holding = false
    },
    get holding() {
      return holding
    },
    updateOutsideLease: (change) => o.client.updateService(o.namespace, o.name, change)
  }
}

/** A dry run answered 409 when another writer was quicker: ask again on a fresh read. */
const DRY_RUN_ATTEMPTS = 3

/**
 * The template as the API server stores it, asked with a dry-run write of the Service with
 * it (as `kubectl diff` asks): pruning, defaulting and validation happen in one place, the
 * server. Knative skips its defaults on an update that keeps the template's name (it would
 * trip "changes without a name change"), so a template keeping the live one's name is asked
 * unnamed, which gets the defaults a new revision gets; the name is put back after.
 */
async function storedTemplate(
  o: KubeExecutorOptions,
  live: KService | undefined,
  template: RevisionTemplate
): Promise<StoredTemplate> {
  const name = template.metadata?.name
  const keepsName = !!name && live?.spec.template?.metadata?.name === name
  const asked = keepsName
    ? { ...template, metadata: { ...template.metadata, name: undefined } }
    : template
  for (let attempt = 1; ; attempt++) {
    const base: KService = live ?? {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: o.name, namespace: o.namespace },
      spec: { template: asked }
    }
    try {
      const stored = await o.client.dryRunService!({
        ...base,
        spec: { ...base.spec, template: asked }
      })
      const t = stored.spec.template
      return { ok: true, template: { ...t, metadata: { ...(t.metadata ?? {}), name } } }
    } catch (err) {
      if (err instanceof KubeApiError && (err.code === 400 || err.code === 422))
        return { ok: false, refusal: refusalOf(err) }
      if (
        !(err instanceof KubeApiError) ||
        err.code !== 409 ||
        !live ||
        attempt >= DRY_RUN_ATTEMPTS
      )
        throw err
      live = (await o.client.getService(o.namespace, o.name)) ?? live
    }
  }
}

/** The API server's own words (the webhook's field errors), without our request's preamble. */
function refusalOf(err: KubeApiError): string {
  return err.message.replace(/^.*? failed: \d+ \w+: /s, '')
}

/** The Service with `change` applied and the lease renewed (or released); throws Stopped on drift or a lost lease. */
function mutate(o: KubeExecutorOptions, live: KService, change: Change): KService {
  const lease = readLease(live)
  if (lease && lease.holder !== o.me.id) {
    throw new Stopped({
      kind: 'lease-lost',
      message: `the lease was taken over by ${holderName(lease)}; this run stops without touching traffic`
    })
  }
  if (change.expect) {
    const drift = specDrift(live, change.expect) ?? templateDrift(live, o.mine(), o.name)
    if (drift) throw new Stopped(drift)
  }
  let next: KService = { ...live, spec: { ...live.spec } }
  if (change.template) next.spec.template = change.template
  if (change.release) next.spec.traffic = mergeUserTags(live.spec.traffic, change.release)
  if (change.state) next = writeState(next, change.state)
  const renewed =
    change.lease === 'release' ? undefined : newLease(o.me, o.clock.now(), o.timing.leaseSeconds)
  return writeLease(next, renewed)
}
