// Edits a Knative Service manifest in place through the source ranges of the `yaml` package's
// parse (keepSourceTokens), never by parse-and-redump: only the spans of the changed values are
// rewritten, so comments, key order, quoting, indentation, blank lines, CRLF and `---` markers
// elsewhere stay byte-identical. A value that is absent is inserted after its parent's last key.
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  Scalar,
  YAMLMap,
  type Pair,
  type YAMLSeq,
  type Document,
  type Node
} from 'yaml'
import type { TrafficTarget } from '../knative/types.js'
import { mergeUserTags, type Release } from '../traffic.js'

export class ManifestEditError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ManifestEditError'
  }
}

export type PathSegment = string | number
export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain }

export interface ValueEdit {
  path: PathSegment[]
  value: Plain
}

const showPath = (path: PathSegment[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')

interface Located {
  source: string
  doc: Document.Parsed
  eol: string
}

function locateService(source: string): Located {
  // An empty stream is an empty list of documents too: no Service in it.
  const docs = parseAllDocuments(source, { keepSourceTokens: true })
  const services = docs.filter((doc) => {
    const root = doc.contents
    if (!isMap(root)) return false
    const kind: unknown = root.get('kind')
    const apiVersion: unknown = root.get('apiVersion')
    return (
      kind === 'Service' &&
      typeof apiVersion === 'string' &&
      apiVersion.startsWith('serving.knative.dev/')
    )
  })
  if (services.length === 0)
    throw new ManifestEditError('the manifest has no Knative Service document')
  if (services.length > 1) {
    throw new ManifestEditError(
      `the manifest has ${services.length} Knative Service documents: which one to edit is ambiguous (keep one Service per file)`
    )
  }
  const doc = services[0]
  if (doc.errors.length > 0)
    throw new ManifestEditError(`the manifest does not parse: ${doc.errors[0].message}`)
  return { source, doc, eol: source.includes('\r\n') ? '\r\n' : '\n' }
}

function lineStart(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1
}

function columnOf(source: string, offset: number): number {
  return offset - lineStart(source, offset)
}

const PLAIN_SAFE = /^[A-Za-z0-9_./@][A-Za-z0-9_./@:+-]*$/
const LOOKS_TYPED =
  /^(?:true|false|yes|no|on|off|null|~|[-+]?[0-9][0-9_.eE+-]*|0x[0-9a-fA-F]+|\.inf|\.nan)$/i

function renderScalar(value: Plain, style?: Scalar.Type): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null)
    return String(value)
  // An empty collection has no block form: it is written in flow style.
  if (Array.isArray(value) && value.length === 0) return '[]'
  if (typeof value === 'object' && Object.keys(value).length === 0) return '{}'
  if (typeof value !== 'string') throw new Error('not a scalar')
  const plainOk =
    PLAIN_SAFE.test(value) &&
    !LOOKS_TYPED.test(value) &&
    !value.includes(': ') &&
    !value.includes(' #')
  if (style === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`
  if (style === Scalar.QUOTE_DOUBLE || !plainOk) return JSON.stringify(value)
  return value
}

function renderFlow(value: Plain, style?: Scalar.Type): string {
  if (Array.isArray(value)) return `[${value.map((v) => renderFlow(v, style)).join(', ')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${renderScalar(k)}: ${renderFlow(v)}`)
      .join(', ')}}`
  }
  return renderScalar(value, style)
}

const isCollection = (value: Plain): value is Plain[] | { [key: string]: Plain } =>
  value !== null && typeof value === 'object' && Object.keys(value).length > 0

/** Block lines of a collection, the first one unindented (it goes where the old value started). */
function renderBlock(value: Plain, indent: string, eol: string): string {
  if (!isCollection(value)) return renderScalar(value)
  const lines: string[] = []
  const entries: [string | undefined, Plain][] = Array.isArray(value)
    ? value.map((v) => [undefined, v])
    : Object.entries(value)
  for (const [key, item] of entries) {
    const head = key === undefined ? '- ' : `${renderScalar(key)}:`
    if (!isCollection(item)) {
      lines.push(key === undefined ? head + renderScalar(item) : `${head} ${renderScalar(item)}`)
      continue
    }
    // A collection as a list item starts after "- " (a map's keys line up there); under a
    // key, on the next line.
    const inner = indent + '  '
    lines.push(
      key === undefined
        ? head + renderBlock(item, inner, eol)
        : `${head}${eol}${inner}${renderBlock(item, inner, eol)}`
    )
  }
  return lines.join(eol + indent)
}

interface Splice {
  start: number
  end: number
  text: string
}

function nodeRange(node: Node, what: string): [number, number] {
  const range = node.range
  if (range === undefined || range === null)
    throw new ManifestEditError(`${what} has no source position`)
  return [range[0], range[1]]
}

/** The splice that sets the value at path, walking the document's nodes (never through aliases). */
function spliceFor(located: Located, edit: ValueEdit): Splice {
  const { source, eol } = located
  let node: unknown = located.doc.contents
  for (let i = 0; i < edit.path.length; i++) {
    const segment = edit.path[i]
    const here = showPath(edit.path.slice(0, i + 1))
    if (typeof segment === 'number') {
      if (!isSeq(node))
        throw new ManifestEditError(`${showPath(edit.path.slice(0, i))} is not a list`)
      if (segment >= node.items.length) throw new ManifestEditError(`${here} does not exist`)
      node = node.items[segment]
    } else {
      if (!isMap(node))
        throw new ManifestEditError(`${showPath(edit.path.slice(0, i))} is not a mapping`)
      const map: YAMLMap = node
      const pair = map.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment)
      if (pair === undefined) {
        if (map.items.some((p) => isScalar(p.key) && p.key.value === '<<')) {
          throw new ManifestEditError(
            `${here} may come from a merge key (<<: *alias): edit it where its anchor is`
          )
        }
        return insertion(
          source,
          eol,
          map,
          edit.path.slice(i),
          buildNested(edit.path.slice(i + 1), edit.value)
        )
      }
      node = pair.value
    }
    // The document's root is a mapping (locateService): every alias is met here, one step in.
    if (isAlias(node))
      throw new ManifestEditError(
        `${here} is reached through an alias (*${node.source}): edit it where its anchor is`
      )
  }
  const target = node as Node
  const [start, end] = nodeRange(target, showPath(edit.path))
  if (isScalar(target)) {
    // A block collection cannot start on its key's line (`key: - a` does not parse): flow.
    if (isCollection(edit.value)) return { start, end, text: renderFlow(edit.value) }
    return { start, end, text: renderScalar(edit.value, target.type) }
  }
  if ((isSeq(target) || isMap(target)) && target.flow === true) {
    // Keep the quoting of the list's items: ["a"] stays ["a", "b"].
    const item = (target.items as unknown[])[0]
    return { start, end, text: renderFlow(edit.value, isScalar(item) ? item.type : undefined) }
  }
  // A block collection: its range may run over the trailing line break and comments; keep
  // those by ending at its last item's value.
  const lastItem = (target as YAMLMap | YAMLSeq).items.at(-1)
  const lastNode = isMap(target) ? (lastItem as Pair | undefined)?.value : (lastItem as Node)
  let valueEnd = (lastNode as Node | null | undefined)?.range?.[1] ?? end
  while (valueEnd > start && /\s/.test(source[valueEnd - 1])) valueEnd--
  return {
    start,
    end: valueEnd,
    text: renderBlock(edit.value, ' '.repeat(columnOf(source, start)), eol)
  }
}

function buildNested(path: PathSegment[], value: Plain): Plain {
  let built = value
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i]
    if (typeof segment === 'number') throw new ManifestEditError('cannot create a list entry')
    built = { [segment]: built }
  }
  return built
}

