// How every YAML the action is given is read (the manifest, `metrics`, `webhooks`): aliases
// bounded (no billion laughs), nesting bounded (no stack exhausted by a deep document), and
// a parse error told as its first line, escaped: the text is not ours.

import { parse } from 'yaml'
import { escapeUntrusted } from './report/untrusted.js'

export const MAX_YAML_DEPTH = 64

/** The document of `text`; throws `<what>: ...` naming what is wrong. */
export function parseYamlInput(text: string, what: string): unknown {
  if (nestsDeeperThan(text, MAX_YAML_DEPTH)) throw new Error(depthProblem(what))
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
 * Whether the text nests more than `max` collections inside each other, found before parsing
 * because the parser's own tree already costs hundreds of megabytes: flow collections (`[`,
 * `{`) outside quotes and comments, plus the block indicators that open a collection on the
 * same line (`- - - x`, `? - x`), which need no indentation and so cost two bytes a level.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0
  // The block collections the current line opens before its content.
  let line = 0
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    if (!quote && (i === 0 || text[i - 1] === '\n')) {
      line = compactIndicators(text, i, max)
      if (depth + line > max) return true
    }
    const c = text[i]
    if (quote) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = undefined
    } else if (c === '"' || c === "'") quote = c
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== '\n') i++
    } else if (c === '[' || c === '{') {
      if (++depth + line > max) return true
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1)
  }
  return false
}

/** The block indicators (`-`, `?`, `:` then a space) that open the line at `from`, up to max + 1. */
function compactIndicators(text: string, from: number, max: number): number {
  const blank = (c: string | undefined) => c === ' ' || c === '\t'
  let i = from
  while (blank(text[i])) i++
  let count = 0
  while (count <= max && '-?:'.includes(text[i] || 'x')) {
    const next = text[i + 1]
    if (!(blank(next) || next === '\n' || next === '\r' || next === undefined)) break
    count++
    i++
    while (blank(text[i])) i++
  }
  return count
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
