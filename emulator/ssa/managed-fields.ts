// `metadata.managedFields` as the API server keeps it: one entry per manager identity
// (manager name + operation, and for Update the apiVersion), each with the set of fields it
// owns. An Update takes the fields it changed (from anyone, never a conflict); the manager
// name defaults to the User-Agent's product token. Pure: the clock comes in as `now`.

import { isPlainObject } from '../api/http.js'
import { FieldSet, fromFieldsV1, pathString, toFieldsV1, type FieldPath } from './field-set.js'
import { compareObjects } from './object-fields.js'

export interface ManagedFieldsEntry {
  manager: string
  operation: 'Apply' | 'Update'
  apiVersion: string
  time?: string
  fieldsType: 'FieldsV1'
  fieldsV1: Record<string, unknown>
  subresource?: string
}

/** A decoded entry: its identity and time, and the fields as a set. */
export interface Managed {
  manager: string
  operation: 'Apply' | 'Update'
  apiVersion: string
  time?: string
  subresource?: string
  fields: FieldSet
}

export const rfc3339 = (now: Date) => now.toISOString().replace(/\.\d+Z$/, 'Z')

/** The API server's limit on a manager name (validation.FieldManagerMaxLength). */
export const FIELD_MANAGER_MAX_LENGTH = 128

/** The manager of a write without `fieldManager`: the User-Agent up to its first `/`. */
export function managerFromUserAgent(userAgent: string | undefined): string {
  const product = (userAgent ?? '').split('/')[0]
  // eslint-disable-next-line no-control-regex
  return [...product.replace(/[\u0000-\u001f\u007f]/g, '')]
    .join('')
    .slice(0, FIELD_MANAGER_MAX_LENGTH)
}

/** Two entries are the same manager when these match (an applier's apiVersion is not part of it). */
export function sameManager(a: Managed, b: Omit<Managed, 'fields'>): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    (a.subresource ?? '') === (b.subresource ?? '') &&
    (a.operation === 'Apply' || a.apiVersion === b.apiVersion)
  )
}

function isEntry(value: unknown): value is ManagedFieldsEntry {
  return (
    isPlainObject(value) &&
    typeof value.manager === 'string' &&
    (value.operation === 'Apply' || value.operation === 'Update') &&
    (value.fieldsV1 === undefined || isPlainObject(value.fieldsV1))
  )
}

export function decodeEntries(value: unknown): Managed[] {
  if (!Array.isArray(value)) return []
  return value.filter(isEntry).map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    time: e.time,
    subresource: e.subresource || undefined,
    fields: fromFieldsV1(e.fieldsV1)
  }))
}

export function encodeEntries(managed: Managed[]): ManagedFieldsEntry[] {
  return managed
    .filter((m) => m.fields.size > 0)
    .map((m) => ({
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      ...(m.time ? { time: m.time } : {}),
      fieldsType: 'FieldsV1' as const,
      fieldsV1: toFieldsV1(m.fields),
      ...(m.subresource ? { subresource: m.subresource } : {})
    }))
}

/**
 * The entries a write starts from. A client may replace managedFields outright (as Flux does
 * to take over kubectl's fields), or clear them with `[{}]`; a body that omits them, or
 * carries ones that do not decode, keeps the live ones, so clients that do not know about
 * managedFields cannot drop them by accident.
 */
export function baseEntries(requested: unknown, live: unknown): Managed[] {
  if (
    Array.isArray(requested) &&
    requested.length === 1 &&
    isPlainObject(requested[0]) &&
    Object.keys(requested[0]).length === 0
  ) {
    return []
  }
  if (Array.isArray(requested) && requested.length > 0 && requested.every(isEntry)) {
    return decodeEntries(requested)
  }
  return decodeEntries(live)
}

/** The fields `set` owns of `owned`, after `taken` and `gone` left it; the time moves on change. */
function withFields(m: Managed, fields: FieldSet, now: Date): Managed {
  return fields.equals(m.fields) ? m : { ...m, fields, time: rfc3339(now) }
}

/**
 * Record an Update (create, PUT, merge or JSON patch) by `manager`: it owns what it added or
 * changed, taken from whoever owned it; removed fields are nobody's any more.
 */
export function recordUpdate(
  entries: Managed[],
  before: unknown,
  after: unknown,
  manager: string,
  apiVersion: string,
  now: Date
): Managed[] {
  const { added, modified, removed } = compareObjects(before, after)
  const changed = added.union(modified)
  const me = { manager, operation: 'Update' as const, apiVersion }
  const out = entries.map((e) =>
    sameManager(e, me) ? e : withFields(e, e.fields.difference(changed).difference(removed), now)
  )
  const mine = out.find((e) => sameManager(e, me))
  const fields = (mine?.fields ?? new FieldSet()).union(changed).difference(removed)
  if (mine) return out.map((e) => (e === mine ? withFields(e, fields, now) : e))
  if (fields.size === 0) return out
  return [...out, { ...me, time: rfc3339(now), fields }]
}

export interface Conflict {
  owner: Managed
  path: FieldPath
}

/** How a conflict names its owner: `"kubectl"`, or `"x" using serving.knative.dev/v1` for an Update. */
export function printManager(m: Managed): string {
  let out = JSON.stringify(m.manager)
  if (m.subresource) out += ` with subresource ${JSON.stringify(m.subresource)}`
  if (m.operation === 'Update') out += ` using ${m.apiVersion}`
  return out
}

/** The 409 message, worded as the API server's apply conflict error. */
export function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) {
    const [c] = conflicts
    return `Apply failed with 1 conflict: conflict with ${printManager(c.owner)}: ${pathString(c.path)}`
  }
  const byManager = new Map<string, string[]>()
  for (const c of conflicts) {
    const name = printManager(c.owner)
    byManager.set(name, [...(byManager.get(name) ?? []), pathString(c.path)])
  }
  const lines: string[] = []
  for (const name of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${name}:`)
    for (const path of byManager.get(name)!) lines.push(`- ${path}`)
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`
}
