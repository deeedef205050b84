// The YAML of a kubeconfig as kubectl and most tools write it, read without the yaml
// library, whose first parse costs a `status` more than all of its own work (issue 10:
// start-up). Block mappings and sequences, plain, 'single' and "double" (escape-free)
// scalars, true/false/null, {} and [] and one-level flow collections of plain scalars.
// Anything else (anchors, tags, block scalars, numbers, escapes, inline comments, tabs...)
// is undefined: the caller parses it with the yaml library instead. What it accepts it
// reads as yaml's parse() does (test/unit/knative/kubeconfig-yaml.test.ts compares them).

type Value = string | boolean | null | Value[] | { [key: string]: Value }
interface Line {
  indent: number
  text: string
}

class Unsupported extends Error {}
const unsupported = (): never => {
  throw new Unsupported()
}

export function parseKubeconfigYaml(text: string): unknown {
  const lines: Line[] = []
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*(#.*)?$/.test(raw)) continue
    if (raw === '---' && lines.length === 0) continue
    const indent = raw.search(/\S/)
    if (raw.slice(0, indent).includes('\t') || /\s$/.test(raw)) return undefined
    lines.push({ indent, text: raw.slice(indent) })
  }
  try {
    if (lines.length === 0 || lines[0]!.indent !== 0) return undefined
    const at = { i: 0 }
    const value = block(lines, at, 0)
    return at.i === lines.length ? value : undefined
  } catch (err) {
    if (err instanceof Unsupported) return undefined
    throw err
  }
}

const isItem = (text: string) => text === '-' || text.startsWith('- ')

function block(lines: Line[], at: { i: number }, indent: number): Value {
  return isItem(lines[at.i]!.text) ? sequence(lines, at, indent) : mapping(lines, at, indent)
}

/** What follows `key:` or `-` on the next lines, or null when nothing does. */
function nested(lines: Line[], at: { i: number }, indent: number, inMapping: boolean): Value {
  const next = lines[at.i]
  if (next && next.indent > indent) return block(lines, at, next.indent)
  // A mapping's sequence may start at the mapping's own indent.
  if (next && inMapping && next.indent === indent && isItem(next.text))
    return sequence(lines, at, indent)
  return null
}

function mapping(lines: Line[], at: { i: number }, indent: number): Value {
  const out: { [key: string]: Value } = {}
  for (let line = lines[at.i]; line && line.indent === indent; line = lines[at.i]) {
    if (isItem(line.text)) break
    const m = /^([A-Za-z0-9_][A-Za-z0-9_./-]*):(?: (.*))?$/.exec(line.text) ?? unsupported()
    const key = m[1]!
    if (Object.hasOwn(out, key)) unsupported()
    at.i++
    out[key] = m[2] !== undefined ? scalar(m[2]) : nested(lines, at, indent, true)
  }
  if (lines[at.i] && lines[at.i]!.indent > indent) unsupported()
  return out
}

function sequence(lines: Line[], at: { i: number }, indent: number): Value {
  const out: Value[] = []
  for (let line = lines[at.i]; line && line.indent === indent && isItem(line.text);) {
    const rest = line.text.slice(1).replace(/^ +/, '')
    if (rest === '') {
      at.i++
      out.push(nested(lines, at, indent, false))
    } else if (/^[A-Za-z0-9_][A-Za-z0-9_./-]*:( |$)/.test(rest)) {
      // "- key: value": a mapping whose first line is the item's rest, indented as it is.
      lines[at.i] = { indent: indent + (line.text.length - rest.length), text: rest }
      out.push(mapping(lines, at, lines[at.i]!.indent))
    } else {
      at.i++
      out.push(scalar(rest))
    }
    line = lines[at.i]
  }
  if (lines[at.i] && lines[at.i]!.indent > indent) unsupported()
  return out
}

function scalar(text: string): Value {
  if (text === '{}') return {}
  if (text === '[]') return []
  if (text.startsWith('{') && text.endsWith('}')) {
    const out: { [key: string]: Value } = {}
    for (const pair of flowItems(text)) {
      const m = /^([A-Za-z0-9_][A-Za-z0-9_./-]*): (.+)$/.exec(pair) ?? unsupported()
      if (Object.hasOwn(out, m[1]!)) unsupported()
      out[m[1]!] = plain(m[2]!)
    }
    return out
  }
  if (text.startsWith('[') && text.endsWith(']')) return flowItems(text).map(plain)
  if (text.startsWith('"')) {
    const inner = /^"([^"\\]*)"$/.exec(text) ?? unsupported()
    return inner[1]!
  }
  if (text.startsWith("'")) {
    const inner = /^'((?:[^']|'')*)'$/.exec(text) ?? unsupported()
    return inner[1]!.replaceAll("''", "'")
  }
  return plain(text)
}

/** `{a: b, c: d}` / `[a, b]` of plain scalars, one level deep. */
function flowItems(text: string): string[] {
  const inner = text.slice(1, -1)
  if (/[{}[\]"']/.test(inner)) unsupported()
  const items = inner.split(',').map((s) => s.trim())
  if (items.some((s) => s === '')) unsupported()
  return items
}

const NUMBER =
  /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^0x[0-9a-fA-F]+$|^0o[0-7]+$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/

function plain(text: string): Value {
  if (/^[&*!|>%@`#,[\]{}?"'-]/.test(text) && !/^-[^\s]/.test(text)) unsupported()
  if (text.includes(' #') || text.includes(': ') || text.endsWith(':') || NUMBER.test(text))
    unsupported()
  if (/^(true|True|TRUE)$/.test(text)) return true
  if (/^(false|False|FALSE)$/.test(text)) return false
  if (/^(null|Null|NULL|~)$/.test(text)) return null
  return text
}
