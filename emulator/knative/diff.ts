// Semantic equality and a go-cmp-style short diff (knative/pkg kmp.ShortDiff), so the
// webhook's "-old +new" details read like Knative's: one block per changed leaf, with Go
// field names (`{*v1.RevisionTemplateSpec}.Spec.PodSpec.Containers[0].Image`).

type Json = unknown

/** Go zero values and empty collections count as absent (equality.Semantic). */
function isEmpty(v: Json): boolean {
  if (v === undefined || v === null || v === '') return true
  if (Array.isArray(v)) return v.length === 0
  return typeof v === 'object' && Object.keys(v as object).length === 0
}

export function semanticEqual(a: Json, b: Json): boolean {
  if (isEmpty(a) && isEmpty(b)) return true
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]))
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    return [...keys].every((k) => semanticEqual(a[k], b[k]))
  }
  return a === b
}

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

// JSON keys whose values are Go maps (indexed as ["key"]) rather than structs.
const MAP_FIELDS = new Set(['labels', 'annotations', 'nodeSelector', 'limits', 'requests'])
// RevisionSpec's own fields; every other key of a revision spec belongs to the inlined PodSpec.
const REVISION_SPEC_FIELDS = new Set([
  'containerConcurrency',
  'timeoutSeconds',
  'responseStartTimeoutSeconds',
  'idleTimeoutSeconds'
])

export type DiffRoot = 'RevisionTemplateSpec' | 'RevisionSpec'

/** The diff of two revision templates or specs, or '' when they are semantically equal. */
export function shortDiff(root: DiffRoot, oldValue: Json, newValue: Json): string {
  const out: string[] = []
  const prefix =
    root === 'RevisionTemplateSpec' ? '{*v1.RevisionTemplateSpec}' : '{v1.RevisionSpec}'
  walk(oldValue, newValue, prefix, root === 'RevisionSpec' ? 'revisionSpec' : 'template', out)
  return out.join('')
}

type Context = 'template' | 'revisionSpec' | 'struct' | 'map'

function walk(a: Json, b: Json, path: string, ctx: Context, out: string[]): void {
  if (semanticEqual(a, b)) return
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++)
      walk(a[i], b[i], `${path}[${i}]`, 'struct', out)
    return
  }
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (ctx === 'map') walk(a[key], b[key], `${path}[${JSON.stringify(key)}]`, 'struct', out)
      else walk(a[key], b[key], path + segment(key, ctx), childContext(key, ctx), out)
    }
    return
  }
  out.push(`${path}:\n\t-: ${show(a)}\n\t+: ${show(b)}\n`)
}

function segment(key: string, ctx: Context): string {
  const goName = key === 'metadata' ? 'ObjectMeta' : key[0].toUpperCase() + key.slice(1)
  if (ctx === 'revisionSpec' && !REVISION_SPEC_FIELDS.has(key)) return `.PodSpec.${goName}`
  return `.${goName}`
}

function childContext(key: string, ctx: Context): Context {
  if (ctx === 'template' && key === 'spec') return 'revisionSpec'
  return MAP_FIELDS.has(key) ? 'map' : 'struct'
}

function show(v: Json): string {
  if (v === undefined || v === null) return '<non-existent>'
  return JSON.stringify(v)
}
