// Sets of field paths, the unit of server-side apply ownership, and their wire form FieldsV1
// (`{"f:spec":{"f:traffic":{}}}`). A path is a list of FieldsV1 tokens: `f:<field>`, and, in
// entries other clients wrote, `k:{...}` (list item by key), `v:<json>` (set member) or
// `i:<n>`. A member of the set is a node someone owns: a leaf (`{}`), or a map that was
// itself added by the owner, which FieldsV1 marks with a `.` key next to its children.
//
// The emulator's objects have only atomic lists (Knative's CRDs declare no
// x-kubernetes-list-type, so every list in them is atomic), so the paths it computes from
// objects are made of `f:` tokens only; the other tokens are carried, never interpreted.

import { isPlainObject } from '../api/http.js'

export type FieldPath = readonly string[]

const SEP = '\u0000'
const keyOf = (path: FieldPath): string => path.join(SEP)
const pathOf = (key: string): FieldPath => (key === '' ? [] : key.split(SEP))

export class FieldSet {
  private readonly members: Set<string>

  constructor(paths: Iterable<FieldPath> = []) {
    this.members = new Set([...paths].map(keyOf))
  }

  get size(): number {
    return this.members.size
  }

  has(path: FieldPath): boolean {
    return this.members.has(keyOf(path))
  }

  paths(): FieldPath[] {
    return [...this.members].sort().map(pathOf)
  }

  union(other: FieldSet): FieldSet {
    return new FieldSet([...this.paths(), ...other.paths()])
  }

  difference(other: FieldSet): FieldSet {
    return new FieldSet(this.paths().filter((p) => !other.has(p)))
  }

  intersection(other: FieldSet): FieldSet {
    return new FieldSet(this.paths().filter((p) => other.has(p)))
  }

  equals(other: FieldSet): boolean {
    return this.size === other.size && this.paths().every((p) => other.has(p))
  }

  /** Members at or under `prefix`. */
  under(prefix: FieldPath): FieldSet {
    const k = keyOf(prefix)
    return new FieldSet(
      this.paths().filter((p) => {
        const pk = keyOf(p)
        return pk === k || pk.startsWith(k + SEP)
      })
    )
  }
}

/** FieldsV1 → set. Unknown shapes (not an object) read as the empty set. */
export function fromFieldsV1(fields: unknown): FieldSet {
  const out: FieldPath[] = []
  const walk = (node: unknown, prefix: string[]) => {
    if (!isPlainObject(node)) return
    const keys = Object.keys(node)
    if (keys.length === 0 && prefix.length > 0) out.push(prefix)
    for (const key of keys) {
      if (key === '.') out.push(prefix)
      else walk(node[key], [...prefix, key])
    }
  }
  walk(fields, [])
  return new FieldSet(out)
}

/** Set → FieldsV1, `.` first and children in sorted order, as the API server writes it. */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  interface Node {
    member: boolean
    children: Map<string, Node>
  }
  const root: Node = { member: false, children: new Map() }
  for (const path of set.paths()) {
    let node = root
    for (const token of path) {
      let child = node.children.get(token)
      if (!child) node.children.set(token, (child = { member: false, children: new Map() }))
      node = child
    }
    node.member = true
  }
  const encode = (node: Node): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    if (node.member && node.children.size > 0) out['.'] = {}
    for (const key of [...node.children.keys()].sort()) out[key] = encode(node.children.get(key)!)
    return out
  }
  return encode(root)
}

/** `.spec.traffic`, `.spec.containers[name="app"]`: the path as conflict messages print it. */
export function pathString(path: FieldPath): string {
  return path
    .map((token) => {
      const kind = token.slice(0, 2)
      const rest = token.slice(2)
      if (kind === 'f:') return `.${rest}`
      if (kind === 'i:') return `[${rest}]`
      if (kind === 'v:') return `[=${rest}]`
      if (kind === 'k:') {
        try {
          const keys = JSON.parse(rest) as Record<string, unknown>
          return `[${Object.entries(keys)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(',')}]`
        } catch {
          return `[${rest}]`
        }
      }
      return token
    })
    .join('')
}

/** The path as object keys, or undefined when it goes through a list item (not addressable here). */
export function fieldNames(path: FieldPath): string[] | undefined {
  if (!path.every((t) => t.startsWith('f:'))) return undefined
  return path.map((t) => t.slice(2))
}
