// OCI image references (the distribution/reference grammar): `[registry/]path[:tag][@digest]`.
// Checked before anything is deployed, so a typo fails the run with a reason instead of a
// revision stuck in ContainerMissing. Pure.

export interface ImageReference {
  /** Registry and repository, without tag or digest, e.g. `ghcr.io/acme/shop`. */
  name: string
  /** host[:port] when the reference names one, e.g. `ghcr.io`, `127.0.0.1:5000`. */
  registry?: string
  /** The repository path, e.g. `acme/shop`. */
  path: string
  tag?: string
  /** `algorithm:hex`, e.g. `sha256:…` (64 hex digits). */
  digest?: string
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const HOST =
  /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*$/
const IPV6 = /^\[[0-9a-fA-F:.]+\]$/
const TAG = /^[\w][\w.-]{0,127}$/
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 }
const MAX_NAME = 255

/** Docker's rule: the first component is a registry if it has `.` or `:`, is localhost, or has capitals. */
export function looksLikeRegistry(component: string): boolean {
  return (
    /[.:]/.test(component) || component === 'localhost' || component !== component.toLowerCase()
  )
}

/** Parses a reference; throws an Error whose message says what is wrong (not which input). */
export function parseImageReference(ref: string): ImageReference {
  if (ref.length === 0) throw new Error('is empty')
  if (/\s/.test(ref)) throw new Error('contains whitespace')

  let rest = ref
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!DIGEST.test(digest))
      throw new Error(`has an invalid digest "${digest}" (want e.g. sha256:<64 hex digits>)`)
    const [algorithm, hex] = digest.split(':')
    const want = DIGEST_HEX_LENGTH[algorithm]
    if (want !== undefined && hex.length !== want) {
      throw new Error(`has an invalid digest "${digest}" (${algorithm} has ${want} hex digits)`)
    }
  }

  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!TAG.test(tag))
      throw new Error(`has an invalid tag "${tag}" (letters, digits, _ . -; at most 128)`)
  }

  if (rest.length === 0) throw new Error('has no repository name')
  if (rest.length > MAX_NAME) throw new Error(`has a name longer than ${MAX_NAME} characters`)
  const parts = rest.split('/')
  const registry = parts.length > 1 && looksLikeRegistry(parts[0]) ? parts[0] : undefined
  const pathParts = registry !== undefined ? parts.slice(1) : parts
  if (registry !== undefined) checkRegistry(registry)
  for (const p of pathParts) {
    if (!PATH_COMPONENT.test(p)) {
      throw new Error(
        p === ''
          ? 'has an empty path component'
          : `has an invalid repository component "${p}" (lowercase letters, digits, and . _ __ - between them)`
      )
    }
  }
  return { name: rest, registry, path: pathParts.join('/'), tag, digest }
}

function checkRegistry(registry: string): void {
  const portAt = registry.startsWith('[') ? registry.indexOf(']:') + 1 : registry.lastIndexOf(':')
  const host = portAt > 0 ? registry.slice(0, portAt) : registry
  const port = portAt > 0 ? registry.slice(portAt + 1) : undefined
  if (!(HOST.test(host) || IPV6.test(host)) || (port !== undefined && !/^[0-9]+$/.test(port))) {
    throw new Error(`has an invalid registry "${registry}"`)
  }
}

/** The reason `ref` is not a valid image reference, or undefined when it is. */
export function imageReferenceProblem(ref: string): string | undefined {
  try {
    parseImageReference(ref)
    return undefined
  } catch (e) {
    return (e as Error).message
  }
}
