// Knative's child naming (knative/pkg kmeta.ChildName) and Go's duration syntax, as the
// webhook and controller use them. The Kubernetes name checks live in src/manifest/names.ts,
// shared with the action.

import { createHash } from 'node:crypto'

/** kmeta.ChildName: parent+suffix, shortened with the parent's md5 when over 63 characters. */
export function childName(parent: string, suffix: string): string {
  const n = parent + suffix
  if (n.length <= 63) return n
  const head = parent.slice(0, 63 - 32 - suffix.length)
  return `${head}${createHash('md5').update(parent).digest('hex')}${suffix}`
}

/** The generated Revision name for a Configuration generation: `<config>-00001`. */
export function revisionNameFor(config: string, generation: number): string {
  return childName(config, `-${String(generation).padStart(5, '0')}`)
}

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9
}

/** Go's time.ParseDuration, in nanoseconds; undefined when it does not parse. */
export function parseGoDuration(text: string): number | undefined {
  const m = /^([-+]?)(.*)$/.exec(text)!
  const sign = m[1] === '-' ? -1 : 1
  const body = m[2]
  if (body === '0') return 0
  if (!body) return undefined
  const part = /(\d*\.?\d*)([a-zµμ]+)/gy
  let total = 0
  let consumed = 0
  for (let p = part.exec(body); p; p = part.exec(body)) {
    const [all, num, unit] = p
    if (!num || num === '.' || !(unit in UNIT_NS)) return undefined
    total += Number(num) * UNIT_NS[unit]
    consumed += all.length
  }
  return consumed === body.length ? sign * total : undefined
}
