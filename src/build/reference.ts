// Image repository names as Docker and the OCI distribution spec read them: which registry
// a name points at, the path the registry API wants, and the keys an auth file uses for it.
// Pure: no I/O.

import { looksLikeRegistry } from '../manifest/image-ref.js'

/** Docker Hub's canonical name; `acme/shop` and `index.docker.io/acme/shop` mean docker.io. */
export const DOCKER_HUB = 'docker.io'

const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io'])

/** One path component: lowercase alphanumerics joined by `.`, `_`, `__` or runs of `-`. */
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]+)?$/

export interface Repository {
  /** The name pushed to and deployed, e.g. `ghcr.io/acme/shop` (`acme/shop` on Docker Hub). */
  name: string
  /** The registry's host[:port], e.g. `ghcr.io`, `127.0.0.1:5000`, `docker.io`. */
  registry: string
  /** The repository inside the registry, e.g. `acme/shop` (`library/nginx` on Docker Hub). */
  path: string
}

/** `https://ghcr.io/` → `ghcr.io`; Docker Hub's aliases (and its v1 URL) → `docker.io`. */
export function normalizeRegistry(registry: string): string {
  const host = registry
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
  return HUB_ALIASES.has(host.toLowerCase()) ? DOCKER_HUB : host
}

/**
 * Parses a repository name without tag or digest. `registry`, when given, qualifies a name
 * that has no registry of its own and must match one that has. Throws with a message that
 * does not name the input (the caller does).
 */
export function parseRepository(image: string, registry?: string): Repository {
  const name = image.trim()
  if (name.includes('@')) throw new Error(`'${name}' has a digest; give the repository only`)
  const parts = name.split('/')
  const hasHost = parts.length > 1 && looksLikeRegistry(parts[0])
  const host = hasHost ? parts[0] : undefined
  const pathParts = hasHost ? parts.slice(1) : parts
  const last = pathParts[pathParts.length - 1] ?? ''
  if (last.includes(':')) {
    throw new Error(
      `'${name}' has a tag; give the repository only (e.g. ghcr.io/acme/shop) and the tags in \`tags\``
    )
  }
  if (host !== undefined && !HOST.test(host))
    throw new Error(`'${name}' has an invalid registry host '${host}'`)
  const bad = pathParts.find((p) => !COMPONENT.test(p))
  if (bad !== undefined) {
    throw new Error(
      `'${name}' is not a valid repository name: '${bad}' must be lowercase letters, digits and separators`
    )
  }

  const wanted = registry ? normalizeRegistry(registry) : undefined
  const own = host !== undefined ? normalizeRegistry(host) : undefined
  if (own !== undefined && wanted !== undefined && own !== wanted) {
    throw new Error(`'${name}' is on registry '${own}', not on '${wanted}'`)
  }
  const resolved = own ?? wanted ?? DOCKER_HUB
  const path = pathParts.join('/')
  const fullName =
    host !== undefined
      ? name
      : wanted !== undefined && wanted !== DOCKER_HUB
        ? `${wanted}/${path}`
        : path
  const apiPath = resolved === DOCKER_HUB && pathParts.length === 1 ? `library/${path}` : path
  return { name: fullName, registry: resolved, path: apiPath }
}

/** Where the registry's HTTP API lives: Docker Hub serves it on another host. */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry
}

/**
 * The keys an auth file is looked up by: containers-image (buildah) uses the host, the
 * docker CLI uses the legacy v1 URL for Docker Hub. Writing both serves either tool.
 */
export function authFileKeys(registry: string): string[] {
  return registry === DOCKER_HUB ? [DOCKER_HUB, 'https://index.docker.io/v1/'] : [registry]
}
