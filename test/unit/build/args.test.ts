// The exact command lines for buildah and docker buildx. The buildah ones are also run for
// real in build-and-push.test.ts; the buildx ones can only be run where buildx exists.

import { buildahArgs } from '../../../src/build/buildah.js'
import { dockerBuildxArgs } from '../../../src/build/docker-buildx.js'
import type { BuildOptions } from '../../../src/build/options.js'
import type { BuildPlan } from '../../../src/build/plan.js'

const repo = { name: 'ghcr.io/acme/shop', registry: 'ghcr.io', path: 'acme/shop' }

const options = (over: Partial<BuildOptions> = {}): BuildOptions => ({
  context: 'app',
  buildArgs: [],
  platforms: [],
  builder: 'auto',
  repository: repo,
  tags: [],
  labels: [],
  insecure: false,
  cacheFrom: [],
  cacheTo: [],
  ...over
})

const plan = (over: Partial<BuildPlan> = {}): BuildPlan => ({
  repository: repo,
  tags: ['abc1234'],
  labels: { 'org.opencontainers.image.revision': 'abc1234def' },
  ...over
})

const workDir = '/tmp/knative-rollout-build-AbC123'
const D = (i: number) => `${workDir}/digest-${i}`

describe('buildahArgs', () => {
  test.each<
    [
      string,
      Partial<BuildOptions>,
      Partial<BuildPlan>,
      string | undefined,
      { build: string[]; pushes: string[][]; cleanup?: string[] }
    ]
  >([
    [
      'minimal: chroot isolation, label, tag, context; push with a digest file',
      {},
      {},
      undefined,
      {
        build: [
          'bud',
          '--isolation',
          'chroot',
          '--label',
          'org.opencontainers.image.revision=abc1234def',
          '--tag',
          'ghcr.io/acme/shop:abc1234',
          'app'
        ],
        pushes: [
          [
            'push',
            '--digestfile',
            D(0),
            'ghcr.io/acme/shop:abc1234',
            'docker://ghcr.io/acme/shop:abc1234'
          ]
        ]
      }
    ],
    [
      'dockerfile, build args in order, target',
      {
        dockerfile: 'app/Containerfile',
        buildArgs: [
          ['B', '2'],
          ['A', 'x=1,y']
        ],
        target: 'runtime'
      },
      { labels: {} },
      undefined,
      {
        build: [
          'bud',
          '--isolation',
          'chroot',
          '--file',
          'app/Containerfile',
          '--build-arg',
          'B=2',
          '--build-arg',
          'A=x=1,y',
          '--target',
          'runtime',
          '--tag',
          'ghcr.io/acme/shop:abc1234',
          'app'
        ],
        pushes: [
          [
            'push',
            '--digestfile',
            D(0),
            'ghcr.io/acme/shop:abc1234',
            'docker://ghcr.io/acme/shop:abc1234'
          ]
        ]
      }
    ],
    [
      'several tags: one push each',
      {},
      { tags: ['v1', 'latest'], labels: {} },
      undefined,
      {
        build: [
          'bud',
          '--isolation',
          'chroot',
          '--tag',
          'ghcr.io/acme/shop:v1',
          '--tag',
          'ghcr.io/acme/shop:latest',
          'app'
        ],
        pushes: [
          ['push', '--digestfile', D(0), 'ghcr.io/acme/shop:v1', 'docker://ghcr.io/acme/shop:v1'],
          [
            'push',
            '--digestfile',
            D(1),
            'ghcr.io/acme/shop:latest',
            'docker://ghcr.io/acme/shop:latest'
          ]
        ]
      }
    ],
    [
      'auth file and insecure registry on build (base images, cache) and push',
      { insecure: true },
      { labels: {} },
      '/tmp/x/auth.json',
      {
        build: [
          'bud',
          '--isolation',
          'chroot',
          '--authfile',
          '/tmp/x/auth.json',
          '--tls-verify=false',
          '--tag',
          'ghcr.io/acme/shop:abc1234',
          'app'
        ],
        pushes: [
          [
            'push',
            '--authfile',
            '/tmp/x/auth.json',
            '--tls-verify=false',
            '--digestfile',
            D(0),
            'ghcr.io/acme/shop:abc1234',
            'docker://ghcr.io/acme/shop:abc1234'
          ]
        ]
      }
    ],
    [
      'one platform: a plain image',
      { platforms: ['linux/arm64'] },
      { labels: {} },
      undefined,
      {
        build: [
          'bud',
          '--isolation',
          'chroot',
          '--platform',
          'linux/arm64',
          '--tag',
          'ghcr.io/acme/shop:abc1234',
          'app'
        ],
        pushes: [
          [
            'push',
            '--digestfile',
            D(0),
            'ghcr.io/acme/shop:abc1234',
            'docker://ghcr.io/acme/shop:abc1234'
          ]
        ]
      }
    ],
    [
      'several platforms: a fresh manifest list, pushed with --all, removed after',
      { platforms: ['linux/amd64', 'linux/arm64'] },
      { tags: ['v1', 'v2'], labels: {} },
      undefined,
      {
        build: [
          'bud',
          '--isolation',
          'chroot',
          '--platform',
          'linux/amd64,linux/arm64',
          '--manifest',
          'localhost/knative-rollout-build-abc123',
          'app'
        ],
        pushes: [
          [
            'manifest',
            'push',
            '--all',
            '--digestfile',
            D(0),
            'localhost/knative-rollout-build-abc123',
            'docker://ghcr.io/acme/shop:v1'
          ],
          [
            'manifest',
            'push',
            '--all',
            '--digestfile',
            D(1),
            'localhost/knative-rollout-build-abc123',
            'docker://ghcr.io/acme/shop:v2'
          ]
        ],
        cleanup: ['manifest', 'rm', 'localhost/knative-rollout-build-abc123']
      }
    ],
    [
      'registry caches: buildx specs and plain repositories, with --layers',
      {
        cacheFrom: ['type=registry,ref=ghcr.io/acme/cache', 'ghcr.io/acme/cache2'],
        cacheTo: ['type=registry,ref=ghcr.io/acme/cache,mode=max']
      },
      { labels: {} },
      undefined,
      {
        build: [
          'bud',
          '--isolation',
          'chroot',
          '--layers',
          '--cache-from',
          'ghcr.io/acme/cache',
          '--cache-from',
          'ghcr.io/acme/cache2',
          '--cache-to',
          'ghcr.io/acme/cache',
          '--tag',
          'ghcr.io/acme/shop:abc1234',
          'app'
        ],
        pushes: [
          [
            'push',
            '--digestfile',
            D(0),
            'ghcr.io/acme/shop:abc1234',
            'docker://ghcr.io/acme/shop:abc1234'
          ]
        ]
      }
    ],
    [
      'private storage goes before the subcommand of every call',
      { buildahStorage: { driver: 'vfs', root: '/s/root', runroot: '/s/run' } },
      { labels: {} },
      undefined,
      {
        build: [
          '--storage-driver',
          'vfs',
          '--root',
          '/s/root',
          '--runroot',
          '/s/run',
          'bud',
          '--isolation',
          'chroot',
          '--tag',
          'ghcr.io/acme/shop:abc1234',
          'app'
        ],
        pushes: [
          [
            '--storage-driver',
            'vfs',
            '--root',
            '/s/root',
            '--runroot',
            '/s/run',
            'push',
            '--digestfile',
            D(0),
            'ghcr.io/acme/shop:abc1234',
            'docker://ghcr.io/acme/shop:abc1234'
          ]
        ]
      }
    ]
  ])('%s', (_name, over, planOver, authFile, expected) => {
    const commands = buildahArgs(options(over), plan(planOver), { workDir, authFile })
    expect(commands.build).toEqual(expected.build)
    expect(commands.pushes.map((p) => p.args)).toEqual(expected.pushes)
    expect(commands.pushes.map((p) => p.digestFile)).toEqual(expected.pushes.map((_, i) => D(i)))
    expect(commands.cleanup).toEqual(expected.cleanup)
  })

  test('a Docker Hub repository is named fully, so short-name rules cannot pick another registry', () => {
    const hub = { name: 'acme/shop', registry: 'docker.io', path: 'acme/shop' }
    const commands = buildahArgs(
      options({ repository: hub }),
      plan({ repository: hub, labels: {} }),
      { workDir }
    )
    expect(commands.build).toContain('docker.io/acme/shop:abc1234')
    expect(commands.pushes[0].args.slice(-2)).toEqual([
      'docker.io/acme/shop:abc1234',
      'docker://docker.io/acme/shop:abc1234'
    ])
  })

  test.each([
    ['a gha cache', { cacheFrom: ['type=gha'] }, /^cache-from: buildah takes only registry caches/],
    [
      'a local cache',
      { cacheTo: ['type=local,dest=/tmp/c'] },
      /^cache-to: buildah takes only registry caches/
    ],
    [
      'a tagged cache repository',
      { cacheTo: ['ghcr.io/acme/cache:buildcache'] },
      /^cache-to: buildah needs a repository without a tag/
    ]
  ])('rejects %s', (_name, over, message) => {
    expect(() => buildahArgs(options(over), plan(), { workDir })).toThrow(message)
  })
})

