// Role-based access for the emulator, the way Kubernetes' RBAC authorizer decides: a bearer
// token names a user bound to PolicyRules (apiGroups × resources × verbs, optionally
// resourceNames); a request no rule allows is answered 403 with the API server's exact
// Forbidden message, a token the server does not know 401. Pure.

import { parse as parseYaml } from 'yaml'
import { ApiError } from '../api-error.js'
import type { RequestAttributes } from './auth.js'

/** One rule of a Role (rbac.authorization.k8s.io/v1 PolicyRule); `*` matches anything. */
export interface PolicyRule {
  apiGroups: string[]
  /** `services`, or `services/status` for a subresource. */
  resources: string[]
  verbs: string[]
  resourceNames?: string[]
}

/** What one bearer token is: a user and the rules bound to it. */
export interface TokenGrant {
  user: string
  rules: PolicyRule[]
}

/** Bearer token → grant. */
export type RbacPolicy = Record<string, TokenGrant>

const matches = (allowed: readonly string[], value: string): boolean =>
  allowed.includes('*') || allowed.includes(value)

/** The resource as RBAC names it: `services`, or `services/status` for the subresource. */
export function rbacResource(attrs: RequestAttributes): string {
  return attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : (attrs.resource ?? '')
}

export function allows(rules: readonly PolicyRule[], attrs: RequestAttributes): boolean {
  const resource = rbacResource(attrs)
  return rules.some(
    (r) =>
      matches(r.verbs, attrs.verb) &&
      matches(r.apiGroups, attrs.group ?? '') &&
      matches(r.resources, resource) &&
      // resourceNames cannot restrict list, watch or create (there is no name to match).
      (!r.resourceNames?.length || (!!attrs.name && r.resourceNames.includes(attrs.name)))
  )
}

/**
 * The API server's Forbidden (apiserver responsewriters.forbiddenMessage + NewForbidden):
 * `services.serving.knative.dev "hello" is forbidden: User "ci" cannot patch resource
 * "services" in API group "serving.knative.dev" in the namespace "default"`.
 */
export function forbidden(user: string, attrs: RequestAttributes): ApiError {
  const resource = rbacResource(attrs)
  const group = attrs.group ?? ''
  const qualified = group ? `${attrs.resource}.${group}` : (attrs.resource ?? '')
  const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope'
  const why = `User "${user}" cannot ${attrs.verb} resource "${resource}" in API group "${group}" ${scope}`
  const subject = attrs.name ? `${qualified} "${attrs.name}"` : qualified
  return new ApiError(403, 'Forbidden', `${subject} is forbidden: ${why}`, {
    ...(attrs.name ? { name: attrs.name } : {}),
    group: group || undefined,
    kind: attrs.resource
  })
}

/** An unknown or expired bearer token, as the API server answers it. */
export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized')
}

/** Reads an `--rbac` file: YAML or JSON `{<token>: {user, rules: [...]}}`. */
export function parseRbacPolicy(text: string): RbacPolicy {
  const data = parseYaml(text, { maxAliasCount: 10 }) as unknown
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new Error('the RBAC file must map tokens to {user, rules}')
  const out: RbacPolicy = {}
  for (const [token, grant] of Object.entries(data as Record<string, unknown>)) {
    const g = grant as Partial<TokenGrant> | undefined
    if (!g || typeof g.user !== 'string' || !Array.isArray(g.rules))
      throw new Error(`the RBAC file's entry for a token must be {user, rules: [...]}`)
    const list = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string')
    for (const r of g.rules as PolicyRule[]) {
      if (!list(r.apiGroups) || !list(r.resources) || !list(r.verbs))
        throw new Error(`user "${g.user}": each rule needs apiGroups, resources and verbs lists`)
    }
    out[token] = { user: g.user, rules: g.rules }
  }
  return out
}
