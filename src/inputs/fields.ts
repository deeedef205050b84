// The parsers every input shares: a list of problems that names the input (never a secret's
// value), and the field kinds (durations, whole numbers, shares, booleans, URLs, choices).

import { durationProblem, formatDuration, MAX_DURATION_MS, parseDuration } from '../duration.js'
import { InputError } from '../input-error.js'
import { SECRET_INPUTS } from './spec.js'

// @actions/core getBooleanInput: YAML 1.2 core schema booleans, nothing else.
const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']

/** All the input problems found, one per line. */
export class Problems {
  readonly list: string[] = []
  /** `<input>: "<value>" <what is wrong; what is allowed>` (secret values are not shown). */
  add(input: string, value: string, text: string): void {
    const secret = SECRET_INPUTS.includes(input)
    this.list.push(`${input}: ${secret ? '(the given value)' : JSON.stringify(value)} ${text}`)
  }
  /** `<input>: <text>`, for missing or conflicting inputs. */
  need(input: string, text: string): void {
    this.list.push(`${input}: ${text}`)
  }
  /** Runs another module's pure parser; its error message already names the input. */
  from<T>(parse: () => T): T | undefined {
    try {
      return parse()
    } catch (e) {
      this.list.push((e as Error).message)
      return undefined
    }
  }
  throwIfAny(): void {
    if (this.list.length) throw new InputError(this.list)
  }
}

export function duration(p: Problems, name: string, text: string): number | undefined {
  const problem = durationProblem(text)
  if (problem) {
    p.add(name, text, `is not a duration: it ${problem}; e.g. 30s, 2m, 1h30m, 1500ms`)
    return undefined
  }
  const ms = parseDuration(text)
  if (ms <= 0) {
    p.add(name, text, 'must be longer than 0, e.g. 30s')
    return undefined
  }
  if (ms > MAX_DURATION_MS) {
    p.add(
      name,
      text,
      `must be at most ${formatDuration(MAX_DURATION_MS)} (the longest a job can run)`
    )
    return undefined
  }
  return ms
}

export { MAX_DURATION_MS }

export function integer(p: Problems, name: string, text: string, min: number): number | undefined {
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    p.add(name, text, `must be a whole number ≥ ${min}`)
    return undefined
  }
  return Number(text)
}

/** `0.99` or `99%`; both mean the same share. */
export function parseRate(p: Problems, text: string): number | undefined {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text)
  const value = percent
    ? Number(percent[1]) / 100
    : /^(\d+(?:\.\d+)?|\.\d+)$/.test(text)
      ? Number(text)
      : NaN
  if (!(value >= 0 && value <= 1)) {
    p.add(
      'min-success-rate',
      text,
      'must be a share from 0 to 1 (e.g. 0.99) or a percent (e.g. 99%)'
    )
    return undefined
  }
  return value
}

export function bool(p: Problems, name: string, text: string): boolean | undefined {
  if (TRUE.includes(text)) return true
  if (FALSE.includes(text)) return false
  p.add(name, text, 'is not a boolean; use true or false')
  return undefined
}

export function checkUrl(p: Problems, name: string, text: string, originOnly: boolean): void {
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    url = undefined
  }
  const example =
    name === 'ingress-address' ? 'http://127.0.0.1:31080' : 'http://prometheus.monitoring:9090'
  if (!url || !['http:', 'https:'].includes(url.protocol) || !url.hostname) {
    p.add(name, text, `must be an http(s) URL, e.g. ${example}`)
  } else if (url.username || url.password) {
    // Not echoed: the value holds a password.
    p.need(
      name,
      'must not carry credentials in the URL (they would reach logs); drop the user:password@ part'
    )
  } else if (originOnly && (url.pathname !== '/' || url.search || url.hash)) {
    p.add(
      name,
      text,
      `must be scheme://host[:port] only (the Host header picks the Service), e.g. ${example}`
    )
  }
}

export function oneOf<T extends string>(
  p: Problems,
  name: string,
  text: string,
  allowed: readonly T[]
): T | undefined {
  if ((allowed as readonly string[]).includes(text)) return text as T
  p.add(name, text, `must be one of ${allowed.join(', ')}`)
  return undefined
}
