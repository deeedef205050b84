// The two RFC patch formats the API server accepts for custom resources:
// JSON merge patch (RFC 7386) and JSON patch (RFC 6902, including `test`).

import { ApiError } from '../api-error.js'
import { isPlainObject } from './http.js'

/** RFC 7386: objects merge recursively, `null` deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch)
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key]
    else out[key] = mergePatch(out[key], value)
  }
  return out
}

interface Operation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test'
  path: string
  from?: string
  value?: unknown
}

const invalid = (message: string) => new ApiError(422, 'Invalid', message)

function tokens(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw invalid(`invalid JSON pointer: "${pointer}"`)
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** The container of the pointer's last token, and that token. */
function parentOf(doc: any, pointer: string): { parent: any; key: string } {
  const path = tokens(pointer)
  if (path.length === 0) throw invalid(`cannot operate on the whole document: "${pointer}"`)
  let node = doc
  for (const t of path.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(t)] : isPlainObject(node) ? node[t] : undefined
    if (node === undefined) throw invalid(`doc is missing path: "${pointer}": missing value`)
  }
  return { parent: node, key: path[path.length - 1] }
}

function arrayIndex(arr: unknown[], key: string, forInsert: boolean, pointer: string): number {
  if (forInsert && key === '-') return arr.length
  if (!/^(0|[1-9]\d*)$/.test(key)) throw invalid(`invalid array index "${key}" in "${pointer}"`)
  const i = Number(key)
  if (i > arr.length || (!forInsert && i === arr.length))
    throw invalid(`index out of range: "${pointer}"`)
  return i
}

function get(doc: unknown, pointer: string): unknown {
  let node: any = doc
  for (const t of tokens(pointer)) {
    node = Array.isArray(node) ? node[Number(t)] : isPlainObject(node) ? node[t] : undefined
    if (node === undefined) throw invalid(`doc is missing path: "${pointer}": missing value`)
  }
  return node
}

function add(doc: any, pointer: string, value: unknown): any {
  if (pointer === '') return value
  const { parent, key } = parentOf(doc, pointer)
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, pointer), 0, value)
  else if (isPlainObject(parent)) parent[key] = value
  else throw invalid(`doc is missing path: "${pointer}"`)
  return doc
}

function remove(doc: any, pointer: string): unknown {
  const { parent, key } = parentOf(doc, pointer)
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, false, pointer), 1)[0]
  if (!isPlainObject(parent) || !Object.hasOwn(parent, key)) {
    throw invalid(`Unable to remove nonexistent key: ${key}: missing value`)
  }
  const old = parent[key]
  delete parent[key]
  return old
}

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, val) =>
    isPlainObject(val)
      ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => a.localeCompare(b)))
      : val
  )

/** RFC 6902. A failed `test` or a missing path is a 422, as the API server answers. */
export function jsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw ApiError.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch')
  let doc: any = structuredClone(target)
  for (const raw of patch as Operation[]) {
    if (!isPlainObject(raw) || typeof raw.path !== 'string')
      throw ApiError.badRequest('invalid JSON patch operation')
    const { op, path } = raw
    switch (op) {
      case 'add':
        doc = add(doc, path, structuredClone(raw.value))
        break
      case 'remove':
        remove(doc, path)
        break
      case 'replace':
        get(doc, path)
        if (path === '') doc = structuredClone(raw.value)
        else {
          const { parent, key } = parentOf(doc, path)
          parent[Array.isArray(parent) ? arrayIndex(parent, key, false, path) : key] =
            structuredClone(raw.value)
        }
        break
      case 'move':
        doc = add(doc, path, remove(doc, raw.from ?? ''))
        break
      case 'copy':
        doc = add(doc, path, structuredClone(get(doc, raw.from ?? '')))
        break
      case 'test':
        if (canonical(get(doc, path)) !== canonical(raw.value)) {
          throw invalid(`testing value ${path} failed: test failed`)
        }
        break
      default:
        throw ApiError.badRequest(`Unexpected kind: ${String(op)}`)
    }
  }
  return doc
}
