// Server-side apply (`application/apply-patch+yaml`), simplified but with the behaviour
// clients rely on:
// - the applied config is merged into the live object: maps merge by key, lists and
//   scalars are replaced whole (CRD lists without list-map keys are atomic in real SSA too);
// - a field this manager applied last time and omits now is removed;
// - each manager's applied fields are kept in `metadata.managedFields` (operation Apply,
//   FieldsV1), so the removal works across requests.
// Not done: conflict detection between managers. Every apply behaves as `force=true`.

import { parse } from 'yaml'
import { ApiError } from '../api-error.js'
import type { KObject } from '../store.js'
import { isPlainObject } from './http.js'
import { rfc3339 } from '../time.js'

type Path = string[]

/** Top-level and metadata fields the server owns, never part of a manager's set. */
const SERVER_OWNED = new Set(['apiVersion', 'kind', 'status'])
const SERVER_OWNED_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'managedFields',
  'selfLink'
])

export function parseApplyBody(text: string): KObject {
  let body: unknown
  try {
    body = parse(text) // JSON is YAML, so this reads both
  } catch (err) {
    throw ApiError.badRequest(`error decoding YAML: ${(err as Error).message}`)
  }
  if (!isPlainObject(body) || !isPlainObject(body.metadata)) {
    throw ApiError.badRequest('the apply body must be an object with metadata')
  }
  return body as KObject
}

/** Every leaf path a config sets: maps are walked, lists and scalars are leaves. */
export function fieldPaths(obj: Record<string, unknown>, prefix: Path = []): Path[] {
  const out: Path[] = []
  for (const [key, value] of Object.entries(obj)) {
    if (prefix.length === 0 && SERVER_OWNED.has(key)) continue
    if (prefix.length === 1 && prefix[0] === 'metadata' && SERVER_OWNED_META.has(key)) continue
    const path = [...prefix, key]
    if (isPlainObject(value) && Object.keys(value).length > 0) out.push(...fieldPaths(value, path))
    else out.push(path)
  }
  return out
}

/** Paths → FieldsV1 (`{"f:spec":{"f:template":{}}}`). */
export function encodeFields(paths: Path[]): Record<string, unknown> {
  const root: Record<string, any> = {}
  for (const path of paths) {
    let node = root
    for (const key of path) node = node[`f:${key}`] ??= {}
  }
  return root
}

/** FieldsV1 → leaf paths. */
export function decodeFields(fields: unknown, prefix: Path = []): Path[] {
  if (!isPlainObject(fields)) return []
  const entries = Object.entries(fields).filter(([k]) => k.startsWith('f:'))
  if (entries.length === 0) return prefix.length ? [prefix] : []
  return entries.flatMap(([k, v]) => decodeFields(v, [...prefix, k.slice(2)]))
}

function deleteAt(obj: Record<string, any>, path: Path): void {
  let node: any = obj
  for (const key of path.slice(0, -1)) {
    node = node?.[key]
    if (!isPlainObject(node)) return
  }
  delete node[path[path.length - 1]]
}

function merge(live: unknown, applied: unknown): unknown {
  if (!isPlainObject(applied) || !isPlainObject(live)) return structuredClone(applied)
  const out: Record<string, unknown> = { ...live }
  for (const [key, value] of Object.entries(applied)) {
    if (value === null) delete out[key]
    else out[key] = merge(out[key], value)
  }
  return out
}

interface ManagedFieldsEntry {
  manager: string
  operation: string
  apiVersion: string
  time: string
  fieldsType: 'FieldsV1'
  fieldsV1: Record<string, unknown>
}

/**
 * The object an apply produces. `live` is the current object in the client's version
 * (undefined when the apply creates it).
 */
export function applyConfig(
  live: KObject | undefined,
  applied: KObject,
  manager: string,
  apiVersion: string,
  now: Date
): KObject {
  const entries: ManagedFieldsEntry[] =
    (live?.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? []
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Apply')
  const newPaths = fieldPaths(applied)
  const keep = new Set(newPaths.map((p) => p.join('\u0000')))
  const result = structuredClone(live ?? ({ metadata: {} } as KObject))
  for (const old of decodeFields(mine?.fieldsV1)) {
    if (!keep.has(old.join('\u0000'))) deleteAt(result, old)
  }
  const merged = merge(result, { ...applied, metadata: { ...applied.metadata } }) as KObject
  delete merged.metadata.managedFields
  merged.metadata.managedFields = [
    ...entries.filter((e) => e !== mine),
    {
      manager,
      operation: 'Apply',
      apiVersion,
      time: rfc3339(now),
      fieldsType: 'FieldsV1',
      fieldsV1: encodeFields(newPaths)
    }
  ]
  return merged
}
