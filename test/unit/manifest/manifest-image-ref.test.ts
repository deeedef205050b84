import {
  parseImageReference,
  imageReferenceProblem,
  type ImageReference
} from '../../../src/manifest/image-ref.js'

const SHA = 'sha256:' + '0123456789abcdef'.repeat(4)

describe('parseImageReference', () => {
  test.each<[string, string, ImageReference]>([
    [
      'a Docker Hub short name',
      'nginx',
      { name: 'nginx', registry: undefined, path: 'nginx', tag: undefined, digest: undefined }
    ],
    [
      'a Docker Hub user repository with a tag',
      'acme/shop:1.0',
      { name: 'acme/shop', registry: undefined, path: 'acme/shop', tag: '1.0', digest: undefined }
    ],
    [
      'a registry host',
      'ghcr.io/acme/shop',
      {
        name: 'ghcr.io/acme/shop',
        registry: 'ghcr.io',
        path: 'acme/shop',
        tag: undefined,
        digest: undefined
      }
    ],
    [
      'a loopback registry with a port and a tag',
      '127.0.0.1:5000/shop:v2',
      {
        name: '127.0.0.1:5000/shop',
        registry: '127.0.0.1:5000',
        path: 'shop',
        tag: 'v2',
        digest: undefined
      }
    ],
    [
      'localhost is a registry',
      'localhost/shop',
      {
        name: 'localhost/shop',
        registry: 'localhost',
        path: 'shop',
        tag: undefined,
        digest: undefined
      }
    ],
    [
      'a digest',
      `ghcr.io/acme/shop@${SHA}`,
      {
        name: 'ghcr.io/acme/shop',
        registry: 'ghcr.io',
        path: 'acme/shop',
        tag: undefined,
        digest: SHA
      }
    ],
    [
      'a tag and a digest',
      `ghcr.io/acme/shop:1.0@${SHA}`,
      { name: 'ghcr.io/acme/shop', registry: 'ghcr.io', path: 'acme/shop', tag: '1.0', digest: SHA }
    ],
    [
      'separators inside components',
      'gcr.io/knative-samples/hello_world.v2__x',
      {
        name: 'gcr.io/knative-samples/hello_world.v2__x',
        registry: 'gcr.io',
        path: 'knative-samples/hello_world.v2__x',
        tag: undefined,
        digest: undefined
      }
    ],
    [
      'an IPv6 registry',
      '[::1]:5000/shop',
      {
        name: '[::1]:5000/shop',
        registry: '[::1]:5000',
        path: 'shop',
        tag: undefined,
        digest: undefined
      }
    ]
  ])('%s', (_name, ref, expected) => {
    expect(parseImageReference(ref)).toEqual(expected)
  })

  test.each<[string, string, string]>([
    ['empty', '', 'is empty'],
    [
      'upper case in the path',
      'acme/Shop',
      'has an invalid repository component "Shop" (lowercase letters, digits, and . _ __ - between them)'
    ],
    [
      'a trailing separator',
      'acme/shop-',
      'has an invalid repository component "shop-" (lowercase letters, digits, and . _ __ - between them)'
    ],
    ['an empty component', 'ghcr.io//shop', 'has an empty path component'],
    ['a bad tag', 'shop:-1', 'has an invalid tag "-1" (letters, digits, _ . -; at most 128)'],
    ['an empty tag', 'shop:', 'has an invalid tag "" (letters, digits, _ . -; at most 128)'],
    [
      'a short sha256',
      'shop@sha256:abcd',
      'has an invalid digest "sha256:abcd" (want e.g. sha256:<64 hex digits>)'
    ],
    [
      'a sha256 of the wrong length',
      `shop@sha256:${'a'.repeat(40)}`,
      `has an invalid digest "sha256:${'a'.repeat(40)}" (sha256 has 64 hex digits)`
    ],
    ['a bad port', 'ghcr.io:x/shop', 'has an invalid registry "ghcr.io:x"'],
    ['whitespace', 'nginx latest', 'contains whitespace'],
    ['only a tag', ':latest', 'has no repository name']
  ])('refuses %s', (_name, ref, problem) => {
    expect(imageReferenceProblem(ref)).toBe(problem)
  })
})
