// One resource request as the verb handlers see it, and the helpers they share: the live
// object, dry-run, reading a body as an object of the right kind, Invalid errors.

import { parse as parseYaml } from 'yaml'
import { ApiError } from '../api-error.js'
import { storeKey, type ResourceType } from '../resources.js'
import type { EmulatorSettings } from '../settings.js'
import type { KObject, Store } from '../store.js'
import { isPlainObject, parseJson } from './http.js'
import { apiVersionOf, type ResourceTarget } from './routing.js'
import type { Admit, Present } from './types.js'

export interface ResourceContext {
  store: Store
  settings: EmulatorSettings
  admit: Admit
  present: Present
  now: () => Date
}

export interface VerbRequest {
  target: ResourceTarget
  query: URLSearchParams
  /** The media type alone, without parameters. */
  contentType: string
  accept?: string
  body: string
  user: string
  /** Names the manager of a write without `fieldManager`. */
  userAgent?: string
}

export interface Reply {
  status: number
  body: unknown
  /** Sent as `Warning` headers (unknown fields under `fieldValidation=Warn`). */
  warnings?: string[]
}

export const keyOf = (req: VerbRequest) => storeKey(req.target.type)
export const show = (ctx: ResourceContext, req: VerbRequest, obj: KObject) =>
  ctx.present(req.target.type, req.target.version, obj)

export function live(ctx: ResourceContext, req: VerbRequest): KObject {
  const { namespace, name } = req.target
  const found = ctx.store.get(keyOf(req), namespace, name!)
  if (!found) throw ApiError.notFound(keyOf(req), name!)
  return found
}

export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun')
  if (values.some((v) => v !== 'All')) {
    throw ApiError.badRequest(`unsupported dry run value: ${values.join(',')}`)
  }
  return values.length > 0
}

/** The request body as an object of this resource's kind and version. */
export function parseObject(req: VerbRequest): KObject {
  const data = req.contentType.includes('yaml') ? parseYamlBody(req.body) : parseJson(req.body)
  if (!isPlainObject(data)) throw ApiError.badRequest('the request body must be a JSON object')
  const obj = data as KObject
  checkKind(obj, req.target.type, req.target.version)
  obj.metadata = isPlainObject(obj.metadata) ? obj.metadata : ({} as KObject['metadata'])
  const { namespace } = req.target
  if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
    throw ApiError.badRequest(
      'the namespace of the provided object does not match the namespace sent on the request'
    )
  }
  obj.metadata.namespace = namespace
  return obj
}

function parseYamlBody(text: string): unknown {
  try {
    return parseYaml(text)
  } catch (err) {
    throw ApiError.badRequest(`error decoding YAML: ${(err as Error).message}`)
  }
}

export function checkKind(obj: KObject, type: ResourceType, version: string): void {
  const apiVersion = apiVersionOf(type, version)
  if (obj.apiVersion && obj.apiVersion !== apiVersion) {
    throw ApiError.badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersion})`
    )
  }
  if (obj.kind && obj.kind !== type.kind) {
    throw ApiError.badRequest(
      `the kind in the data (${obj.kind}) does not match the expected kind (${type.kind})`
    )
  }
  obj.apiVersion = apiVersion
  obj.kind = type.kind
}

export function checkName(obj: KObject, req: VerbRequest): void {
  if (obj.metadata.name !== req.target.name) {
    throw ApiError.badRequest(
      `the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${req.target.name})`
    )
  }
}

export function invalidObject(
  type: ResourceType,
  name: string,
  field: string,
  detail: string
): ApiError {
  const qualified = type.group ? `${type.kind}.${type.group}` : type.kind
  return new ApiError(422, 'Invalid', `${qualified} "${name}" is invalid: ${field}: ${detail}`, {
    name,
    group: type.group || undefined,
    kind: type.kind,
    causes: [{ reason: 'FieldValueInvalid', message: detail, field }]
  })
}
