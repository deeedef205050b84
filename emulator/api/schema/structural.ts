// Structural schemas as the API server applies them to custom resources: pruning of the
// fields a schema does not know (which the API server then drops, warns about or refuses,
// by `fieldValidation`), and the type and required-field checks that answer 422 Invalid.
// Pure: values in, findings out. docs/knative-semantics.md ("Field validation") has the rules.

export type Schema =
  | { type: 'string' | 'integer' | 'number' | 'boolean' | 'int-or-string' }
  | { type: 'array'; items: Schema }
  | {
      type: 'object'
      properties?: Record<string, Schema>
      /** A map: every value follows this schema. */
      additionalProperties?: Schema
      required?: string[]
      /** `x-kubernetes-preserve-unknown-fields`: fields not in `properties` are kept. */
      preserveUnknown?: boolean
    }

export const STRING: Schema = { type: 'string' }
export const INTEGER: Schema = { type: 'integer' }
export const NUMBER: Schema = { type: 'number' }
export const BOOLEAN: Schema = { type: 'boolean' }
export const INT_OR_STRING: Schema = { type: 'int-or-string' }
/** An object whose content is not described: kept as sent. */
export const OPEN: Schema = { type: 'object', preserveUnknown: true }
export const list = (items: Schema): Schema => ({ type: 'array', items })
export const mapOf = (values: Schema): Schema => ({ type: 'object', additionalProperties: values })
export const object = (
  properties: Record<string, Schema>,
  opts: { required?: string[]; preserveUnknown?: boolean } = {}
): Schema => ({ type: 'object', properties, ...opts })

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** The schema of field `key` of an object schema (own properties only: `constructor` is a field name here). */
function childOf(schema: Schema & { type: 'object' }, key: string): Schema | undefined {
  if (schema.properties && Object.hasOwn(schema.properties, key)) return schema.properties[key]
  return schema.additionalProperties
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key)

/**
 * Drop the fields `schema` does not know, in place, and the nulls of known fields (the
 * API server removes non-nullable nulls). Returns the dropped paths, sorted, in the API
 * server's notation: `spec.template.spec.containers[0].foo`.
 */
export function prune(value: unknown, schema: Schema, path = ''): string[] {
  const pruned: string[] = []
  walkPrune(value, schema, path, pruned)
  return pruned.sort()
}

function walkPrune(value: unknown, schema: Schema, path: string, pruned: string[]): void {
  if (schema.type === 'array') {
    if (Array.isArray(value))
      value.forEach((item, i) => walkPrune(item, schema.items, `${path}[${i}]`, pruned))
    return
  }
  if (schema.type !== 'object' || !isObject(value)) return
  for (const key of Object.keys(value)) {
    const child = childOf(schema, key)
    if (!child) {
      if (!schema.preserveUnknown) {
        pruned.push(join(path, key))
        delete value[key]
      }
      continue
    }
    if (value[key] === null) {
      delete value[key]
      continue
    }
    walkPrune(value[key], child, join(path, key), pruned)
  }
}

/** One schema finding, worded as the API server's field errors. */
export interface FieldError {
  field: string
  reason: 'FieldValueInvalid' | 'FieldValueRequired'
  /** e.g. `Invalid value: "string": spec.x in body must be of type integer: "string"` */
  detail: string
}

/** The JSON type name the validator reports for a value. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value // string, boolean, object
}

function accepts(type: Schema['type'], actual: string): boolean {
  switch (type) {
    case 'number':
      return actual === 'number' || actual === 'integer'
    case 'int-or-string':
      return actual === 'integer' || actual === 'string'
    default:
      return type === actual
  }
}

/** Type and required-field errors of a (pruned) value, in path order. */
export function validateTypes(value: unknown, schema: Schema, path = ''): FieldError[] {
  const errors: FieldError[] = []
  walkTypes(value, schema, path, errors)
  return errors.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0))
}

function walkTypes(value: unknown, schema: Schema, path: string, errors: FieldError[]): void {
  const actual = jsonType(value)
  if (!accepts(schema.type, actual)) {
    const expected = schema.type === 'int-or-string' ? 'integer,string' : schema.type
    errors.push({
      field: path,
      reason: 'FieldValueInvalid',
      detail: `Invalid value: "${actual}": ${path} in body must be of type ${expected}: "${actual}"`
    })
    return
  }
  if (schema.type === 'array') {
    ;(value as unknown[]).forEach((item, i) =>
      walkTypes(item, schema.items, `${path}[${i}]`, errors)
    )
    return
  }
  if (schema.type !== 'object') return
  const obj = value as Record<string, unknown>
  for (const name of schema.required ?? []) {
    if (!(name in obj))
      errors.push({
        field: join(path, name),
        reason: 'FieldValueRequired',
        detail: 'Required value'
      })
  }
  for (const [key, child] of Object.entries(obj)) {
    const sub = childOf(schema, key)
    if (sub) walkTypes(child, sub, join(path, key), errors)
  }
}

/**
 * The schema as the API server publishes it in OpenAPI v3 (what `kubectl explain` reads):
 * int-or-string as `x-kubernetes-int-or-string`, open objects as
 * `x-kubernetes-preserve-unknown-fields`.
 */
export function openApiOf(schema: Schema): Record<string, unknown> {
  switch (schema.type) {
    case 'int-or-string':
      return {
        'x-kubernetes-int-or-string': true,
        anyOf: [{ type: 'integer' }, { type: 'string' }]
      }
    case 'array':
      return { type: 'array', items: openApiOf(schema.items) }
    case 'object': {
      const out: Record<string, unknown> = { type: 'object' }
      if (schema.properties)
        out.properties = Object.fromEntries(
          Object.entries(schema.properties).map(([k, v]) => [k, openApiOf(v)])
        )
      if (schema.additionalProperties)
        out.additionalProperties = openApiOf(schema.additionalProperties)
      if (schema.required?.length) out.required = schema.required
      if (schema.preserveUnknown) out['x-kubernetes-preserve-unknown-fields'] = true
      return out
    }
    default:
      return { type: schema.type }
  }
}
