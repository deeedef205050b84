import {
  authFileKeys,
  normalizeRegistry,
  parseRepository,
  registryApiHost
} from '../../../src/build/reference.js'

describe('parseRepository', () => {
  test.each([
    [
      'a registry with a port',
      '127.0.0.1:5000/acme/shop',
      undefined,
      { name: '127.0.0.1:5000/acme/shop', registry: '127.0.0.1:5000', path: 'acme/shop' }
    ],
    [
      'localhost is a registry',
      'localhost/shop',
      undefined,
      { name: 'localhost/shop', registry: 'localhost', path: 'shop' }
    ],
    [
      'nested paths and separators',
      'ghcr.io/acme/team/shop_api-v2.x',
      undefined,
      {
        name: 'ghcr.io/acme/team/shop_api-v2.x',
        registry: 'ghcr.io',
        path: 'acme/team/shop_api-v2.x'
      }
    ],
    [
      'an explicit Hub host',
      'docker.io/acme/shop',
      undefined,
      { name: 'docker.io/acme/shop', registry: 'docker.io', path: 'acme/shop' }
    ],
    [
      'index.docker.io is Docker Hub',
      'index.docker.io/nginx',
      undefined,
      { name: 'index.docker.io/nginx', registry: 'docker.io', path: 'library/nginx' }
    ],
    [
      'registry qualifies a bare name',
      'acme/shop',
      'quay.io',
      { name: 'quay.io/acme/shop', registry: 'quay.io', path: 'acme/shop' }
    ]
  ])('%s', (_name, image, registry, expected) => {
    expect(parseRepository(image, registry)).toEqual(expected)
  })

  test.each([
    ['a tag after a port', '127.0.0.1:5000/acme/shop:v1', /has a tag/],
    ['an empty component', 'ghcr.io//shop', /not a valid repository name/],
    ['a trailing separator', 'ghcr.io/acme/shop-', /not a valid repository name/],
    ['a bad host', 'bad_host.io:x/shop', /invalid registry host/]
  ])('rejects %s', (_name, image, message) => {
    expect(() => parseRepository(image)).toThrow(message)
  })
})

describe('registry names', () => {
  test.each([
    ['https://ghcr.io/', 'ghcr.io'],
    ['https://index.docker.io/v1/', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    [' 127.0.0.1:5000 ', '127.0.0.1:5000']
  ])('normalizeRegistry(%s) is %s', (input, expected) => {
    expect(normalizeRegistry(input)).toBe(expected)
  })

  test.each([
    ['docker.io', 'registry-1.docker.io', ['docker.io', 'https://index.docker.io/v1/']],
    ['ghcr.io', 'ghcr.io', ['ghcr.io']]
  ])('%s: API host and auth file keys', (registry, host, keys) => {
    expect(registryApiHost(registry)).toBe(host)
    expect(authFileKeys(registry)).toEqual(keys)
  })
})
