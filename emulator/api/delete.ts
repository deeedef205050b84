// The delete verbs. Deleting an object also deletes what it owns through
// ownerReferences, depth first and at once (the garbage collector's background
// propagation, without its delay), unless propagationPolicy is Orphan.

import { ApiError } from '../api-error.js'
import { RESOURCES, storeKey } from '../resources.js'
import type { KObject, Store } from '../store.js'
import { isPlainObject, parseJson } from './http.js'
import {
  isDryRun,
  keyOf,
  live,
  show,
  type Reply,
  type ResourceContext,
  type VerbRequest
} from './request.js'
import { apiVersionOf } from './routing.js'
import { selectorsOf } from './selectors.js'

/** Who the store records for deletions that cascade through ownerReferences. */
export const GC_ACTOR = 'garbage-collector'

interface DeleteOptions {
  propagationPolicy?: string
  preconditions?: { uid?: string; resourceVersion?: string }
}

function deleteOptions(req: VerbRequest): DeleteOptions {
  const body = req.body.trim() ? parseJson(req.body) : {}
  const opts = (isPlainObject(body) ? body : {}) as DeleteOptions
  const policy = req.query.get('propagationPolicy') ?? opts.propagationPolicy
  return { ...opts, propagationPolicy: policy ?? undefined }
}

/** Delete every object owned (through ownerReferences) by `uid`, depth first. */
export function cascade(
  store: Store,
  uid: string | undefined,
  namespace: string | undefined
): void {
  if (!uid) return
  for (const type of RESOURCES) {
    const key = storeKey(type)
    for (const obj of store.list(key, namespace)) {
      if (!obj.metadata.ownerReferences?.some((ref) => ref.uid === uid)) continue
      if (!store.get(key, namespace, obj.metadata.name)) continue
      store.delete(key, namespace, obj.metadata.name, GC_ACTOR)
      // One waiting for its finalizers keeps what it owns until it goes.
      if (!store.isPending(key, namespace, obj.metadata.name))
        cascade(store, obj.metadata.uid, namespace)
    }
  }
}

function deleteOne(
  ctx: ResourceContext,
  req: VerbRequest,
  current: KObject,
  opts: DeleteOptions,
  dryRun: boolean
): KObject {
  const { uid, resourceVersion } = opts.preconditions ?? {}
  if (
    (uid && uid !== current.metadata.uid) ||
    (resourceVersion && resourceVersion !== current.metadata.resourceVersion)
  ) {
    throw ApiError.conflict(keyOf(req), current.metadata.name)
  }
  if (dryRun) return current
  const gone = ctx.store.delete(
    keyOf(req),
    current.metadata.namespace,
    current.metadata.name,
    'api'
  )
  const pending = ctx.store.isPending(keyOf(req), current.metadata.namespace, current.metadata.name)
  if (opts.propagationPolicy !== 'Orphan' && !pending)
    cascade(ctx.store, current.metadata.uid, current.metadata.namespace)
  return gone
}

export function remove(ctx: ResourceContext, req: VerbRequest): Reply {
  const current = live(ctx, req)
  const gone = deleteOne(ctx, req, current, deleteOptions(req), isDryRun(req.query))
  const { type } = req.target
  // Pods, and objects left waiting for their finalizers, answer with the object; custom
  // resources deleted at once answer with a Status.
  if (type.group === '' || gone.metadata.deletionTimestamp)
    return { status: 200, body: show(ctx, req, gone) }
  return {
    status: 200,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name: gone.metadata.name,
        group: type.group,
        kind: type.plural,
        uid: gone.metadata.uid
      }
    }
  }
}

export function removeCollection(ctx: ResourceContext, req: VerbRequest): Reply {
  const { type, version, namespace } = req.target
  const opts = deleteOptions(req)
  const dryRun = isDryRun(req.query)
  const matches = selectorsOf(req.query)
  const items: KObject[] = []
  for (const obj of ctx.store.list(keyOf(req), namespace).filter(matches)) {
    if (!ctx.store.get(keyOf(req), obj.metadata.namespace, obj.metadata.name)) continue // cascaded away
    items.push(show(ctx, req, deleteOne(ctx, req, obj, opts, dryRun)))
  }
  return {
    status: 200,
    body: {
      apiVersion: apiVersionOf(type, version),
      kind: `${type.kind}List`,
      metadata: { resourceVersion: ctx.store.resourceVersion },
      items
    }
  }
}
