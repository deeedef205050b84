// The write verbs: create, update (PUT, with the status subresource), and patch in the
// three types custom resources accept (merge, JSON, apply). Each one reads the live
// object, runs admission in the client's version and stores the v1 result, with no await
// in between, so nothing interleaves with the controller inside one request.

import { randomUUID } from 'node:crypto'
import { ApiError } from '../api-error.js'
import type { KObject } from '../store.js'
import { serverSideApply } from '../ssa/apply.js'
import { checkPatchOptions, isForce, recordManagedFields } from '../ssa/request.js'
import { parseApplyBody } from './apply.js'
import { checkFields, fieldValidationOf, type WriteVerb } from './field-validation.js'
import { isPlainObject, parseJson } from './http.js'
import { rfc3339 } from '../time.js'
import { requireNamespace } from './namespaces.js'
import { jsonPatch, mergePatch } from './patch.js'
import {
  checkKind,
  checkName,
  invalidObject,
  isDryRun,
  keyOf,
  live,
  parseObject,
  show,
  type Reply,
  type ResourceContext,
  type VerbRequest
} from './request.js'
import { apiVersionOf } from './routing.js'

// The apply type is +yaml; newer servers also accept +cbor, and JSON is YAML.
const APPLY_TYPES = ['application/apply-patch+yaml']
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', ...APPLY_TYPES]

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'
const nameSuffix = () =>
  Array.from(
    { length: 5 },
    () => NAME_ALPHABET[Math.floor(Math.random() * NAME_ALPHABET.length)]
  ).join('')

/** Prune and check a decoded body by the schema; the warnings go on the reply. */
function checkBody(req: VerbRequest, obj: KObject, verb: WriteVerb): string[] {
  const { type, version } = req.target
  return checkFields(type, version, obj, verb, fieldValidationOf(req.query, verb))
}

/** The schema's warnings come before admission's (the order the API server records them). */
const withWarnings = (reply: Reply, warnings: string[]): Reply => {
  const all = [...warnings, ...(reply.warnings ?? [])]
  return all.length ? { ...reply, warnings: all } : reply
}

/** POST of a decoded body. */
export function createFromBody(ctx: ResourceContext, req: VerbRequest, obj: KObject): Reply {
  const warnings = checkBody(req, obj, 'create')
  return withWarnings(create(ctx, req, obj), warnings)
}

export function create(
  ctx: ResourceContext,
  req: VerbRequest,
  obj: KObject,
  /** An apply has set managedFields already; otherwise the create is an Update. */
  applied = false
): Reply {
  const { type, version } = req.target
  const meta = obj.metadata
  if (!meta.name && meta.generateName) meta.name = meta.generateName + nameSuffix()
  if (!meta.name) {
    throw invalidObject(
      type,
      '',
      'metadata.name',
      'Required value: name or generateName is required'
    )
  }
  requireNamespace(ctx.store, ctx.settings, req.target.namespace)
  if (meta.resourceVersion) {
    throw new ApiError(
      500,
      'InternalError',
      'Internal error occurred: resourceVersion should not be set on objects to be created'
    )
  }
  for (const field of ['uid', 'generation', 'creationTimestamp', 'deletionTimestamp'])
    delete meta[field]
  if (!applied) recordManagedFields(obj, undefined, req, ctx.now())
  if (type.hasStatus) delete obj.status // the status subresource ignores status on create
  const admission: string[] = []
  const stored = ctx.admit(
    {
      operation: 'CREATE',
      resource: type,
      version,
      object: obj,
      user: req.user,
      warn: (w) => admission.push(w)
    },
    ctx.settings
  )
  if (isDryRun(req.query)) {
    if (ctx.store.get(keyOf(req), stored.metadata.namespace, stored.metadata.name)) {
      throw ApiError.alreadyExists(keyOf(req), stored.metadata.name)
    }
    const preview = structuredClone(stored)
    Object.assign(preview.metadata, {
      uid: randomUUID(),
      generation: 1,
      creationTimestamp: rfc3339(ctx.now())
    })
    return withWarnings({ status: 201, body: show(ctx, req, preview) }, admission)
  }
  return withWarnings(
    { status: 201, body: show(ctx, req, ctx.store.create(keyOf(req), stored, 'api')) },
    admission
  )
}

/** Store an admitted object over `current`; `resourceVersion` is the write's precondition. */
function write(
  ctx: ResourceContext,
  req: VerbRequest,
  admitted: KObject,
  current: KObject,
  resourceVersion: string | undefined
): Reply {
  admitted.metadata.resourceVersion = resourceVersion ?? current.metadata.resourceVersion
  if (isDryRun(req.query)) {
    if (admitted.metadata.resourceVersion !== current.metadata.resourceVersion) {
      throw ApiError.conflict(keyOf(req), current.metadata.name)
    }
    const { uid, creationTimestamp, generation } = current.metadata
    const preview = {
      ...admitted,
      status: current.status,
      metadata: { ...admitted.metadata, uid, creationTimestamp, generation }
    }
    return { status: 200, body: show(ctx, req, preview) }
  }
  return {
    status: 200,
    body: show(ctx, req, ctx.store.update(keyOf(req), admitted, { actor: 'api' }))
  }
}