/** Inserts `key: value` after the last entry of a block mapping, at that mapping's indentation. */
function insertion(
  source: string,
  eol: string,
  map: YAMLMap,
  path: PathSegment[],
  value: Plain
): Splice {
  const key = path[0] as string
  if (map.flow === true) {
    const [, end] = nodeRange(map, key)
    const close = source.lastIndexOf('}', end)
    const sep = map.items.length > 0 ? ', ' : ''
    return { start: close, end: close, text: `${sep}${renderScalar(key)}: ${renderFlow(value)}` }
  }
  const first = map.items[0]?.key as Node | undefined
  if (first === undefined) throw new ManifestEditError(`cannot add ${key} to an empty mapping`)
  const indent = ' '.repeat(columnOf(source, nodeRange(first, key)[0]))
  const last = map.items.at(-1)!
  let end = (last.value as Node | null)?.range?.[1] ?? nodeRange(last.key as Node, key)[1]
  while (end > 0 && /\s/.test(source[end - 1])) end--
  let lineEnd = source.indexOf('\n', end)
  if (lineEnd === -1) lineEnd = source.length
  else if (source[lineEnd - 1] === '\r') lineEnd--
  const body = isCollection(value)
    ? `${renderScalar(key)}:${eol}${indent}  ${renderBlock(value, indent + '  ', eol)}`
    : `${renderScalar(key)}: ${renderScalar(value)}`
  return { start: lineEnd, end: lineEnd, text: `${eol}${indent}${body}` }
}