describe('dockerBuildxArgs', () => {
  const M = `${workDir}/metadata.json`
  test.each<[string, Partial<BuildOptions>, Partial<BuildPlan>, string[]]>([
    [
      'minimal: push, digest to the metadata file',
      {},
      {},
      [
        'buildx',
        'build',
        '--label',
        'org.opencontainers.image.revision=abc1234def',
        '--tag',
        'ghcr.io/acme/shop:abc1234',
        '--metadata-file',
        M,
        '--push',
        'app'
      ]
    ],
    [
      'every option',
      {
        dockerfile: 'app/Dockerfile.prod',
        buildArgs: [['VERSION', '1.2']],
        target: 'runtime',
        platforms: ['linux/amd64', 'linux/arm64'],
        cacheFrom: ['type=gha'],
        cacheTo: ['type=gha,mode=max']
      },
      { tags: ['v1', 'latest'], labels: { a: '1', 'b.c': 'x y' } },
      [
        'buildx',
        'build',
        '--file',
        'app/Dockerfile.prod',
        '--build-arg',
        'VERSION=1.2',
        '--target',
        'runtime',
        '--platform',
        'linux/amd64,linux/arm64',
        '--label',
        'a=1',
        '--label',
        'b.c=x y',
        '--cache-from',
        'type=gha',
        '--cache-to',
        'type=gha,mode=max',
        '--tag',
        'ghcr.io/acme/shop:v1',
        '--tag',
        'ghcr.io/acme/shop:latest',
        '--metadata-file',
        M,
        '--push',
        'app'
      ]
    ],
    [
      'insecure registry: the long output form with registry.insecure',
      { insecure: true },
      { labels: {} },
      [
        'buildx',
        'build',
        '--tag',
        'ghcr.io/acme/shop:abc1234',
        '--metadata-file',
        M,
        '--output',
        'type=image,push=true,registry.insecure=true',
        'app'
      ]
    ]
  ])('%s', (_name, over, planOver, expected) => {
    const command = dockerBuildxArgs(options(over), plan(planOver), workDir)
    expect(command.args).toEqual(expected)
    expect(command.metadataFile).toBe(M)
  })
})
