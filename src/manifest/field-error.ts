// Knative's validation errors (knative/pkg apis.FieldError), rendered exactly as its
// webhook does: "<message>: <path>, <path>" per error, paths sorted, errors with the same
// message and details merged, the whole sorted by message then details, joined by "\n".
// Both the emulator's webhook and the action's manifest checks speak through this type,
// so users see the same words from either.

export interface FieldProblem {
  message: string
  paths: string[]
  details?: string
}

export class FieldError extends Error {
  readonly problems: FieldProblem[]

  constructor(problems: FieldProblem[]) {
    const merged = mergeProblems(problems)
    super(render(merged))
    this.problems = merged
  }

  /** Several errors (any may be undefined) as one, or undefined when there are none. */
  static combine(...errors: (FieldError | undefined)[]): FieldError | undefined {
    const problems = errors.flatMap((e) => e?.problems ?? [])
    return problems.length ? new FieldError(problems) : undefined
  }

  /** The same errors with `prefix` in front of every path (knative's ViaField). */
  via(prefix: string): FieldError {
    return new FieldError(
      this.problems.map((p) => ({ ...p, paths: p.paths.map((path) => joinPath(prefix, path)) }))
    )
  }

  static missing(...paths: string[]): FieldError {
    return new FieldError([{ message: 'missing field(s)', paths }])
  }

  static disallowed(...paths: string[]): FieldError {
    return new FieldError([{ message: 'must not set the field(s)', paths }])
  }

  static invalidValue(value: unknown, path: string, details?: string): FieldError {
    return new FieldError([{ message: `invalid value: ${String(value)}`, paths: [path], details }])
  }

  static oneOfNeither(...paths: string[]): FieldError {
    return new FieldError([{ message: 'expected exactly one, got neither', paths }])
  }

  static oneOfBoth(...paths: string[]): FieldError {
    return new FieldError([{ message: 'expected exactly one, got both', paths }])
  }

  static outOfBounds(value: number, lo: number, hi: number, path: string): FieldError {
    return new FieldError([{ message: `expected ${lo} <= ${value} <= ${hi}`, paths: [path] }])
  }

  static generic(message: string, paths: string[], details?: string): FieldError {
    return new FieldError([{ message, paths, details }])
  }
}

function joinPath(prefix: string, path: string): string {
  if (!path) return prefix
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`
}

function mergeProblems(problems: FieldProblem[]): FieldProblem[] {
  const byKey = new Map<string, FieldProblem>()
  for (const p of problems) {
    const k = `${p.message}\u0000${p.details ?? ''}`
    const existing = byKey.get(k)
    const paths = new Set([...(existing?.paths ?? []), ...p.paths])
    byKey.set(k, { message: p.message, details: p.details, paths: [...paths].sort() })
  }
  return [...byKey.values()].sort(
    (a, b) => cmp(a.message, b.message) || cmp(a.details ?? '', b.details ?? '')
  )
}

// Go compares strings byte-wise: uppercase sorts before lowercase.
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function render(problems: FieldProblem[]): string {
  return problems
    .map((p) => {
      const head = p.paths.length ? `${p.message}: ${p.paths.join(', ')}` : p.message
      return p.details ? `${head}\n${p.details}` : head
    })
    .join('\n')
}