/** A write to the status subresource: only `.status` of `next` is kept. */
function writeStatus(
  ctx: ResourceContext,
  req: VerbRequest,
  next: KObject,
  current: KObject
): Reply {
  const resourceVersion = next.metadata?.resourceVersion ?? current.metadata.resourceVersion
  const { type, version } = req.target
  const proposed = { ...show(ctx, req, current), status: next.status }
  const admitted = ctx.admit(
    {
      operation: 'UPDATE',
      resource: type,
      version,
      object: proposed,
      oldObject: current,
      user: req.user,
      subresource: 'status'
    },
    ctx.settings
  )
  const input = {
    ...current,
    status: admitted.status,
    metadata: { ...current.metadata, resourceVersion }
  }
  if (isDryRun(req.query)) return { status: 200, body: show(ctx, req, input) }
  return {
    status: 200,
    body: show(
      ctx,
      req,
      ctx.store.update(keyOf(req), input, { subresource: 'status', actor: 'api' })
    )
  }
}

export function update(ctx: ResourceContext, req: VerbRequest): Reply {
  const current = live(ctx, req)
  const obj = parseObject(req)
  checkName(obj, req)
  if (req.target.subresource === 'status') return writeStatus(ctx, req, obj, current)
  const warnings = checkBody(req, obj, 'update')
  const rv = obj.metadata.resourceVersion
  if (!rv) {
    throw invalidObject(
      req.target.type,
      current.metadata.name,
      'metadata.resourceVersion',
      'Invalid value: 0x0: must be specified for an update'
    )
  }
  if (rv !== current.metadata.resourceVersion)
    throw ApiError.conflict(keyOf(req), current.metadata.name)
  recordManagedFields(obj, show(ctx, req, current), req, ctx.now())
  const { type, version } = req.target
  const admitted = ctx.admit(
    {
      operation: 'UPDATE',
      resource: type,
      version,
      object: obj,
      oldObject: current,
      user: req.user,
      warn: (w) => warnings.push(w)
    },
    ctx.settings
  )
  return withWarnings(write(ctx, req, admitted, current, rv), warnings)
}

export function patch(ctx: ResourceContext, req: VerbRequest): Reply {
  const { type, version } = req.target
  const isApply = APPLY_TYPES.includes(req.contentType)
  checkPatchOptions(req, isApply)
  if (isApply) return apply(ctx, req)
  if (!PATCH_TYPES.includes(req.contentType)) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`
    )
  }
  const current = live(ctx, req)
  const body = parseJson(req.body)
  const patched = (
    req.contentType === 'application/merge-patch+json'
      ? mergePatch(show(ctx, req, current), body)
      : jsonPatch(show(ctx, req, current), body)
  ) as KObject
  if (!isPlainObject(patched) || !isPlainObject(patched.metadata)) {
    throw ApiError.badRequest('the patched object must be an object with metadata')
  }
  if (req.target.subresource === 'status') return writeStatus(ctx, req, patched, current)
  checkKind(patched, type, version)
  const warnings = checkBody(req, patched, 'patch')
  // Name and namespace come from the URL, whatever the patch says.
  patched.metadata.name = current.metadata.name
  patched.metadata.namespace = current.metadata.namespace
  recordManagedFields(patched, show(ctx, req, current), req, ctx.now())
  const admitted = ctx.admit(
    {
      operation: 'UPDATE',
      resource: type,
      version,
      object: patched,
      oldObject: current,
      user: req.user,
      warn: (w) => warnings.push(w)
    },
    ctx.settings
  )
  return withWarnings(
    write(ctx, req, admitted, current, patched.metadata.resourceVersion),
    warnings
  )
}

function apply(ctx: ResourceContext, req: VerbRequest): Reply {
  const { type, version, namespace, name } = req.target
  const manager = req.query.get('fieldManager')!
  const applied = parseApplyBody(req.body)
  if (!applied.apiVersion || !applied.kind) {
    throw ApiError.badRequest('apiVersion and kind must be set in an apply request')
  }
  checkKind(applied, type, version)
  checkName(applied, req)
  const warnings = checkBody(req, applied, 'patch')
  if (applied.metadata.namespace && applied.metadata.namespace !== namespace) {
    throw ApiError.badRequest(
      'the namespace of the provided object does not match the namespace sent on the request'
    )
  }
  const current = ctx.store.get(keyOf(req), namespace, name!)
  const gv = apiVersionOf(type, version)
  const ssa = { config: applied, manager, apiVersion: gv, force: isForce(req), now: ctx.now() }
  if (!current) {
    if (req.target.subresource === 'status') throw ApiError.notFound(keyOf(req), name!)
    const obj = serverSideApply({ ...ssa, live: undefined })
    obj.metadata.namespace = namespace
    return withWarnings(create(ctx, req, obj, true), warnings)
  }
  const merged = serverSideApply({ ...ssa, live: show(ctx, req, current) })
  if (req.target.subresource === 'status') return writeStatus(ctx, req, merged, current)
  const admitted = ctx.admit(
    {
      operation: 'UPDATE',
      resource: type,
      version,
      object: merged,
      oldObject: current,
      user: req.user,
      warn: (w) => warnings.push(w)
    },
    ctx.settings
  )
  return withWarnings(write(ctx, req, admitted, current, merged.metadata.resourceVersion), warnings)
}