/** Applies the edits to the one Knative Service in the file; everything else stays byte-identical. */
export function editManifest(source: string, edits: ValueEdit[]): string {
  let text = source
  // One edit at a time, re-parsed: an insertion moves every offset after it.
  for (const edit of edits) {
    const splice = spliceFor(locateService(text), edit)
    text = text.slice(0, splice.start) + splice.text + text.slice(splice.end)
  }
  return text
}

function serviceRoot(source: string): YAMLMap {
  return locateService(source).doc.contents as YAMLMap
}

function has(source: string, path: PathSegment[]): boolean {
  return serviceRoot(source).hasIn(path)
}

/** The template the Service's revisions come from, v1 or v1alpha1 (release/runLatest/pinned). */
function templatePath(source: string): PathSegment[] {
  const candidates: PathSegment[][] = [['spec', 'template']]
  for (const mode of ['release', 'runLatest', 'pinned']) {
    candidates.push(
      ['spec', mode, 'configuration', 'template'],
      ['spec', mode, 'configuration', 'revisionTemplate']
    )
  }
  const found = candidates.find((p) => has(source, p))
  if (found === undefined)
    throw new ManifestEditError('the Service has no revision template (spec.template)')
  return found
}

/** The path of the (first) container of the revision template: v1 `containers[0]`, v1alpha1 `container`. */
function containerPath(source: string): PathSegment[] {
  const template = templatePath(source)
  return has(source, [...template, 'spec', 'container'])
    ? [...template, 'spec', 'container']
    : [...template, 'spec', 'containers', 0]
}

export function setImage(source: string, image: string): string {
  return editManifest(source, [{ path: [...containerPath(source), 'image'], value: image }])
}

/** Sets each of `fields` on the container that the file does not set already. */
export function addContainerFields(source: string, fields: Record<string, Plain>): string {
  return addMissing(source, containerPath(source), fields)
}

/** Sets each of `fields` on the revision template's spec that the file does not set already. */
export function addTemplateSpecFields(source: string, fields: Record<string, Plain>): string {
  return addMissing(source, [...templatePath(source), 'spec'], fields)
}

/**
 * Whether the revision template sits in a v1alpha1 mode (`release`, `runLatest`, `pinned`):
 * Knative converts the mode into `spec.template` whole on every write, so nothing of the
 * template the cluster holds survives an apply of the file.
 */
export function templateInMode(source: string): boolean {
  return templatePath(source)[1] !== 'template'
}

function addMissing(source: string, at: PathSegment[], fields: Record<string, Plain>): string {
  const edits = Object.entries(fields)
    .filter(([key]) => !has(source, [...at, key]))
    .map(([key, value]) => ({ path: [...at, key], value }))
  return edits.length ? editManifest(source, edits) : source
}

export function setRevisionName(source: string, name: string): string {
  return editManifest(source, [
    { path: [...templatePath(source), 'metadata', 'name'], value: name }
  ])
}

export function setRelease(
  source: string,
  release: { revisions: string[]; rolloutPercent: number }
): string {
  if (!has(source, ['spec', 'release']))
    throw new ManifestEditError('the Service has no spec.release block')
  return editManifest(source, [
    { path: ['spec', 'release', 'revisions'], value: release.revisions },
    { path: ['spec', 'release', 'rolloutPercent'], value: release.rolloutPercent }
  ])
}

