// The one place a request's bearer token becomes a user and the user is allowed or not.
// Without an RBAC policy every request is allowed (an unknown token is anonymous). With one
// (emulator option `rbac`), the server checks like a real API server with RBAC on: the
// kubeconfig's admin tokens may do anything, a policy token only what its rules allow, an
// unknown token is 401 and an anonymous resource request 403.

import type { IncomingHttpHeaders } from 'node:http'
import { allows, forbidden, unauthorized, type TokenGrant } from './rbac.js'

export const ANONYMOUS = 'system:anonymous'

export interface RequestAttributes {
  verb: string
  group?: string
  /** Undefined for a non-resource request (discovery, OpenAPI), which is always allowed. */
  resource?: string
  subresource?: string
  namespace?: string
  name?: string
}

export interface AuthConfig {
  /** Admin tokens → user names. */
  tokens: ReadonlyMap<string, string>
  /** Policy tokens → user and rules; RBAC is on when present. */
  rbac?: ReadonlyMap<string, TokenGrant>
}

function bearer(headers: IncomingHttpHeaders): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1].trim()
}

/** Who is asking: an admin or policy token's user, else anonymous (401 for an unknown token under RBAC). */
export function authenticate(headers: IncomingHttpHeaders, auth: AuthConfig): string {
  const token = bearer(headers)
  if (!token) return ANONYMOUS
  const user = auth.tokens.get(token) ?? auth.rbac?.get(token)?.user
  if (user) return user
  if (auth.rbac) throw unauthorized()
  return ANONYMOUS
}

/** The user for a request, or throws an ApiError: 401 (unknown token) or 403 (no rule allows it). */
export function authorize(
  headers: IncomingHttpHeaders,
  auth: AuthConfig,
  attrs: RequestAttributes
): string {
  const user = authenticate(headers, auth)
  if (!auth.rbac || attrs.resource === undefined) return user
  const token = bearer(headers)
  if (token && auth.tokens.has(token)) return user
  const grant = token ? auth.rbac.get(token) : undefined
  if (!grant || !allows(grant.rules, attrs)) throw forbidden(user, attrs)
  return user
}
