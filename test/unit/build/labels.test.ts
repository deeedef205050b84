import { imageLabels, ociLabels } from '../../../src/build/labels.js'
import { defaultTags, planBuild } from '../../../src/build/plan.js'
import type { BuildOptions } from '../../../src/build/options.js'

const NOW = Date.UTC(2026, 10, 26, 14, 30, 5, 123)
const github = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567'
}

describe('ociLabels', () => {
  test.each([
    [
      'a GitHub workflow: metadata-action names and formats',
      github,
      ['0123456'],
      {
        'org.opencontainers.image.title': 'shop',
        'org.opencontainers.image.url': 'https://github.com/acme/shop',
        'org.opencontainers.image.source': 'https://github.com/acme/shop',
        'org.opencontainers.image.version': '0123456',
        'org.opencontainers.image.created': '2026-11-26T14:30:05.123Z',
        'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567'
      }
    ],
    [
      'GitHub Enterprise server URL (trailing slash dropped)',
      { ...github, GITHUB_SERVER_URL: 'https://ghe.example.com/' },
      ['v1'],
      {
        'org.opencontainers.image.title': 'shop',
        'org.opencontainers.image.url': 'https://ghe.example.com/acme/shop',
        'org.opencontainers.image.source': 'https://ghe.example.com/acme/shop',
        'org.opencontainers.image.version': 'v1',
        'org.opencontainers.image.created': '2026-11-26T14:30:05.123Z',
        'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567'
      }
    ],
    [
      'outside GitHub: only what is known',
      {},
      [],
      { 'org.opencontainers.image.created': '2026-11-26T14:30:05.123Z' }
    ]
  ])('%s', (_name, env, tags, expected) => {
    expect(ociLabels(env, NOW, tags)).toEqual(expected)
  })

  test('user labels override the OCI ones and add their own', () => {
    const labels = imageLabels(
      github,
      NOW,
      ['v1'],
      [
        ['org.opencontainers.image.title', 'Shop Frontend'],
        ['team', 'web']
      ]
    )
    expect(labels['org.opencontainers.image.title']).toBe('Shop Frontend')
    expect(labels.team).toBe('web')
    expect(labels['org.opencontainers.image.revision']).toBe(github.GITHUB_SHA)
  })
})

describe('planBuild', () => {
  const opts = {
    repository: { name: 'ghcr.io/acme/shop', registry: 'ghcr.io', path: 'acme/shop' },
    tags: [] as string[],
    labels: [] as Array<[string, string]>
  } as BuildOptions

  test.each([
    ['the short commit sha by default', github, [], ['0123456']],
    ['latest outside a workflow', {}, [], ['latest']],
    ['the given tags', github, ['v1', 'edge'], ['v1', 'edge']]
  ])('tags: %s', (_name, env, tags, expected) => {
    expect(planBuild({ ...opts, tags }, env, NOW).tags).toEqual(expected)
  })

  test('labels carry the resolved first tag as version', () => {
    expect(planBuild(opts, github, NOW).labels['org.opencontainers.image.version']).toBe('0123456')
    expect(defaultTags(github)).toEqual(['0123456'])
  })
})
