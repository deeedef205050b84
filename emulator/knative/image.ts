// Image digest resolution, as Knative's revision reconciler does before it deploys: an
// injectable adapter, because only loopback registries can really be asked here.

import { createHash } from 'node:crypto'

/** Resolves an image reference to its manifest digest (`sha256:...`), or throws the registry's error. */
export type ImageResolver = (image: string) => Promise<string>

export interface ImageRef {
  /** Registry host, e.g. `127.0.0.1:5000`; `index.docker.io` when the reference names none. */
  registry: string
  repository: string
  tag?: string
  digest?: string
}

export function parseImage(image: string): ImageRef {
  let rest = image
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
  }
  const slash = rest.indexOf('/')
  const first = slash >= 0 ? rest.slice(0, slash) : ''
  const hasRegistry =
    slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')
  const registry = hasRegistry ? first : 'index.docker.io'
  let repository = hasRegistry ? rest.slice(slash + 1) : rest
  let tag: string | undefined
  const colon = repository.lastIndexOf(':')
  if (colon >= 0) {
    tag = repository.slice(colon + 1)
    repository = repository.slice(0, colon)
  }
  if (registry === 'index.docker.io' && !repository.includes('/'))
    repository = `library/${repository}`
  return { registry, repository, tag: tag ?? (digest ? undefined : 'latest'), digest }
}

/** `<registry>/<repo>@sha256:...`, the form of Revision status.containerStatuses[].imageDigest. */
export function digestReference(image: string, digest: string): string {
  const ref = parseImage(image)
  const withoutTagOrDigest = image.replace(/@.*$/, '').replace(/:[^:/]+$/, '')
  return `${ref.registry === 'index.docker.io' ? `index.docker.io/${ref.repository}` : withoutTagOrDigest}@${digest}`
}

export const isLoopbackRegistry = (registry: string) =>
  /^(127\.0\.0\.1|localhost):\d+$/.test(registry)

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json'
].join(', ')

/**
 * The emulator's resolver. Loopback registries are asked for real (`HEAD /v2/.../manifests/...`,
 * digest from `Docker-Content-Digest`); an image named `unpullable` fails as a 404 would;
 * any other registry cannot be reached from here, so its digest is a deterministic
 * sha256 of the reference: stable across runs and distinct per reference.
 */
export const registryResolver: ImageResolver = async (image) => {
  const ref = parseImage(image)
  if (ref.digest) return ref.digest
  const url = `${isLoopbackRegistry(ref.registry) ? 'http' : 'https'}://${ref.registry}/v2/${ref.repository}/manifests/${ref.tag}`
  if (image.includes('unpullable')) throw new Error(headError(url, 404))
  if (!isLoopbackRegistry(ref.registry)) {
    return `sha256:${createHash('sha256').update(image).digest('hex')}`
  }
  let res: Response
  try {
    res = await fetch(url, { method: 'HEAD', headers: { Accept: MANIFEST_TYPES } })
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code
    throw new Error(`HEAD ${url}: ${cause ?? (e as Error).message}`, { cause: e })
  }
  const digest = res.headers.get('docker-content-digest')
  if (!res.ok) throw new Error(headError(url, res.status))
  if (!digest) throw new Error(`HEAD ${url}: response has no Docker-Content-Digest header`)
  return digest
}

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error'
}

// go-containerregistry's wording for a failed HEAD, which Knative embeds in its message.
function headError(url: string, status: number): string {
  const text = STATUS_TEXT[status] ?? ''
  return `HEAD ${url}: unexpected status code ${status} ${text} (HEAD responses have no body, use GET for details)`
}
