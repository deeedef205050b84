// Label and field selectors, parsed once per request into predicates.
// Labels: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a` (exists), `!a`.
// Fields: `metadata.name` and `metadata.namespace` with `=`, `==`, `!=`, as for CRDs.

import { ApiError } from '../api-error.js'
import type { KObject } from '../store.js'

export type Predicate = (obj: KObject) => boolean

type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'absent' }

/** Split on commas that are not inside `( )`. */
function splitTerms(selector: string): string[] {
  const terms: string[] = []
  let depth = 0
  let current = ''
  for (const ch of selector) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      terms.push(current)
      current = ''
    } else current += ch
  }
  terms.push(current)
  return terms.map((t) => t.trim()).filter(Boolean)
}

function parseLabelTerm(term: string): Requirement {
  let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term)
  if (m) {
    const values = m[3]
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean)
    return { key: m[1], op: m[2] as 'in' | 'notin', values }
  }
  m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(term)
  if (m) return { key: m[1], op: m[2] === '!=' ? 'neq' : 'eq', value: m[3] }
  m = /^!\s*([\w./-]+)$/.exec(term)
  if (m) return { key: m[1], op: 'absent' }
  m = /^([\w./-]+)$/.exec(term)
  if (m) return { key: m[1], op: 'exists' }
  throw ApiError.badRequest(`unable to parse requirement: invalid label selector term "${term}"`)
}

function matches(req: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, req.key)
  const value = labels[req.key]
  switch (req.op) {
    case 'eq':
      return has && value === req.value
    case 'neq':
      return !has || value !== req.value
    case 'in':
      return has && req.values.includes(value)
    case 'notin':
      return !has || !req.values.includes(value)
    case 'exists':
      return has
    case 'absent':
      return !has
  }
}

export function parseLabelSelector(selector: string | null): Predicate {
  if (!selector) return () => true
  const reqs = splitTerms(selector).map(parseLabelTerm)
  return (obj) => reqs.every((r) => matches(r, obj.metadata.labels ?? {}))
}

const FIELDS: Record<string, (obj: KObject) => string | undefined> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace
}

export function parseFieldSelector(selector: string | null): Predicate {
  if (!selector) return () => true
  const checks = splitTerms(selector).map((term) => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(term)
    if (!m) throw ApiError.badRequest(`invalid selector: '${term}'; can't understand '${term}'`)
    const get = FIELDS[m[1]]
    if (!get) {
      throw ApiError.badRequest(
        `"${m[1]}" is not a known field selector: only "metadata.name", "metadata.namespace"`
      )
    }
    const [op, value] = [m[2], m[3].trim()]
    return (obj: KObject) => (get(obj) === value) === (op !== '!=')
  })
  return (obj) => checks.every((check) => check(obj))
}

/** Both selectors of a list or watch request. */
export function selectorsOf(query: URLSearchParams): Predicate {
  const labels = parseLabelSelector(query.get('labelSelector'))
  const fields = parseFieldSelector(query.get('fieldSelector'))
  return (obj) => labels(obj) && fields(obj)
}
