// The registry auth dance over real HTTP: a loopback token service (Bearer, as Docker Hub
// and GHCR) and a real docker-registry with htpasswd (Basic).

import { RegistryAuthError, RegistryClient } from '../../../src/build/registry-client.js'
import {
  digestOf,
  startTokenRegistry,
  type TokenRegistry
} from '../../fixtures/build/token-registry.js'
import { startRegistry, type TestRegistry } from '../../helpers/registry.js'
import { MAX_BODY_BYTES } from '../../../src/read-body.js'

const USER = 'robot'
const PASSWORD = 'token-registry-password-42'
const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  layers: []
})

describe('RegistryClient with Bearer token auth', () => {
  let registry: TokenRegistry
  let bare: TokenRegistry
  beforeAll(async () => {
    registry = await startTokenRegistry({
      user: USER,
      password: PASSWORD,
      manifests: { 'acme/shop': { v1: manifest } }
    })
    bare = await startTokenRegistry({
      user: USER,
      password: PASSWORD,
      manifests: { 'acme/shop': { v1: manifest } },
      omitDigestHeader: true
    })
  })
  afterAll(async () => {
    await registry.close()
    await bare.close()
  })
  beforeEach(() => {
    registry.requests.length = 0
  })

  const client = (credentials?: { username: string; password: string }, host = registry.host) =>
    new RegistryClient({ registry: host, insecure: true, credentials })

  test('a tag resolves to its Docker-Content-Digest after the challenge, token and retry', async () => {
    await expect(
      client({ username: USER, password: PASSWORD }).manifestDigest('acme/shop', 'v1')
    ).resolves.toBe(digestOf(manifest))
    expect(registry.requests.map((r) => [r.method, r.path, r.authorization])).toEqual([
      ['HEAD', '/v2/acme/shop/manifests/v1', undefined],
      ['GET', '/token', 'basic'],
      ['HEAD', '/v2/acme/shop/manifests/v1', 'bearer']
    ])
    expect(registry.requests[1].query).toEqual({
      service: 'token-registry',
      scope: 'repository:acme/shop:pull'
    })
    expect(registry.requests[1].basicUser).toBe(USER)
  })

  test('one token serves later requests for the same scope', async () => {
    const c = client({ username: USER, password: PASSWORD })
    await c.manifestDigest('acme/shop', 'v1')
    await c.manifestDigest('acme/shop', digestOf(manifest))
    expect(registry.requests.filter((r) => r.path === '/token')).toHaveLength(1)
  })

  test('a missing tag is undefined, not an error', async () => {
    await expect(client().manifestDigest('acme/shop', 'nope')).resolves.toBeUndefined()
  })

  test('anonymous pulls get a token without credentials', async () => {
    await expect(client().manifestDigest('acme/shop', 'v1')).resolves.toBe(digestOf(manifest))
    expect(registry.requests[1].authorization).toBeUndefined()
  })

  test('without Docker-Content-Digest the digest is the sha256 of the manifest body', async () => {
    await expect(client(undefined, bare.host).manifestDigest('acme/shop', 'v1')).resolves.toBe(
      digestOf(manifest)
    )
  })

  test('a manifest body past the bound is refused, not hashed whole', async () => {
    const huge = await startTokenRegistry({
      user: USER,
      password: PASSWORD,
      manifests: { 'acme/shop': { v1: 'x'.repeat(MAX_BODY_BYTES + 1) } },
      omitDigestHeader: true
    })
    try {
      await expect(client(undefined, huge.host).manifestDigest('acme/shop', 'v1')).rejects.toThrow(
        `answered more than ${MAX_BODY_BYTES} bytes; not a manifest`
      )
    } finally {
      await huge.close()
    }
  })

  test('checkLogin asks the token service for push rights on the repository', async () => {
    await client({ username: USER, password: PASSWORD }).checkLogin('acme/shop')
    const token = registry.requests.find((r) => r.path === '/token')
    expect(token?.query).toEqual({
      service: 'token-registry',
      scope: 'repository:acme/shop:pull,push'
    })
  })

  test.each([
    [
      'a wrong password',
      { username: USER, password: 'wrong-password-xyz' },
      /user 'robot' was refused \(HTTP 401; token service http:\/\/127\.0\.0\.1:\d+\/token\)/
    ],
    ['no credentials for a push', undefined, /no credentials given \(HTTP 401/]
  ])(
    'checkLogin with %s fails with RegistryAuthError naming the registry',
    async (_name, credentials, detail) => {
      const attempt = client(credentials).checkLogin('acme/shop')
      await expect(attempt).rejects.toThrow(RegistryAuthError)
      const error = (await attempt.catch((e: Error) => e)) as Error
      expect(error.message).toMatch(
        new RegExp(`^registry ${registry.host.replace(/\./g, '\\.')}: authentication failed: `)
      )
      expect(error.message).toMatch(detail)
      expect(error.message).not.toContain('wrong-password-xyz')
    }
  )

  test('asks for every manifest type: OCI and Docker, images and lists', async () => {
    await client().manifestDigest('acme/shop', 'v1')
    const head = registry.requests.find((r) => r.method === 'HEAD')
    expect(head?.accept?.split(', ').sort()).toEqual([
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json'
    ])
  })
})

describe('RegistryClient with Basic auth (real docker-registry, htpasswd)', () => {
  let registry: TestRegistry
  beforeAll(async () => {
    registry = await startRegistry({ htpasswd: { user: USER, password: PASSWORD } })
  })
  afterAll(() => registry.stop())

  test('right credentials pass checkLogin; an unknown repository has no tag', async () => {
    const c = new RegistryClient({
      registry: registry.host,
      insecure: true,
      credentials: { username: USER, password: PASSWORD }
    })
    await expect(c.checkLogin('acme/shop')).resolves.toBeUndefined()
    await expect(c.manifestDigest('acme/shop', 'v1')).resolves.toBeUndefined()
  })

  test.each([
    [
      'a wrong password',
      { username: USER, password: 'not-the-password-77' },
      /user 'robot' was refused \(HTTP 401; GET \/v2\/\)/
    ],
    [
      'no credentials',
      undefined,
      /no credentials given \(HTTP 401; the registry asks for a username and password\)/
    ]
  ])('%s fails with RegistryAuthError', async (_name, credentials, detail) => {
    const c = new RegistryClient({ registry: registry.host, insecure: true, credentials })
    const error = (await c.checkLogin('acme/shop').catch((e: Error) => e)) as Error
    expect(error).toBeInstanceOf(RegistryAuthError)
    expect(error.message).toMatch(`registry ${registry.host}: authentication failed`)
    expect(error.message).toMatch(detail)
    expect(error.message).not.toContain('not-the-password-77')
  })
})
