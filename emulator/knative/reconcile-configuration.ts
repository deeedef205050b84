// Configuration → Revision (pkg/reconciler/configuration): create the Revision for the
// current generation (or reuse a BYO-named one), then choose latestCreated / latestReady.

import { isReady } from '../../src/knative/types.js'
import { ApiError } from '../api-error.js'
import { REVISIONS, CONFIGURATIONS } from '../resources.js'
import type { KObject, Store } from '../store.js'
import { ConditionSet } from './conditions.js'
import { semanticEqual } from './diff.js'
import { A, L, V1 } from './labels.js'
import { revisionNameFor } from './names.js'
import { ACTOR, isControlledBy, ownerRef, writeStatus } from './writes.js'

const generationOf = (rev: KObject) =>
  Number(rev.metadata.labels?.[L.configurationGeneration] ?? NaN)

/**
 * CheckNameAvailability: a BYO-named Revision that exists is reusable only when this
 * Configuration controls it and it is of this generation or has the same spec.
 */
export function checkNameAvailability(config: KObject, store: Store): ApiError | undefined {
  const name: string | undefined = config.spec?.template?.metadata?.name
  if (!name) return undefined
  const rev = store.get(REVISIONS, config.metadata.namespace, name)
  if (!rev) return undefined
  const sameGeneration =
    rev.metadata.labels?.[L.configurationGeneration] === String(config.metadata.generation)
  if (
    isControlledBy(rev, config) &&
    (sameGeneration || semanticEqual(config.spec.template.spec, rev.spec))
  ) {
    return undefined
  }
  return ApiError.alreadyExists(REVISIONS, name)
}

export function reconcileConfiguration(store: Store, config: KObject, now: string): void {
  const cs = new ConditionSet(config.status?.conditions, [], now).initialize()
  const status: any = { ...(config.status ?? {}) }
  if (status.observedGeneration !== config.metadata.generation) {
    cs.markUnknown('Ready', 'NewObservedGenFailure', 'unsuccessfully observed a new generation')
  }
  const finish = (): void => {
    writeStatus(store, CONFIGURATIONS, config, {
      ...status,
      observedGeneration: config.metadata.generation,
      conditions: cs.result()
    })
  }

  let latest: KObject
  try {
    latest = latestCreatedRevision(store, config) ?? createRevision(store, config, now)
  } catch (e) {
    if (!(e instanceof ApiError)) throw e
    cs.markFalse('Ready', 'RevisionFailed', `Revision creation failed with message: ${e.message}.`)
    return finish()
  }

  status.latestCreatedRevisionName = latest.metadata.name
  if (status.latestReadyRevisionName !== latest.metadata.name) cs.markUnknown('Ready', '', '')
  const ready = latest.status?.conditions?.find((c: any) => c.type === 'Ready')
  if (ready?.status === 'False') {
    cs.markFalse(
      'Ready',
      'RevisionFailed',
      `Revision "${latest.metadata.name}" failed with message: ${ready.message ?? ''}.`
    )
  }
  const newestReady = sortedCandidates(store, config, status.latestReadyRevisionName).find((r) =>
    isReady(r as any)
  )
  if (newestReady) {
    status.latestReadyRevisionName = newestReady.metadata.name
    if (newestReady.metadata.name === status.latestCreatedRevisionName) cs.markTrue('Ready')
  }
  finish()
}

/** The Revision of the current generation, or throws AlreadyExists for a taken BYO name. */
function latestCreatedRevision(store: Store, config: KObject): KObject | undefined {
  const taken = checkNameAvailability(config, store)
  if (taken) throw taken
  const byo: string | undefined = config.spec?.template?.metadata?.name
  if (byo) return store.get(REVISIONS, config.metadata.namespace, byo)
  return ownedRevisions(store, config).find((r) => generationOf(r) === config.metadata.generation)
}

function createRevision(store: Store, config: KObject, now: string): KObject {
  const template = config.spec?.template ?? {}
  const meta = template.metadata ?? {}
  const labels: Record<string, string> = {
    ...(meta.labels ?? {}),
    [L.configuration]: config.metadata.name,
    [L.configurationGeneration]: String(config.metadata.generation),
    [L.configurationUID]: config.metadata.uid ?? '',
    [L.routingState]: 'pending'
  }
  for (const key of [L.service, L.serviceUID]) {
    const value = config.metadata.labels?.[key]
    if (value) labels[key] = value
  }
  const annotations: Record<string, string> = {
    ...(meta.annotations ?? {}),
    [A.routingStateModified]: now
  }
  const creator = config.metadata.annotations?.[A.lastModifier]
  if (creator) annotations[A.creator] = creator
  return store.create(
    REVISIONS,
    {
      apiVersion: V1,
      kind: 'Revision',
      metadata: {
        name: meta.name || revisionNameFor(config.metadata.name, config.metadata.generation ?? 1),
        namespace: config.metadata.namespace,
        labels,
        annotations,
        ownerReferences: [ownerRef(config)]
      },
      spec: structuredClone(template.spec ?? {})
    },
    ACTOR
  )
}

function ownedRevisions(store: Store, config: KObject): KObject[] {
  return store
    .scan(REVISIONS, config.metadata.namespace)
    .filter(
      (r) =>
        r.metadata.labels?.[L.configuration] === config.metadata.name && isControlledBy(r, config)
    )
    .map((r) => structuredClone(r))
}

/**
 * getSortedCreatedRevisions: revisions from the current latestReady's generation up to
 * the Configuration's, newest first, the BYO-named template revision ahead of all (so a
 * BYO rollback moves latestReady back to it).
 */
function sortedCandidates(
  store: Store,
  config: KObject,
  latestReady: string | undefined
): KObject[] {
  const byo: string | undefined = config.spec?.template?.metadata?.name
  const all = ownedRevisions(store, config)
  const floorRev = latestReady ? all.find((r) => r.metadata.name === latestReady) : undefined
  const floor = floorRev ? generationOf(floorRev) : -Infinity
  const gen = config.metadata.generation ?? 0
  return all
    .filter((r) => r.metadata.name === byo || (generationOf(r) >= floor && generationOf(r) <= gen))
    .sort((a, b) => {
      if (a.metadata.name === byo) return -1
      if (b.metadata.name === byo) return 1
      return generationOf(b) - generationOf(a)
    })
}
