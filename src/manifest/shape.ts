// Tiny guards for walking parsed YAML/JSON, whose shape is unknown until checked.

export type Obj = Record<string, unknown>

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Present in Go's sense: set and not null (an empty object `{}` still counts). */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null
}

export const clone = <T>(v: T): T => structuredClone(v)

/** A value as it appears in a message: strings bare, everything else as JSON. */
export function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v)
}
