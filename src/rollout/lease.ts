// One run at a time per Service. The lease is an annotation written with the Service's
// resourceVersion as precondition (ServingClient.updateService re-reads on 409 and decides
// again), so of two runs racing for a free lease exactly one wins. A holder renews it as it
// goes; a lease not renewed within its duration belongs to a dead run and is taken over.

import { createHash } from 'node:crypto'
import type { KService } from '../knative/types.js'
import type { Clock, ServingClient } from './ports.js'
import { MAX_LEASE_SECONDS, readLease, writeLease, type Lease } from './state.js'

/**
 * Who this run is. `id` is stable across re-runs (attempts) of the same job of the same
 * workflow run, and differs between jobs of one run (each job, each matrix leg's job-key).
 */
export interface RunIdentity {
  id: string
  url?: string
  /** The job within its workflow run (`production[eu]`), for "held by" messages. */
  job?: string
}

/** Ids past this are cut and hashed: the lease's holder is read back bounded (state.ts). */
export const MAX_RUN_ID_CHARS = 250

/**
 * GitHub gives a run id that survives "Re-run jobs" (only GITHUB_RUN_ATTEMPT changes), so a
 * crashed job re-run resumes under the same id. Every job of a run shares that id, so the
 * job (GITHUB_JOB) and the `job-key` input (a matrix leg: the job id is the same for every
 * leg) are part of it; the URL still names the run's attempt (the job's own page has a
 * numeric id the environment does not give). Outside GitHub the id is user@host, so the
 * same person re-running the CLI after a crash may take their own lease over.
 */
export function runIdentityFromEnv(
  env: NodeJS.ProcessEnv,
  fallbackUser = 'cli',
  jobKey?: string
): RunIdentity {
  const runId = env.GITHUB_RUN_ID
  const repo = env.GITHUB_REPOSITORY
  // `production[eu]`: the key cannot contain brackets (inputs/job-key.ts), so ids never meet.
  const key = jobKey ? `[${jobKey}]` : ''
  if (runId && repo) {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com'
    const attempt = env.GITHUB_RUN_ATTEMPT
    const url = `${server}/${repo}/actions/runs/${runId}` + (attempt ? `/attempts/${attempt}` : '')
    const job = env.GITHUB_JOB ? env.GITHUB_JOB + key : key
    const id = `${repo}/runs/${runId}` + (env.GITHUB_JOB ? '/jobs/' : '') + job
    return { id: bounded(id), url, ...(job ? { job } : {}) }
  }
  return { id: bounded(`cli:${fallbackUser}${key}`), ...(key ? { job: key } : {}) }
}

/** The id itself when short enough, else its start and a hash of the whole (still stable). */
function bounded(id: string): string {
  if (id.length <= MAX_RUN_ID_CHARS) return id
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 32)
  return `${id.slice(0, MAX_RUN_ID_CHARS - 33)}~${hash}`
}

/** How messages name a lease's holder: its run's URL and job, else its id. */
export function holderName(lease: Lease): string {
  if (!lease.url) return lease.holder
  return lease.job ? `${lease.url} (job ${lease.job})` : lease.url
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
  return { holder: me.id, url: me.url, job: me.job, renewedAt: now, durationSeconds }
}

export function heldMessage(service: string, lease: Lease, now: number): string {
  const left = Math.max(0, Math.ceil((lease.renewedAt + lease.durationSeconds * 1000 - now) / 1000))
  return (
    `service "${service}" has a rollout in progress held by ${holderName(lease)}` +
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
