// The body of a server-side apply (`application/apply-patch+yaml`): YAML or JSON, an object
// with metadata. The apply itself is emulator/ssa/apply.ts.

import { parse } from 'yaml'
import { ApiError } from '../api-error.js'
import type { KObject } from '../store.js'
import { isPlainObject } from './http.js'

export function parseApplyBody(text: string): KObject {
  let body: unknown
  try {
    body = parse(text) // JSON is YAML, so this reads both
  } catch (err) {
    throw ApiError.badRequest(`error decoding YAML: ${(err as Error).message}`)
  }
  if (!isPlainObject(body) || !isPlainObject(body.metadata)) {
    throw ApiError.badRequest('the apply body must be an object with metadata')
  }
  return body as KObject
}
