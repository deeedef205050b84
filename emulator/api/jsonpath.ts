// The subset of kubectl JSONPath that printer columns use:
// `.a.b`, `['dotted\.key']`, `[0]` and filters `[?(@.type=="Ready")]`. First match wins.

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'filter'; field: string; value: string }

function parse(path: string): Step[] {
  const steps: Step[] = []
  let rest = path.trim()
  while (rest) {
    let m: RegExpExecArray | null
    if ((m = /^\.([A-Za-z0-9_-]+)/.exec(rest))) steps.push({ kind: 'field', name: m[1] })
    else if ((m = /^\['((?:[^'\\]|\\.)*)'\]/.exec(rest)))
      steps.push({ kind: 'field', name: m[1].replace(/\\(.)/g, '$1') })
    else if ((m = /^\[(\d+)\]/.exec(rest))) steps.push({ kind: 'index', index: Number(m[1]) })
    else if ((m = /^\[\?\(@\.([A-Za-z0-9_.-]+)\s*==\s*"([^"]*)"\)\]/.exec(rest))) {
      steps.push({ kind: 'filter', field: m[1], value: m[2] })
    } else throw new Error(`unsupported JSONPath at "${rest}" in "${path}"`)
    rest = rest.slice(m[0].length)
  }
  return steps
}

const cache = new Map<string, Step[]>()

/** The value at `path` in `obj`, or undefined. */
export function evaluate(path: string, obj: unknown): unknown {
  let steps = cache.get(path)
  if (!steps) cache.set(path, (steps = parse(path)))
  let current: any = obj
  for (const step of steps) {
    if (current === undefined || current === null) return undefined
    if (step.kind === 'field') current = current[step.name]
    else if (step.kind === 'index')
      current = Array.isArray(current) ? current[step.index] : undefined
    else {
      current = Array.isArray(current)
        ? current.find((item) => String(evaluate(`.${step.field}`, item)) === step.value)
        : undefined
    }
  }
  return current
}
