// How every YAML the action is given is read (the manifest, `metrics`, `webhooks`): aliases
// bounded (no billion laughs), nesting bounded (no stack exhausted by a deep document), and
// a parse error told as its first line, escaped: the text is not ours.

import { parse } from 'yaml'
import { escapeUntrusted } from './report/untrusted.js'

export const MAX_YAML_DEPTH = 64

/** The document of `text`; throws `<what>: ...` naming what is wrong. */
export function parseYamlInput(text: string, what: string): unknown {
  let doc: unknown
  try {
    doc = parse(text, { maxAliasCount: 10, prettyErrors: true })
  } catch (error) {
    throw new Error(
      `${what}: not valid YAML: ${escapeUntrusted((error as Error).message.split('\n')[0], 300)}`,
      { cause: error }
    )
  }
  if (deeperThan(doc, MAX_YAML_DEPTH))
    throw new Error(`${what}: nests deeper than ${MAX_YAML_DEPTH} levels; refusing it`)
  return doc
}

/** Whether `value` nests mappings or lists deeper than `max`; iterative, so no stack limit. */
export function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    if (depth >= max) return true
    for (const child of Object.values(v as object)) stack.push([child, depth + 1])
  }
  return false
}
