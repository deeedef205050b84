// STAND-IN for Flux's kustomize-controller, for tests and the demo; it is not Flux. It follows
// what a GitRepository + Kustomization pair does with `interval`, `path` and `prune: false`:
// every interval it reads the branch head of a real git repository (git CLI), applies every
// object under `path` with server-side apply as manager `kustomize-controller` with force,
// labelled `kustomize.toolkit.fluxcd.io/name` / `namespace`, honouring the per-object
// annotations (policy.ts), and records the last commit it applied in full. Like Flux it
// applies on every interval, not only on a new commit, so live drift of a field git
// declares is reverted. Not done: pruning, health checks, dependsOn, a real dry-run diff
// (the emulator's apply of an unchanged object is a no-op, which is the same outcome).

import { wallClock } from '../../src/clock.js'
import type { Clock } from '../../src/rollout/ports.js'
import type { KObject } from '../store.js'
import { GitSource } from './git-source.js'
import { KubeWriter, targetFromKubeconfig, type KubeTarget } from './kube.js'
import { objectPath, objectsOf } from './manifests.js'
import { decide, takeOverPatch, withOwnerLabels } from './policy.js'

export interface StandinOptions {
  /** Anything `git ls-remote` / `git fetch` take: a bare repository's path, a file:// URL. */
  repoUrl: string
  branch: string
  /** The directory in the repository whose YAML files are applied ('.' for all). */
  path: string
  /** The API server; or give `kubeconfig` (its content), whose current context is used. */
  apiUrl?: string
  token?: string
  kubeconfig?: string
  intervalMs: number
  clock?: Clock
  /** The Kustomization's name and namespace, as the owner labels carry them. */
  name?: string
  namespace?: string
  /** Namespace of objects that name none (Flux's targetNamespace). */
  targetNamespace?: string
  log?: (line: string) => void
}

export interface ReconcileResult {
  /** The branch head this reconcile read (undefined: the branch does not exist). */
  commit?: string
  /** `<namespace>/<kind>/<name>` of every object applied. */
  applied: string[]
  skipped: { object: string; reason: string }[]
  /** What went wrong; the commit is then not recorded as applied. */
  error?: string
}

export interface StandinStatus {
  lastAppliedCommit?: string
  lastAttemptedCommit?: string
  lastError?: string
  reconciles: number
}

export interface FluxStandin {
  /** The last commit whose objects were all applied (or skipped by policy). */
  lastAppliedCommit(): string | undefined
  status(): StandinStatus
  /** Reconcile now (after any reconcile under way), as `flux reconcile kustomization`. */
  reconcileNow(): Promise<ReconcileResult>
  /** Stop polling; resolves once a reconcile under way has finished. */
  stop(): Promise<void>
}

export async function start(opts: StandinOptions): Promise<FluxStandin> {
  const clock = opts.clock ?? wallClock
  const target: KubeTarget = opts.kubeconfig
    ? targetFromKubeconfig(opts.kubeconfig)
    : { apiUrl: opts.apiUrl ?? '', token: opts.token }
  if (!target.apiUrl) throw new Error('the stand-in needs apiUrl or kubeconfig')
  const kube = new KubeWriter(target)
  const source = await GitSource.open(opts.repoUrl, opts.branch)
  const name = opts.name ?? 'apps'
  const namespace = opts.namespace ?? 'flux-system'
  const log = opts.log ?? (() => undefined)
  const state: StandinStatus = { reconciles: 0 }

  async function applyOne(obj: KObject, result: ReconcileResult): Promise<void> {
    const ns = obj.metadata.namespace ?? opts.targetNamespace ?? 'default'
    const desired: KObject = { ...obj, metadata: { ...obj.metadata, namespace: ns } }
    const id = `${ns}/${obj.kind}/${obj.metadata.name}`
    const path = objectPath(desired, ns)
    const live = await kube.get(path)
    const decision = decide(desired, live)
    if (decision.action === 'skip') {
      result.skipped.push({ object: id, reason: decision.reason })
      return
    }
    const ops = decision.takeOver && live ? takeOverPatch(live) : undefined
    if (ops) await kube.jsonPatch(path, ops)
    await kube.apply(path, withOwnerLabels(desired, name, namespace))
    result.applied.push(id)
  }

  async function reconcile(): Promise<ReconcileResult> {
    const result: ReconcileResult = { applied: [], skipped: [] }
    state.reconciles += 1
    try {
      result.commit = await source.head()
      if (!result.commit) throw new Error(`branch ${opts.branch} not found`)
      state.lastAttemptedCommit = result.commit
      const objects = objectsOf(await source.files(result.commit, opts.path))
      const errors: string[] = []
      for (const obj of objects) {
        await applyOne(obj, result).catch((err: Error) => errors.push(err.message))
      }
      if (errors.length > 0) throw new Error(errors.join('; '))
      state.lastAppliedCommit = result.commit
      state.lastError = undefined
      log(`applied ${result.commit.slice(0, 12)}: ${result.applied.join(', ') || 'nothing'}`)
    } catch (err) {
      result.error = (err as Error).message
      state.lastError = result.error
      log(`reconcile failed: ${result.error}`)
    }
    return result
  }

  let queue: Promise<unknown> = Promise.resolve()
  const reconcileNow = (): Promise<ReconcileResult> => {
    const run = queue.then(reconcile)
    queue = run.catch(() => undefined)
    return run
  }

  const abort = new AbortController()
  const loop = (async () => {
    while (!abort.signal.aborted) {
      await reconcileNow()
      await clock.sleep(opts.intervalMs, abort.signal).catch(() => undefined)
    }
  })()

  return {
    lastAppliedCommit: () => state.lastAppliedCommit,
    status: () => ({ ...state }),
    reconcileNow,
    async stop() {
      abort.abort()
      await loop
      await queue
      await source.close()
    }
  }
}
