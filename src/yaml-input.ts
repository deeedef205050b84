// How every YAML the action is given is read (the manifest, `metrics`, `webhooks`): aliases
// bounded (no billion laughs), nesting bounded (no stack exhausted by a deep document), and
// a parse error told as its first line, escaped: the text is not ours.

import { parse } from 'yaml'
import { escapeUntrusted } from './report/untrusted.js'

export const MAX_YAML_DEPTH = 64

/** The document of `text`; throws `<what>: ...` naming what is wrong. */
export function parseYamlInput(text: string, what: string): unknown {
  if (flowDeeperThan(text, MAX_YAML_DEPTH)) throw new Error(depthProblem(what))
  let doc: unknown
  try {
    doc = parse(text, { maxAliasCount: 10, prettyErrors: true })
  } catch (error) {
    throw new Error(
      `${what}: not valid YAML: ${escapeUntrusted((error as Error).message.split('\n')[0], 300)}`,
      { cause: error }
    )
  }
  if (deeperThan(doc, MAX_YAML_DEPTH)) throw new Error(depthProblem(what))
  return doc
}

const depthProblem = (what: string) =>
  `${what}: nests deeper than ${MAX_YAML_DEPTH} levels; refusing it`

/**
 * Whether the text opens more than `max` flow collections (`[`, `{`) inside each other,
 * outside quotes and comments: found before parsing, because the parser's own tree of
 * 100,000 nested brackets already costs hundreds of megabytes.
 */
export function flowDeeperThan(text: string, max: number): boolean {
  let depth = 0
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = undefined
    } else if (c === '"' || c === "'") quote = c
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== '\n') i++
    } else if (c === '[' || c === '{') {
      if (++depth > max) return true
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1)
  }
  return false
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
