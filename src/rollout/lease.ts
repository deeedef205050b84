// One run at a time per Service. The lease is an annotation written with the Service's
// resourceVersion as precondition (ServingClient.updateService re-reads on 409 and decides
// again), so of two runs racing for a free lease exactly one wins. A holder renews it as it
// goes; a lease not renewed within its duration belongs to a dead run and is taken over.

import type { KService } from '../knative/types.js'
import type { Clock, ServingClient } from './ports.js'
import { MAX_LEASE_SECONDS, readLease, writeLease, type Lease } from './state.js'

/** Who this run is. `id` is stable across re-runs (attempts) of the same workflow run. */
export interface RunIdentity {
  id: string
  url?: string
}

/**
 * GitHub gives a run id that survives "Re-run jobs" (only GITHUB_RUN_ATTEMPT changes), so a
 * crashed run re-run resumes under the same id. Outside GitHub the id is user@host, so the
 * same person re-running the CLI after a crash may take their own lease over.
 */
export function runIdentityFromEnv(env: NodeJS.ProcessEnv, fallbackUser = 'cli'): RunIdentity {
  const runId = env.GITHUB_RUN_ID
  const repo = env.GITHUB_REPOSITORY
  if (runId && repo) {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com'
    const attempt = env.GITHUB_RUN_ATTEMPT
    const url = `${server}/${repo}/actions/runs/${runId}` + (attempt ? `/attempts/${attempt}` : '')
    return { id: `${repo}/runs/${runId}`, url }
  }
  return { id: `cli:${fallbackUser}` }
}

export type LeaseCheck =
  | { kind: 'free' }
  | { kind: 'mine' }
  | { kind: 'expired'; previous: Lease }
  | { kind: 'held'; lease: Lease }

export function checkLease(lease: Lease | undefined, me: RunIdentity, now: number): LeaseCheck {
  if (!lease) return { kind: 'free' }
  if (lease.holder === me.id) return { kind: 'mine' }
  const expiry = lease.renewedAt + lease.durationSeconds * 1000
  // Renewed "in the future" beyond any lease this action writes: not a sane expiry (a
  // garbled or planted annotation), so it holds nothing back.
  if (now > expiry || expiry - now > MAX_LEASE_SECONDS * 1000)
    return { kind: 'expired', previous: lease }
  return { kind: 'held', lease }
}

export function newLease(me: RunIdentity, now: number, durationSeconds: number): Lease {
  return { holder: me.id, url: me.url, renewedAt: now, durationSeconds }
}

export function heldMessage(service: string, lease: Lease, now: number): string {
  const left = Math.max(0, Math.ceil((lease.renewedAt + lease.durationSeconds * 1000 - now) / 1000))
  return (
    `service "${service}" has a rollout in progress held by ${lease.url ?? lease.holder}` +
    ` (lease expires in ${left}s unless renewed); set wait-for-lock to wait for it`
  )
}

export class LeaseHeldError extends Error {
  constructor(
    message: string,
    readonly lease: Lease
  ) {
    super(message)
    this.name = 'LeaseHeldError'
  }
}

export interface AcquireOptions {
  durationSeconds: number
  /** Keep trying while another live run holds it, until `deadline` (ms since the epoch). */
  wait: boolean
  deadline: number
  pollMs?: number
  signal?: AbortSignal
  /** Applied in the same write as the lease (e.g. the state saying a takeover happened). */
  also?: (service: KService) => KService
  /** Take the lease even from a live holder (abort with force: the emergency path). */
  force?: boolean
}

/**
 * Takes (or renews) the lease on the Service. Throws LeaseHeldError naming the holder when
 * another live run has it (after waiting, with `wait`). Returns the written Service and
 * what was there before (so a takeover can be reported).
 */
export async function acquireLease(
  client: ServingClient,
  clock: Clock,
  namespace: string,
  name: string,
  me: RunIdentity,
  options: AcquireOptions
): Promise<{ service: KService; before: LeaseCheck }> {
  for (;;) {
    let before: LeaseCheck = { kind: 'free' }
    try {
      const service = await client.updateService(namespace, name, (live) => {
        const now = clock.now()
        before = checkLease(readLease(live), me, now)
        if (before.kind === 'held' && !options.force)
          throw new LeaseHeldError(heldMessage(name, before.lease, now), before.lease)
        const leased = writeLease(live, newLease(me, now, options.durationSeconds))
        return options.also ? options.also(leased) : leased
      })
      return { service, before }
    } catch (err) {
      if (!(err instanceof LeaseHeldError) || !options.wait) throw err
      const wait = Math.min(options.pollMs ?? 5000, options.deadline - clock.now())
      if (wait <= 0) throw err
      await clock.sleep(wait, options.signal)
    }
  }
}

/** Drops our lease (no-op when someone else holds it by now). */
export async function releaseLease(
  client: ServingClient,
  namespace: string,
  name: string,
  me: RunIdentity
): Promise<void> {
  await client.updateService(namespace, name, (live) =>
    readLease(live)?.holder === me.id ? writeLease(live, undefined) : undefined
  )
}
