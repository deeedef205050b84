// Admin endpoints under `/emulator/` on the API port: the request log, API faults,
// settings, live revision behaviour and the store's write history. They are not
// Kubernetes resources: no audit, no faults, no auth.

import { ApiError } from '../api-error.js'
import { NO_FAULTS, type EmulatorSettings } from '../settings.js'
import type { Store } from '../store.js'
import type { AuditLog } from './audit.js'
import { parseFaults } from './faults.js'
import { isPlainObject, parseJson } from './http.js'
import { methodNotAllowed } from './routing.js'
import type { DataPlaneControl, RevisionBehaviour } from './types.js'

export interface AdminContext {
  store: Store
  settings: EmulatorSettings
  audit: AuditLog
  dataPlane?: DataPlaneControl
}

export interface AdminReply {
  status: number
  body?: unknown
}

const notFound = (path: string) =>
  new ApiError(404, 'NotFound', `no emulator admin endpoint at ${path}`)

export function serveAdmin(
  ctx: AdminContext,
  method: string,
  path: string,
  query: URLSearchParams,
  body: string
): AdminReply {
  const route = path.replace(/^\/emulator\//, '')
  const behaviour = /^revisions\/([^/]+)\/([^/]+)\/behaviour$/.exec(route)
  if (behaviour) {
    if (method !== 'PUT') throw methodNotAllowed()
    return setBehaviour(
      ctx,
      decodeURIComponent(behaviour[1]),
      decodeURIComponent(behaviour[2]),
      body
    )
  }
  const key = `${method} ${route}`
  switch (key) {
    case 'GET requests':
      return { status: 200, body: ctx.audit.list() }
    case 'DELETE requests':
      ctx.audit.clear()
      return { status: 200, body: [] }
    case 'GET faults':
      return { status: 200, body: ctx.settings.faults }
    case 'PUT faults':
      Object.assign(ctx.settings.faults, parseFaults(parseJson(body)))
      return { status: 200, body: ctx.settings.faults }
    case 'DELETE faults':
      Object.assign(ctx.settings.faults, NO_FAULTS)
      return { status: 200, body: ctx.settings.faults }
    case 'GET settings':
      return { status: 200, body: ctx.settings }
    case 'PUT settings':
      return putSettings(ctx, body)
    case 'GET history':
      return { status: 200, body: history(ctx.store, query) }
  }
  if (['requests', 'faults', 'settings', 'history'].includes(route)) throw methodNotAllowed()
  throw notFound(path)
}

function putSettings(ctx: AdminContext, body: string): AdminReply {
  const input = parseJson(body)
  if (!isPlainObject(input)) throw ApiError.badRequest('settings must be a JSON object')
  for (const [key, value] of Object.entries(input)) {
    if (key !== 'statusDelayMs')
      throw ApiError.badRequest(`setting "${key}" cannot be changed while the emulator runs`)
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw ApiError.badRequest('statusDelayMs must be a non-negative number')
    }
    ctx.settings.statusDelayMs = value
  }
  return { status: 200, body: ctx.settings }
}

function setBehaviour(
  ctx: AdminContext,
  namespace: string,
  revision: string,
  body: string
): AdminReply {
  if (!ctx.dataPlane)
    throw new ApiError(503, 'ServiceUnavailable', 'this emulator has no data plane')
  const input = parseJson(body)
  if (!isPlainObject(input)) throw ApiError.badRequest('behaviour must be a JSON object')
  const behaviour: RevisionBehaviour = {}
  for (const [key, value] of Object.entries(input)) {
    if (key !== 'errorRate' && key !== 'latencyMs')
      throw ApiError.badRequest(`unknown behaviour "${key}"`)
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < 0 ||
      (key === 'errorRate' && value > 1)
    ) {
      throw ApiError.badRequest(
        key === 'errorRate'
          ? 'errorRate must be between 0 and 1'
          : 'latencyMs must be a non-negative number'
      )
    }
    behaviour[key] = value
  }
  ctx.dataPlane.setBehaviour(namespace, revision, behaviour)
  return { status: 200, body: { namespace, revision, ...behaviour } }
}

/** The store's writes, oldest first; `resource`, `namespace`, `name` filter them. */
function history(store: Store, query: URLSearchParams) {
  const want = (field: string, value: string | undefined) =>
    !query.get(field) || query.get(field) === value
  return store.history
    .filter(
      (e) =>
        want('resource', e.resource) &&
        want('namespace', e.object.metadata.namespace) &&
        want('name', e.object.metadata.name)
    )
    .map((e) => ({
      type: e.type,
      resource: e.resource,
      namespace: e.object.metadata.namespace,
      name: e.object.metadata.name,
      resourceVersion: e.resourceVersion,
      actor: e.actor,
      at: e.at,
      object: e.object
    }))
}
