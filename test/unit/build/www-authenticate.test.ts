import { parseChallenge } from '../../../src/build/www-authenticate.js'

describe('parseChallenge', () => {
  test.each([
    [
      'Docker Hub bearer with a push,pull scope (comma inside quotes)',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:acme/shop:pull,push"',
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:acme/shop:pull,push'
        }
      }
    ],
    [
      'GHCR bearer without scope',
      'Bearer realm="https://ghcr.io/token",service="ghcr.io"',
      { scheme: 'bearer', params: { realm: 'https://ghcr.io/token', service: 'ghcr.io' } }
    ],
    [
      'basic with a realm',
      'Basic realm="test-registry"',
      { scheme: 'basic', params: { realm: 'test-registry' } }
    ],
    [
      'unquoted values and spaces around =',
      'bearer realm = https://r/t , service=svc',
      { scheme: 'bearer', params: { realm: 'https://r/t', service: 'svc' } }
    ],
    [
      'escaped quote in a value',
      'Basic realm="a \\"b\\""',
      { scheme: 'basic', params: { realm: 'a "b"' } }
    ],
    ['scheme only', 'Basic', { scheme: 'basic', params: {} }]
  ])('%s', (_name, header, expected) => {
    expect(parseChallenge(header)).toEqual(expected)
  })

  test.each([
    ['missing', undefined],
    ['empty', ''],
    ['garbage', '"quoted"']
  ])('%s header gives no challenge', (_name, header) => {
    expect(parseChallenge(header)).toBeUndefined()
  })
})
