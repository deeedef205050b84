// Which resource a request path names: `/apis/<g>/<v>/namespaces/<ns>/<plural>/<name>/status`,
// `/api/v1/namespaces/<ns>/pods`, cluster-wide `/apis/<g>/<v>/<plural>`, and which verb
// the method + path + query amount to.

import { ApiError } from '../api-error.js'
import { RESOURCES, SERVING_GROUP, type ResourceType } from '../resources.js'
import type { EmulatorSettings } from '../settings.js'

export type Verb =
  'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection'

export interface ResourceTarget {
  type: ResourceType
  version: string
  /** Undefined for a cluster-wide list or watch. */
  namespace?: string
  name?: string
  subresource?: 'status'
}

/** The versions a type is served at: its own, plus v1alpha1 for Knative when enabled. */
export function servedVersions(type: ResourceType, settings: EmulatorSettings): string[] {
  const extra = settings.serveV1alpha1 && type.group === SERVING_GROUP ? ['v1alpha1'] : []
  return [...type.versions, ...extra.filter((v) => !type.versions.includes(v))]
}

/** All served group versions, e.g. `serving.knative.dev/v1`, with their types. */
export function groupVersions(
  settings: EmulatorSettings
): { group: string; version: string; types: ResourceType[] }[] {
  const out: { group: string; version: string; types: ResourceType[] }[] = []
  for (const type of RESOURCES) {
    for (const version of servedVersions(type, settings)) {
      let gv = out.find((x) => x.group === type.group && x.version === version)
      if (!gv) out.push((gv = { group: type.group, version, types: [] }))
      gv.types.push(type)
    }
  }
  return out
}

export const notFoundResource = () =>
  new ApiError(404, 'NotFound', 'the server could not find the requested resource')

/**
 * Resolve a path under `/api` or `/apis` to a resource. Undefined when the path is not
 * a resource path at all; throws 404 for a resource the server does not serve.
 */
export function resolveResource(
  path: string,
  settings: EmulatorSettings
): ResourceTarget | undefined {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  let group: string
  let rest: string[]
  let version: string
  if (parts[0] === 'api' && parts.length >= 3) {
    ;[group, version, rest] = ['', parts[1], parts.slice(2)]
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    ;[group, version, rest] = [parts[1], parts[2], parts.slice(3)]
  } else {
    return undefined
  }
  let namespace: string | undefined
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1]
    rest = rest.slice(2)
  }
  const [plural, name, subresource, ...extra] = rest
  const type = RESOURCES.find((t) => t.group === group && t.plural === plural)
  if (!type || !servedVersions(type, settings).includes(version)) throw notFoundResource()
  if (
    extra.length ||
    (subresource !== undefined && (subresource !== 'status' || !type.hasStatus))
  ) {
    throw notFoundResource()
  }
  // A namespaced object is only addressable by name inside its namespace.
  if (name !== undefined && namespace === undefined && type.namespaced) throw notFoundResource()
  return { type, version, namespace, name, subresource: subresource as 'status' | undefined }
}

export function verbOf(method: string, target: ResourceTarget, query: URLSearchParams): Verb {
  const watch = ['true', '1'].includes(query.get('watch') ?? '')
  const named = target.name !== undefined
  switch (method) {
    case 'GET':
      return named ? 'get' : watch ? 'watch' : 'list'
    case 'POST':
      if (!named) return 'create'
      break
    case 'PUT':
      if (named) return 'update'
      break
    case 'PATCH':
      if (named) return 'patch'
      break
    case 'DELETE':
      return named ? 'delete' : 'deletecollection'
  }
  throw methodNotAllowed()
}

export function methodNotAllowed(): ApiError {
  return new ApiError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource'
  )
}

/** The group version string a client writes in `apiVersion`. */
export function apiVersionOf(type: ResourceType, version: string): string {
  return type.group ? `${type.group}/${version}` : version
}
