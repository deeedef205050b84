// A thin client for the two registry calls the build needs: "do these credentials work?"
// (what `docker login` checks) and "which digest does this tag point at?". It speaks the
// distribution spec's auth dance: an unauthenticated request, a 401 with a Bearer or Basic
// challenge, then the same request with a token (fetched from the realm with the
// credentials) or with Basic credentials. The password is only ever in an Authorization
// header; errors name the registry and the user, never the secret.

import { createHash } from 'node:crypto'
import { basicAuthToken } from './auth-file.js'
import { MAX_BODY_BYTES, readBody, readBodyBytes } from '../read-body.js'
import type { RegistryCredentials } from './options.js'
import { registryApiHost } from './reference.js'
import { parseChallenge, type Challenge } from './www-authenticate.js'

/** Every manifest type a tag may point at: OCI and Docker, single images and lists. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json'
].join(', ')

const REQUEST_TIMEOUT_MS = 30_000

/** The registry refused the credentials (or demanded some and had none). */
/** The most a manifest GET reads (read-body.ts's bound for any answer). */
const MAX_MANIFEST_BYTES = MAX_BODY_BYTES

export class RegistryAuthError extends Error {
  constructor(
    readonly registry: string,
    readonly status: number,
    detail: string
  ) {
    super(`registry ${registry}: authentication failed: ${detail}`)
    this.name = 'RegistryAuthError'
  }
}

export interface RegistryClientOptions {
  /** host[:port] as users write it, e.g. `ghcr.io`, `docker.io`, `127.0.0.1:5000`. */
  registry: string
  /** Plain HTTP (a registry on loopback). */
  insecure: boolean
  credentials?: RegistryCredentials
  fetch?: typeof fetch
}

export class RegistryClient {
  readonly baseUrl: string
  private readonly registry: string
  private readonly credentials?: RegistryCredentials
  private readonly fetch: typeof fetch
  /** Authorization header per token scope, so each tag's HEAD does not fetch a new token. */
  private readonly authorizations = new Map<string, string>()

  constructor(options: RegistryClientOptions) {
    this.registry = options.registry
    this.baseUrl = `${options.insecure ? 'http' : 'https'}://${registryApiHost(options.registry)}`
    this.credentials = options.credentials
    this.fetch = options.fetch ?? fetch
  }

  /** Throws RegistryAuthError unless the credentials may push to `repository` (e.g. acme/shop). */
  async checkLogin(repository: string): Promise<void> {
    const res = await this.request('GET', '/v2/', `repository:${repository}:pull,push`)
    if (!res.ok) throw new Error(`registry ${this.registry}: GET /v2/ answered HTTP ${res.status}`)
  }

  /** The digest `reference` (a tag or digest) resolves to, or undefined when there is none. */
  async manifestDigest(repository: string, reference: string): Promise<string | undefined> {
    const path = `/v2/${repository}/manifests/${reference}`
    const scope = `repository:${repository}:pull`
    const head = await this.request('HEAD', path, scope, { Accept: MANIFEST_ACCEPT })
    if (head.status === 404) return undefined
    if (!head.ok)
      throw new Error(`registry ${this.registry}: HEAD ${path} answered HTTP ${head.status}`)
    const digest = head.headers.get('docker-content-digest')
    if (digest) return digest
    // The header is a SHOULD in the spec: without it, the digest is the body's sha256.
    const get = await this.request('GET', path, scope, { Accept: MANIFEST_ACCEPT })
    if (!get.ok)
      throw new Error(`registry ${this.registry}: GET ${path} answered HTTP ${get.status}`)
    // Bounded: a registry may answer with gigabytes. A manifest larger than the bound is
    // not one a registry serves (the OCI distribution spec sets 4 MiB as the usual limit).
    const { bytes, truncated } = await readBodyBytes(get, MAX_MANIFEST_BYTES)
    if (truncated)
      throw new Error(
        `registry ${this.registry}: GET ${path} answered more than ${MAX_MANIFEST_BYTES} bytes; not a manifest`
      )
    return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
  }

  private async request(
    method: string,
    path: string,
    scope: string,
    headers: Record<string, string> = {}
  ): Promise<Response> {
    const cached = this.authorizations.get(scope)
    let res = await this.send(method, `${this.baseUrl}${path}`, {
      ...headers,
      ...(cached ? { Authorization: cached } : {})
    })
    if (res.status === 401) {
      await res.body?.cancel()
      const authorization = await this.authorize(
        parseChallenge(res.headers.get('www-authenticate')),
        scope
      )
      this.authorizations.set(scope, authorization)
      res = await this.send(method, `${this.baseUrl}${path}`, {
        ...headers,
        Authorization: authorization
      })
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel()
      throw this.authError(res.status, `${method} ${path}`)
    }
    return res
  }

  /** The Authorization header that answers `challenge`. */
  private async authorize(challenge: Challenge | undefined, scope: string): Promise<string> {
    if (challenge?.scheme === 'basic') {
      if (!this.credentials)
        throw this.authError(401, 'the registry asks for a username and password')
      return `Basic ${basicAuthToken(this.credentials)}`
    }
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) {
      throw new Error(`registry ${this.registry}: answered 401 without a Bearer or Basic challenge`)
    }
    const url = new URL(challenge.params.realm)
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service)
    url.searchParams.set('scope', challenge.params.scope ?? scope)
    const res = await this.send(
      'GET',
      url.toString(),
      this.credentials ? { Authorization: `Basic ${basicAuthToken(this.credentials)}` } : {}
    )
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel()
      throw this.authError(res.status, `token service ${url.origin}${url.pathname}`)
    }
    if (!res.ok)
      throw new Error(
        `registry ${this.registry}: token service ${url.origin}${url.pathname} answered HTTP ${res.status}`
      )
    // A token answer is a few KB; a registry that streams more is not answered past the limit.
    const { text } = await readBody(res, 1024 * 1024)
    let body: { token?: unknown; access_token?: unknown } = {}
    try {
      body = (JSON.parse(text) ?? {}) as typeof body
    } catch {
      /* not JSON: no token, said below */
    }
    const token = typeof body.token === 'string' ? body.token : body.access_token
    if (typeof token !== 'string' || !token) {
      throw new Error(
        `registry ${this.registry}: token service ${url.origin}${url.pathname} returned no token`
      )
    }
    return `Bearer ${token}`
  }

  private authError(status: number, detail: string): RegistryAuthError {
    const who = this.credentials
      ? `user '${this.credentials.username}' was refused`
      : 'no credentials given'
    return new RegistryAuthError(this.registry, status, `${who} (HTTP ${status}; ${detail})`)
  }

  private async send(
    method: string,
    url: string,
    headers: Record<string, string>
  ): Promise<Response> {
    try {
      return await this.fetch(url, {
        method,
        headers,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
      })
    } catch (e) {
      throw new Error(
        `registry ${this.registry}: ${method} ${url.split('?')[0]} failed: ${(e as Error).message}`,
        { cause: e }
      )
    }
  }
}
