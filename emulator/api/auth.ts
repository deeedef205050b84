// The one place a request's bearer token becomes a user and the user is allowed or not.
// Today every request is allowed; a later change adds Role rules in `authorize`.

import type { IncomingHttpHeaders } from 'node:http'

export const ANONYMOUS = 'system:anonymous'

export interface RequestAttributes {
  verb: string
  group?: string
  resource?: string
  namespace?: string
  name?: string
}

/**
 * The user for a request. `tokens` maps bearer tokens to user names; a missing or unknown
 * token is anonymous. Throws an ApiError (401/403) once rules exist.
 */
export function authorize(
  headers: IncomingHttpHeaders,
  tokens: ReadonlyMap<string, string>,
  _attrs: RequestAttributes
): string {
  const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')
  return (match && tokens.get(match[1].trim())) || ANONYMOUS
}
