// The field sets of objects: what an applied configuration claims, and what changed between
// two versions of an object (what an Update takes ownership of). Fields the server owns
// (identity, metadata it sets, status on the main resource) are never anyone's.
// Lists are atomic (see field-set.ts): a list is one leaf.

import { isPlainObject } from '../api/http.js'
import { FieldSet, type FieldPath } from './field-set.js'

const SERVER_OWNED = new Set(['apiVersion', 'kind', 'status'])
const SERVER_OWNED_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink'
])

function stripped(path: string[]): boolean {
  if (path.length === 1) return SERVER_OWNED.has(path[0])
  return path.length === 2 && path[0] === 'metadata' && SERVER_OWNED_META.has(path[1])
}

const token = (key: string) => `f:${key}`

/**
 * What an applier's configuration claims: every leaf it sets (scalars, lists, empty maps,
 * explicit nulls). A non-empty map is not itself claimed, only its contents.
 */
export function configFields(config: Record<string, unknown>): FieldSet {
  const out: FieldPath[] = []
  const walk = (obj: Record<string, unknown>, names: string[], path: string[]) => {
    for (const [key, value] of Object.entries(obj)) {
      const n = [...names, key]
      if (stripped(n)) continue
      const p = [...path, token(key)]
      if (isPlainObject(value) && Object.keys(value).length > 0) walk(value, n, p)
      else out.push(p)
    }
  }
  walk(config, [], [])
  return new FieldSet(out)
}

/** Every node of an object (maps included) with its value, by path key. */
function nodes(obj: unknown): Map<string, { path: FieldPath; value: unknown; map: boolean }> {
  const out = new Map<string, { path: FieldPath; value: unknown; map: boolean }>()
  const walk = (node: Record<string, unknown>, names: string[], path: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const n = [...names, key]
      if (stripped(n)) continue
      const p = [...path, token(key)]
      const map = isPlainObject(value)
      // metadata always exists, so it is nobody's: only what is inside it is.
      if (!(n.length === 1 && key === 'metadata'))
        out.set(p.join('\u0000'), { path: p, value, map })
      if (map) walk(value, n, p)
    }
  }
  if (isPlainObject(obj)) walk(obj, [], [])
  return out
}

export interface Comparison {
  /** Nodes only in the new object (maps included, so an owner of a new map owns the map). */
  added: FieldSet
  /** Leaves in both with different values. */
  modified: FieldSet
  /** Nodes only in the old object. */
  removed: FieldSet
}

export function compareObjects(before: unknown, after: unknown): Comparison {
  const a = nodes(before)
  const b = nodes(after)
  const added: FieldPath[] = []
  const modified: FieldPath[] = []
  const removed: FieldPath[] = []
  for (const [key, node] of b) {
    const old = a.get(key)
    if (!old) added.push(node.path)
    else if (!(old.map && node.map) && !jsonEqual(old.value, node.value)) modified.push(node.path)
  }
  for (const [key, node] of a) if (!b.has(key)) removed.push(node.path)
  return {
    added: new FieldSet(added),
    modified: new FieldSet(modified),
    removed: new FieldSet(removed)
  }
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((v, i) => jsonEqual(v, b[i]))
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a)
    if (ka.length !== Object.keys(b).length) return false
    return ka.every((k) => k in b && jsonEqual(a[k], b[k]))
  }
  return false
}