/**
 * The split as the manifest declares it: a v1alpha1 `release` block (`revisions`,
 * `rolloutPercent`), a `pinned` one (its one revision), or v1 `spec.traffic` in release form
 * with the file's own tags kept at 0% (traffic.ts mergeUserTags, as the action writes the
 * cluster). A traffic block that already says it is left as written, whatever its key order;
 * a manifest without one gets it only with `addTraffic` (no traffic in git is nothing a sync
 * would put back).
 */
export function setSplit(source: string, release: Release, o: { addTraffic: boolean }): string {
  const spec = (locateService(source).doc.toJS() as { spec?: Record<string, unknown> }).spec ?? {}
  if (spec.release != null) {
    // One revision serves 100% alone, and Knative refuses another rolloutPercent then.
    return setRelease(source, {
      revisions: release.candidate ? [release.current, release.candidate] : [release.current],
      rolloutPercent: release.candidate ? release.percent : 0
    })
  }
  if (spec.pinned != null) {
    if (release.candidate)
      throw new ManifestEditError(
        'a v1alpha1 pinned Service serves one revision: it cannot hold a candidate (use a release block)'
      )
    return editManifest(source, [
      { path: ['spec', 'pinned', 'revisionName'], value: release.current }
    ])
  }
  const existing = Array.isArray(spec.traffic) ? (spec.traffic as TrafficTarget[]) : undefined
  if (!existing && !o.addTraffic) return source
  const traffic = mergeUserTags(existing, release)
  if (existing && sameTraffic(existing, traffic)) return source
  return editManifest(source, [
    { path: ['spec', 'traffic'], value: JSON.parse(JSON.stringify(traffic)) as Plain }
  ])
}

/** The same targets in the same order, whatever the key order or spelling of absent fields. */
function sameTraffic(a: readonly TrafficTarget[], b: readonly TrafficTarget[]): boolean {
  const norm = (t: TrafficTarget) =>
    JSON.stringify([t.tag, t.revisionName, t.configurationName, t.latestRevision, t.percent ?? 0])
  return a.length === b.length && a.every((t, i) => norm(t) === norm(b[i]))
}

/** A unified diff (3 lines of context) of one file, for dry-run output. */
export function unifiedDiff(before: string, after: string, path: string): string {
  if (before === after) return ''
  const a = before.split('\n')
  const b = after.split('\n')
  // Both end with a line break (or are empty): the empty text after it is no line, as GNU
  // diff counts them.
  const ended = (text: string) => text === '' || text.endsWith('\n')
  if (ended(before) && ended(after)) {
    a.pop()
    b.pop()
  }
  // Longest common subsequence on lines: manifests are small.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0)
  )
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
    }
  }
  type Op = { kind: ' ' | '-' | '+'; line: string; ai: number; bi: number }
  const ops: Op[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j])
      ops.push({ kind: ' ', line: a[i], ai: i++, bi: j++ })
    else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1]))
      ops.push({ kind: '-', line: a[i], ai: i++, bi: j })
    else ops.push({ kind: '+', line: b[j], ai: i, bi: j++ })
  }
  const out = [`--- a/${path}`, `+++ b/${path}`]
  const context = 3
  let k = 0
  while (k < ops.length) {
    if (ops[k].kind === ' ') {
      k++
      continue
    }
    const start = Math.max(0, k - context)
    let end = k
    // Extend the hunk while the next change is within 2×context unchanged lines.
    for (;;) {
      while (end < ops.length && ops[end].kind !== ' ') end++
      let next = end
      while (next < ops.length && ops[next].kind === ' ') next++
      if (next < ops.length && next - end <= 2 * context) end = next
      else {
        end = Math.min(ops.length, end + context)
        break
      }
    }
    const hunk = ops.slice(start, end)
    const aLen = hunk.filter((o) => o.kind !== '+').length
    const bLen = hunk.filter((o) => o.kind !== '-').length
    out.push(
      `@@ -${hunk[0].ai + (aLen > 0 ? 1 : 0)},${aLen} +${hunk[0].bi + (bLen > 0 ? 1 : 0)},${bLen} @@`
    )
    for (const o of hunk) out.push(o.kind + o.line.replace(/\r$/, ''))
    k = end
  }
  return out.join('\n') + '\n'
}
