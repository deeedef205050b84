import { parseBuildOptions } from '../../../src/build/options.js'
import { InputError } from '../../../src/input-error.js'

const inputs =
  (values: Record<string, string>) =>
  (name: string): string | undefined =>
    values[name]

const base = { 'build-context': '.', image: 'ghcr.io/acme/shop' }

describe('parseBuildOptions', () => {
  test('no build-context means no build', () => {
    expect(parseBuildOptions(inputs({ image: 'ghcr.io/acme/shop' }))).toBeUndefined()
    expect(parseBuildOptions(inputs({ 'build-context': '  ', image: 'x' }))).toBeUndefined()
  })

  test('defaults: auto builder, no tags (short sha later), secure, no credentials', () => {
    expect(parseBuildOptions(inputs(base))).toEqual({
      context: '.',
      dockerfile: undefined,
      buildArgs: [],
      target: undefined,
      platforms: [],
      builder: 'auto',
      repository: { name: 'ghcr.io/acme/shop', registry: 'ghcr.io', path: 'acme/shop' },
      tags: [],
      labels: [],
      credentials: undefined,
      insecure: false,
      cacheFrom: [],
      cacheTo: []
    })
  })

  test('every input parsed', () => {
    const opts = parseBuildOptions(
      inputs({
        'build-context': 'app',
        dockerfile: 'app/Containerfile',
        'build-args': 'VERSION=1.2\nLIST=a,b=c\n',
        target: 'runtime',
        platforms: 'linux/amd64, linux/arm64/v8',
        builder: 'buildah',
        image: '127.0.0.1:5000/acme/shop',
        tags: 'v1,latest\nedge',
        labels: 'org.opencontainers.image.title=Shop\nteam=web',
        'registry-username': 'bob',
        'registry-password': 's3cret',
        'registry-insecure': 'true',
        'cache-from': 'type=registry,ref=127.0.0.1:5000/acme/cache',
        'cache-to': 'type=registry,ref=127.0.0.1:5000/acme/cache,mode=max'
      })
    )
    expect(opts).toEqual({
      context: 'app',
      dockerfile: 'app/Containerfile',
      buildArgs: [
        ['VERSION', '1.2'],
        ['LIST', 'a,b=c']
      ],
      target: 'runtime',
      platforms: ['linux/amd64', 'linux/arm64/v8'],
      builder: 'buildah',
      repository: {
        name: '127.0.0.1:5000/acme/shop',
        registry: '127.0.0.1:5000',
        path: 'acme/shop'
      },
      tags: ['v1', 'latest', 'edge'],
      labels: [
        ['org.opencontainers.image.title', 'Shop'],
        ['team', 'web']
      ],
      credentials: { username: 'bob', password: 's3cret' },
      insecure: true,
      cacheFrom: ['type=registry,ref=127.0.0.1:5000/acme/cache'],
      cacheTo: ['type=registry,ref=127.0.0.1:5000/acme/cache,mode=max']
    })
  })

  test.each([
    [
      'registry qualifies a bare image',
      { image: 'acme/shop', registry: 'https://ghcr.io/' },
      { name: 'ghcr.io/acme/shop', registry: 'ghcr.io', path: 'acme/shop' }
    ],
    [
      'a bare image is Docker Hub',
      { image: 'acme/shop' },
      { name: 'acme/shop', registry: 'docker.io', path: 'acme/shop' }
    ],
    [
      'an official-style Hub name gets library/',
      { image: 'shop' },
      { name: 'shop', registry: 'docker.io', path: 'library/shop' }
    ],
    [
      'registry docker.io keeps a Hub name short',
      { image: 'acme/shop', registry: 'index.docker.io' },
      { name: 'acme/shop', registry: 'docker.io', path: 'acme/shop' }
    ],
    [
      'the same registry twice is fine',
      { image: 'ghcr.io/acme/shop', registry: 'ghcr.io' },
      { name: 'ghcr.io/acme/shop', registry: 'ghcr.io', path: 'acme/shop' }
    ]
  ])('repository: %s', (_name, values, repository) => {
    expect(parseBuildOptions(inputs({ 'build-context': '.', ...values }))?.repository).toEqual(
      repository
    )
  })

  test.each([
    [
      'GHCR takes github-token when no password is given',
      { image: 'ghcr.io/acme/shop', 'github-token': 'ghs_x' },
      { username: '', password: 'ghs_x' }
    ],
    [
      'GHCR with a username and github-token',
      { image: 'ghcr.io/acme/shop', 'registry-username': 'octo', 'github-token': 'ghs_x' },
      { username: 'octo', password: 'ghs_x' }
    ],
    [
      'a password wins over github-token',
      { image: 'ghcr.io/acme/shop', 'registry-password': 'pat', 'github-token': 'ghs_x' },
      { username: '', password: 'pat' }
    ],
    [
      'github-token is not sent to other registries',
      { image: 'quay.io/acme/shop', 'github-token': 'ghs_x' },
      undefined
    ]
  ])('credentials: %s', (_name, values, credentials) => {
    expect(parseBuildOptions(inputs({ 'build-context': '.', ...values }))?.credentials).toEqual(
      credentials
    )
  })

  test.each([
    ['image missing', { image: '' }, 'image', /required with build-context/],
    ['image with a tag', { image: 'ghcr.io/acme/shop:v1' }, 'image', /has a tag/],
    [
      'image with a digest',
      { image: `ghcr.io/acme/shop@sha256:${'a'.repeat(64)}` },
      'image',
      /has a digest/
    ],
    [
      'image with a bad digest',
      { image: 'ghcr.io/acme/shop@sha256:abc' },
      'image',
      /invalid digest/
    ],
    ['image with uppercase', { image: 'ghcr.io/Acme/shop' }, 'image', /not a valid repository/],
    [
      'image on another registry',
      { image: 'quay.io/acme/shop', registry: 'ghcr.io' },
      'image',
      /on registry 'quay.io', not on 'ghcr.io'/
    ],
    [
      'unknown builder',
      { builder: 'kaniko' },
      'builder',
      /'kaniko' is not one of auto, docker, buildah/
    ],
    ['bad platform', { platforms: 'amd64' }, 'platforms', /os\/arch/],
    ['bad tag', { tags: 'v1,-bad' }, 'tags', /'-bad' is not a valid tag/],
    ['build-arg without =', { 'build-args': 'VERSION' }, 'build-args', /not KEY=VALUE/],
    [
      'build-arg with a bad name',
      { 'build-args': '1X=2' },
      'build-args',
      /'1X' is not a build argument name/
    ],
    ['label without =', { labels: 'team' }, 'labels', /not KEY=VALUE/],
    ['bad target', { target: '-x' }, 'target', /not a build stage name/],
    [
      'registry-insecure not boolean',
      { 'registry-insecure': 'yes' },
      'registry-insecure',
      /'yes' is not true or false/
    ],
    [
      'password without username',
      { image: 'quay.io/acme/shop', 'registry-password': 'p' },
      'registry-username',
      /required with registry-password/
    ],
    [
      'username without password',
      { 'registry-username': 'bob' },
      'registry-password',
      /required with registry-username/
    ]
  ])('rejects %s, naming the input', (_name, values, input, message) => {
    const get = inputs({ ...base, ...values })
    expect(() => parseBuildOptions(get)).toThrow(InputError)
    expect(() => parseBuildOptions(get)).toThrow(
      expect.objectContaining({ input, message: expect.stringMatching(message) })
    )
    expect(() => parseBuildOptions(get)).toThrow(new RegExp(`^${input}: `))
  })

  test('a rejected password never appears in the error', () => {
    const get = inputs({
      ...base,
      image: 'quay.io/acme/shop',
      'registry-password': 'hunter2-secret'
    })
    expect(() => parseBuildOptions(get)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2-secret') })
    )
  })
})
