// Where a field is in the manifest's text: a field path as Knative's errors spell it
// (`spec.template.spec.containers[0].image`, field-error.ts) → the 1-based line and column
// of its key in the YAML, through the parsed document's node ranges. A path that goes
// deeper than the file (a missing field) points at the deepest part that is there. Pure.

import { isMap, isSeq, isScalar, type Document, type LineCounter, type Node } from 'yaml'

export interface LinePosition {
  line: number
  column: number
}

/** `a.b[0].c` → ['a', 'b', 0, 'c']; undefined for a shape this does not read (`env[NAME]`). */
export function pathSegments(path: string): (string | number)[] | undefined {
  const out: (string | number)[] = []
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part)
    if (!m) return undefined
    if (m[1]) out.push(m[1])
    for (const index of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]))
  }
  return out
}

export function locateField(
  doc: Document,
  lines: LineCounter,
  path: string
): LinePosition | undefined {
  const segments = pathSegments(path)
  if (!segments) return undefined
  let node: unknown = doc.contents
  let found: Node | undefined
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]
    if (typeof seg === 'number') {
      if (!isSeq(node) || !node.items[seg]) break
      node = found = node.items[seg] as Node
      continue
    }
    if (!isMap(node)) break
    // A key may hold dots (`autoscaling.knative.dev/minScale` under annotations): the
    // longest run of the following name segments that is a key of this mapping.
    let match: { pair: (typeof node.items)[number]; used: number } | undefined
    for (let j = i; j < segments.length && typeof segments[j] === 'string'; j++) {
      const key = segments.slice(i, j + 1).join('.')
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key)
      if (pair) match = { pair, used: j - i }
    }
    if (!match) break
    found = match.pair.key as Node
    node = match.pair.value
    i += match.used
  }
  const offset = found?.range?.[0]
  if (offset === undefined) return undefined
  const { line, col } = lines.linePos(offset)
  return { line, column: col }
}
