// The git executor (traffic-owner: git): carries out the rollout's intents as commits of the
// manifest, which a GitOps controller (Flux, Argo CD) applies; it never writes the cluster.
// It reads the Service (get and watch only) to know when a commit has been applied: the
// spec shows the committed split and template, and the controller has observed it. A commit
// not applied within sync-timeout ends the run `failed` with nothing more committed: the
// controller is not applying git, and further commits would pile up unapplied.

import { editForChange, commitMessage } from '../gitops/git-edit.js'
import type { ManifestRepo, PushResult } from '../gitops/git.js'
import { unifiedDiff } from '../gitops/manifest-edit.js'
import { observed, type KService } from '../knative/types.js'
import type { Logger } from '../log.js'
import { escapeUntrusted } from '../report/untrusted.js'
import type { Release } from '../traffic.js'
import { specDrift, templateDrift } from './drift.js'
import {
  isWaitTimeout,
  type Applied,
  type Change,
  type Clock,
  type Executor,
  type ExecutorSetup,
  type ServingClient,
  type Stop
} from './ports.js'
import type { HistoryEntry } from './state.js'

export interface GitExecutorOptions extends ExecutorSetup {
  /** Used to read only: get and watch. */
  client: ServingClient
  clock: Clock
  log: Logger
  repo: ManifestRepo
  /** The manifest, relative to the repository's root. */
  path: string
  branch: string
  syncTimeoutMs: number
  /** Told each commit pushed (the action's `commit` output). */
  onCommit?: (sha: string) => void
}

/** What the cluster must show before the last commit counts as applied. */
interface Pending {
  commit: string
  pushedAt: number
  release?: Release
  revision?: string
  confirmed: boolean
}

export function createGitExecutor(o: GitExecutorOptions): Executor {
  let holding = false
  let pending: Pending | undefined
  // History entries already told in a commit message: the next message tells the rest.
  const told = new WeakSet<HistoryEntry>()
  const read = () => o.client.getService(o.namespace, o.name)
  const applied = (s: KService) => showsCommit(s, pending)

  async function apply(change: Change): Promise<Applied> {
    const live = await read()
    if (!live) return stop('drift', `service "${o.name}" was deleted during the rollout`)
    if (change.expect) {
      const drift = specDrift(live, change.expect) ?? templateDrift(live, o.mine(), o.name)
      if (drift) return { ok: false, stop: drift }
    }
    const pushed = await commitChange(o, change, told, live)
    if (pushed?.kind === 'conflict')
      return stop('unapplied', `${pushed.message}; the rollout stops with the split unchanged`)
    if (pushed?.kind === 'pushed') {
      pending = {
        commit: pushed.commit,
        pushedAt: o.clock.now(),
        release: change.release ?? pending?.release,
        revision: change.template?.metadata?.name ?? pending?.revision,
        // A commit of the state alone changes nothing the cluster must show first.
        confirmed: !change.release && !change.template && !!pending?.confirmed
      }
    }
    if (change.lease === 'release') holding = false
    return { ok: true, service: live }
  }

  async function waitFor(until: (s: KService) => boolean, what: string): Promise<Applied> {
    if (pending && !pending.confirmed) {
      const syncEnds = Math.min(o.deadline, pending.pushedAt + o.syncTimeoutMs)
      const seen = await waitUntil(o, applied, syncEnds)
      if (seen === 'timed-out') return notApplied(o, pending, syncEnds === o.deadline)
      pending.confirmed = true
    }
    const seen = await waitUntil(o, (s) => applied(s) && until(s), o.deadline)
    if (seen === 'timed-out') return stop('timeout', `timed out waiting for ${what}`)
    return { ok: true, service: seen }
  }

  return {
    read,
    revision: (name) => o.client.getRevision(o.namespace, name),
    async acquire() {
      const service = await read()
      if (!service)
        throw new Error(`service "${o.name}" does not exist in namespace "${o.namespace}"`)
      holding = true
      // No lease in git mode: the branch is the lock (a concurrent edit is a conflict or drift).
      return { service, before: { kind: 'free' } }
    },
    async create() {
      throw new Error(
        `traffic-owner git: service "${o.name}" does not exist in namespace "${o.namespace}", and git mode never writes the cluster: ` +
          `commit its manifest, let the GitOps controller create it, then roll out the next version`
      )
    },
    apply,
    async describe(change) {
      const source = await o.repo.read(o.path)
      return unifiedDiff(source, editForChange(source, change), o.path) || `no change to ${o.path}`
    },
    waitFor,
    async settle(until, timeoutMs) {
      const shown = (s: KService) => applied(s) && until(s)
      return o.client.waitForService(o.namespace, o.name, shown, timeoutMs).catch(() => undefined)
    },
    async release() {
      holding = false
    },
    get holding() {
      return holding
    }
  }
}

/** Commits and pushes the change's edit of the manifest; undefined when the file stays as it is. */
async function commitChange(
  o: GitExecutorOptions,
  change: Change,
  told: WeakSet<HistoryEntry>,
  live: KService
): Promise<PushResult | undefined> {
  if (!change.template && !change.release && !change.state) return undefined
  const source = await o.repo.read(o.path)
  const content = editForChange(source, change, live.spec.template)
  if (content === source) return undefined
  const events = (change.state?.history ?? []).filter((e) => !told.has(e))
  const message = commitMessage(o.name, events, 'update the rollout state')
  const pushed = await o.repo.commitAndPush({ path: o.path, content, message })
  if (pushed.kind === 'conflict') return pushed
  for (const e of events) told.add(e)
  if (pushed.kind === 'pushed') {
    // The subject carries events whose text came from the app (a step's reason).
    const subject = escapeUntrusted(message.split('\n')[0])
    o.log.info(`committed ${pushed.commit.slice(0, 12)} to ${o.branch}: ${subject}`)
    o.onCommit?.(pushed.commit)
  }
  return pushed
}

/** The Service's spec is the last commit's, and its controller has observed it. */
function showsCommit(s: KService, pending: Pending | undefined): boolean {
  if (!observed(s) || !pending) return observed(s)
  if (pending.release && specDrift(s, pending.release)) return false
  return !pending.revision || s.spec.template?.metadata?.name === pending.revision
}

async function waitUntil(
  o: GitExecutorOptions,
  until: (s: KService) => boolean,
  endsAt: number
): Promise<KService | 'timed-out'> {
  try {
    const left = Math.max(1, endsAt - o.clock.now())
    return await o.client.waitForService(o.namespace, o.name, until, left, o.signal)
  } catch (err) {
    if (o.signal.aborted) throw o.signal.reason
    if (isWaitTimeout(err)) return 'timed-out'
    throw err
  }
}

function notApplied(o: GitExecutorOptions, p: Pending, deadline: boolean): Applied {
  const commit = p.commit.slice(0, 12)
  if (deadline) return stop('timeout', `timed out waiting for commit ${commit} to be applied`)
  const seconds = Math.round(o.syncTimeoutMs / 1000)
  return stop(
    'unapplied',
    `commit ${commit} on ${o.branch} was not applied to the cluster within sync-timeout (${seconds}s): ` +
      `is the GitOps controller running and watching ${o.branch}? Nothing further was committed`
  )
}

function stop(kind: Stop['kind'], message: string): Applied {
  return { ok: false, stop: { kind, message } as Stop }
}
