// What the API server does with a custom resource's body before admission: prune the
// fields its structural schema does not know and, by the request's `fieldValidation`
// (`Ignore`, `Warn`, the default, or `Strict`, which kubectl sends), drop them silently,
// drop them with a `Warning:` header each, or refuse the request; then check the types
// and required fields (422 Invalid). docs/knative-semantics.md ("Field validation").

import { ApiError } from '../api-error.js'
import { SERVING_GROUP, type ResourceType } from '../resources.js'
import type { KObject } from '../store.js'
import { KNATIVE_SCHEMAS } from './schema/knative.js'
import { prune, validateTypes, type Schema } from './schema/structural.js'

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict'

/** The options kind each write verb's query is validated as. */
const OPTIONS_KIND = { create: 'CreateOptions', update: 'UpdateOptions', patch: 'PatchOptions' }
export type WriteVerb = keyof typeof OPTIONS_KIND

export function fieldValidationOf(query: URLSearchParams, verb: WriteVerb): FieldValidation {
  const value = query.get('fieldValidation') ?? ''
  if (value === '') return 'Warn'
  if (value === 'Ignore' || value === 'Warn' || value === 'Strict') return value
  const detail = `Unsupported value: "${value}": supported values: "", "Ignore", "Strict", "Warn"`
  return invalid(`${OPTIONS_KIND[verb]}.meta.k8s.io ""`, [
    { field: 'fieldValidation', reason: 'FieldValueNotSupported', detail }
  ])
}

/** The structural schema of a resource at a version, when the API server has one. */
export function schemaOf(type: ResourceType, version: string): Schema | undefined {
  if (type.group !== SERVING_GROUP || version !== 'v1') return undefined
  return KNATIVE_SCHEMAS[type.plural]
}

/**
 * Prune `obj` in place and check it. Returns the warnings to send (`Warn`); throws the
 * API server's error for `Strict` with unknown fields, or for wrong types.
 * `verb` picks the error's shape: a body that cannot be decoded (create, update) is a 400;
 * a patch whose result has unknown fields is a 422 on the field `patch`.
 */
export function checkFields(
  type: ResourceType,
  version: string,
  obj: KObject,
  verb: WriteVerb,
  directive: FieldValidation
): string[] {
  const schema = schemaOf(type, version)
  if (!schema) return []
  const sent = verb === 'patch' && directive === 'Strict' ? JSON.stringify(obj) : ''
  const unknown = prune(obj, schema).map((path) => `unknown field "${path}"`)
  if (unknown.length && directive === 'Strict') {
    const strict = `strict decoding error: ${unknown.join(', ')}`
    if (verb !== 'patch') {
      throw ApiError.badRequest(
        `${type.kind} in version "${version}" cannot be handled as a ${type.kind}: ${strict}`
      )
    }
    const detail = `Invalid value: ${JSON.stringify(sent)}: ${strict}`
    invalid(' ""', [{ field: 'patch', reason: 'FieldValueInvalid', detail }])
  }
  const errors = validateTypes(obj, schema)
  if (errors.length) {
    const qualified = `${type.kind}.${type.group}`
    invalid(`${qualified} ${JSON.stringify(obj.metadata?.name ?? '')}`, errors, {
      name: obj.metadata?.name ?? '',
      group: type.group,
      kind: type.kind
    })
  }
  return directive === 'Warn' ? unknown : []
}

interface Cause {
  field: string
  reason: string
  detail: string
}

/** `<what> is invalid: <field>: <detail>`, several in brackets, as field.ErrorList prints. */
function invalid(
  what: string,
  causes: Cause[],
  details: { name?: string; group?: string; kind?: string } = {}
): never {
  const each = causes.map((c) => `${c.field}: ${c.detail}`)
  const list = each.length === 1 ? each[0] : `[${each.join(', ')}]`
  throw new ApiError(422, 'Invalid', `${what} is invalid: ${list}`, {
    ...details,
    causes: causes.map((c) => ({ reason: c.reason, message: c.detail, field: c.field }))
  })
}

/**
 * One `Warning` header value per warning, as the API server writes them (RFC 7234 299):
 * `"` and backslash escaped (apimachinery's NewWarningHeader), CR and LF written as spaces (Go's
 * header writer does that; a webhook's two-line warning arrives as one line), other control
 * characters too (Node refuses them in a header), and the text's UTF-8 bytes as they are
 * (Node writes a header string as latin1, so it is given the bytes that way).
 */
export function warningHeader(warnings: readonly string[]): string[] {
  return warnings.map((w) => {
    // eslint-disable-next-line no-control-regex -- control characters are what is replaced
    const text = w.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, ' ')
    const quoted = `299 - "${text.replace(/["\\]/g, (c) => `\\${c}`)}"`
    return Buffer.from(quoted, 'utf8').toString('latin1')
  })
}
