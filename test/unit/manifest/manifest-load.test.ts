import { readFileSync } from 'node:fs'
import {
  ManifestError,
  loadServiceManifest,
  type LoadedManifest
} from '../../../src/manifest/load.js'

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/manifests/${name}`, import.meta.url), 'utf8')

const DNS1035 =
  "[a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]"

const v1 = (spec: string, metadata = 'name: hello') => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  ${metadata}
spec:
${spec}`

const CONTAINER = `  template:
    spec:
      containers:
        - image: ghcr.io/acme/hello:1`

function errorOf(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    if (e instanceof ManifestError) return e.message
    throw e
  }
  throw new Error('expected a ManifestError')
}

describe('loadServiceManifest: Knative shapes load as v1', () => {
  test('the helloworld-csharp release sample: 80/20 between two pinned revisions', () => {
    const loaded = loadServiceManifest(fixture('release-helloworld-csharp.yaml'))
    expect(loaded).toEqual<LoadedManifest>({
      service: {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Service',
        metadata: { name: 'helloworld-csharp', namespace: 'default' },
        spec: {
          template: {
            spec: {
              containers: [
                {
                  image: 'docker.io/{username}/helloworld-csharp:v1',
                  env: [{ name: 'TARGET', value: 'C# Sample v4' }]
                }
              ]
            }
          },
          traffic: [
            { tag: 'current', revisionName: 'helloworld-csharp-00001', percent: 80 },
            { tag: 'candidate', revisionName: 'helloworld-csharp-00004', percent: 20 },
            { tag: 'latest', latestRevision: true, percent: 0 }
          ]
        }
      },
      release: {
        current: 'helloworld-csharp-00001',
        candidate: 'helloworld-csharp-00004',
        rolloutPercent: 20
      },
      source: { apiVersion: 'serving.knative.dev/v1alpha1', mode: 'release' },
      warnings: [
        'the container image "docker.io/{username}/helloworld-csharp:v1" has an invalid repository component "{username}" (lowercase letters, digits, and . _ __ - between them); the revision will fail to pull it. Fix it in the manifest or give the image input'
      ]
    })
  })

  test('the same sample with the image input: the placeholder is replaced, no warning', () => {
    const loaded = loadServiceManifest(fixture('release-helloworld-csharp.yaml'), {
      image: 'ghcr.io/acme/csharp@sha256:' + 'c'.repeat(64)
    })
    expect(loaded.warnings).toEqual([])
    expect(loaded.service.spec.template.spec.containers[0].image).toBe(
      'ghcr.io/acme/csharp@sha256:' + 'c'.repeat(64)
    )
  })

  test.each<[string, string, Partial<LoadedManifest>]>([
    [
      'release with @latest: the candidate is what the template creates',
      'release-latest.yaml',
      {
        release: { current: 'helloworld-csharp-00001', candidate: '@latest', rolloutPercent: 10 },
        source: { apiVersion: 'serving.knative.dev/v1alpha1', mode: 'release' }
      }
    ],
    [
      'release with one revision: current only',
      'release-one.yaml',
      { release: { current: 'helloworld-csharp-00001', rolloutPercent: 0 } }
    ],
    [
      'runLatest: no release block',
      'runlatest.yaml',
      {
        release: undefined,
        source: { apiVersion: 'serving.knative.dev/v1alpha1', mode: 'runLatest' }
      }
    ],
    [
      'pinned: no release block',
      'pinned.yaml',
      { release: undefined, source: { apiVersion: 'serving.knative.dev/v1alpha1', mode: 'pinned' } }
    ],
    [
      'a v1 Service',
      'v1-service.yaml',
      { release: undefined, source: { apiVersion: 'serving.knative.dev/v1', mode: 'v1' } }
    ]
  ])('%s', (_name, file, expected) => {
    expect(loadServiceManifest(fixture(file))).toMatchObject(expected)
  })

  test('runLatest converts to 100% latest with the container list', () => {
    const { service } = loadServiceManifest(fixture('runlatest.yaml'))
    expect(service.spec.traffic).toEqual([{ percent: 100, latestRevision: true }])
    expect(service.spec.template.spec.containers.map((c) => c.image)).toEqual([
      'gcr.io/knative-samples/helloworld-go'
    ])
  })

  test('pinned converts to 100% on the named revision', () => {
    const { service } = loadServiceManifest(fixture('pinned.yaml'))
    expect(service.spec.traffic).toEqual([{ revisionName: 'helloworld-go-00001', percent: 100 }])
  })

  test('an exported Service loses the fields the server and webhook own', () => {
    const { service } = loadServiceManifest(fixture('v1-exported.yaml'))
    expect(service.metadata).toEqual({ name: 'hello', namespace: 'default' })
    expect(service).not.toHaveProperty('status')
    expect(service.spec.traffic).toEqual([{ latestRevision: true, percent: 100 }])
  })

  test.each<[string, string, string | undefined, Record<string, unknown>]>([
    [
      'a v1 release written as tags',
      v1(`${CONTAINER}
  traffic:
    - {tag: current, revisionName: hello-00001, percent: 75}
    - {tag: candidate, latestRevision: true, percent: 25}
    - {tag: latest, latestRevision: true, percent: 0}`),
      undefined,
      { release: { current: 'hello-00001', candidate: '@latest', rolloutPercent: 25 } }
    ],
    [
      'v1beta1 has the v1 schema',
      v1(CONTAINER).replace('/v1', '/v1beta1'),
      undefined,
      { source: { apiVersion: 'serving.knative.dev/v1beta1', mode: 'v1' } }
    ],
    [
      'a leading document marker and trailing comments',
      `---\n${v1(CONTAINER)}\n---\n# nothing here\n`,
      undefined,
      { release: undefined }
    ],
    [
      'a few YAML anchors are fine',
      v1(`  template:
    spec:
      containers:
        - image: ghcr.io/acme/hello:1
          env: &env
            - {name: A, value: "1"}
          volumeMounts: []
      initContainers:
        - image: busybox
          env: *env`),
      undefined,
      { release: undefined }
    ],
    [
      'a placeholder image is fine when the image input replaces it',
      v1(`  template:
    spec:
      containers:
        - image: <helloworld-docker>`),
      'ghcr.io/acme/hello@sha256:' + 'a'.repeat(64),
      { release: undefined, warnings: [] }
    ],
    [
      'a placeholder image with no image input loads, with a warning',
      v1(`  template:
    spec:
      containers:
        - image: <helloworld-docker>`),
      undefined,
      {
        warnings: [
          'the container image "<helloworld-docker>" has an invalid repository component "<helloworld-docker>" (lowercase letters, digits, and . _ __ - between them); the revision will fail to pull it. Fix it in the manifest or give the image input'
        ]
      }
    ],
    ['a valid image: no warning', v1(CONTAINER), undefined, { warnings: [] }]
  ])('%s', (_name, text, image, expected) => {
    expect(loadServiceManifest(text, { image })).toMatchObject(expected)
  })
})

describe('loadServiceManifest: overrides', () => {
  test('image replaces the only container image', () => {
    const { service } = loadServiceManifest(fixture('release-helloworld-csharp.yaml'), {
      image: 'ghcr.io/acme/csharp:2'
    })
    expect(service.spec.template.spec.containers[0]).toEqual({
      image: 'ghcr.io/acme/csharp:2',
      env: [{ name: 'TARGET', value: 'C# Sample v4' }]
    })
  })

  test('image replaces the serving container (the one with ports) among several', () => {
    const text = v1(`  template:
    spec:
      containers:
        - image: ghcr.io/acme/sidecar:1
        - image: ghcr.io/acme/hello:1
          ports: [{containerPort: 8080}]`)
    const { service } = loadServiceManifest(text, { image: 'ghcr.io/acme/hello:2' })
    expect(service.spec.template.spec.containers.map((c) => c.image)).toEqual([
      'ghcr.io/acme/sidecar:1',
      'ghcr.io/acme/hello:2'
    ])
  })

  test('service renames, namespace fills in an absent one', () => {
    const { service } = loadServiceManifest(fixture('release-one.yaml'), {
      service: 'csharp-preview',
      namespace: 'staging'
    })
    expect(service.metadata).toEqual({ name: 'csharp-preview', namespace: 'staging' })
  })

  test('a matching namespace is accepted', () => {
    expect(
      loadServiceManifest(fixture('v1-service.yaml'), { namespace: 'default' }).service.metadata
        .namespace
    ).toBe('default')
  })
})

describe('loadServiceManifest: problems are named', () => {
  const HUGE = `# ${'x'.repeat(1024 * 1024)}\n${v1(CONTAINER)}`
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
  for (const [i, l] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries()) {
    const prev = String.fromCharCode('a'.charCodeAt(0) + i)
    bomb.push(`${l}: &${l} [${Array(10).fill(`*${prev}`).join(',')}]`)
  }

  test.each<[string, string, Record<string, string>, string | RegExp]>([
    [
      "manual mode, with both of Knative's messages",
      fixture('manual.yaml'),
      {},
      'invalid v1alpha1 Service:\nmust not set the field(s): spec.manual\nmanual mode cannot be migrated forward.'
    ],
    [
      'a v1alpha1 rolloutPercent out of range',
      fixture('release-helloworld-csharp.yaml').replace(
        'rolloutPercent: 20',
        'rolloutPercent: 100'
      ),
      {},
      'invalid v1alpha1 Service:\nexpected 0 <= 100 <= 99: spec.release.rolloutPercent'
    ],
    [
      'a v1alpha1 release without revisions',
      fixture('release-one.yaml').replace(/revisions: .*/, 'revisions: []'),
      {},
      'invalid v1alpha1 Service:\nmissing field(s): spec.release.revisions'
    ],
    [
      'YAML that does not parse',
      'apiVersion: serving.knative.dev/v1\nkind: [Service\n',
      {},
      /^not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a \] at line 3, column 1/
    ],
    [
      'duplicate keys',
      'apiVersion: serving.knative.dev/v1\nkind: Service\nkind: Service\n',
      {},
      /^not valid YAML: Map keys must be unique at line 3, column 1/
    ],
    [
      'several documents',
      `${v1(CONTAINER)}\n---\n${v1(CONTAINER)}`,
      {},
      'the manifest holds 2 YAML documents; it must hold exactly one Knative Service'
    ],
    [
      'an empty file',
      '# just a comment\n',
      {},
      'the manifest is empty; it must hold one Knative Service'
    ],
    [
      'a list at the root',
      '- apiVersion: serving.knative.dev/v1\n',
      {},
      'the manifest must be a mapping (a Knative Service object), got a list'
    ],
    [
      'a string at the root',
      'hello',
      {},
      'the manifest must be a mapping (a Knative Service object), got a string'
    ],
    ['an alias bomb', bomb.join('\n'), {}, /^YAML aliases expand too much \(Excessive alias count/],
    ['a huge file', HUGE, {}, `the manifest is ${HUGE.length} bytes; at most 1048576 are read`],
    [
      'seventy levels of lists',
      `apiVersion: serving.knative.dev/v1\nkind: Service\nspec: ${'['.repeat(70)}${']'.repeat(70)}\n`,
      {},
      'the manifest nests deeper than 64 levels; refusing it'
    ],
    [
      'a depth bomb (nested flow lists)',
      `apiVersion: serving.knative.dev/v1\nkind: Service\nspec: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      {},
      'the manifest nests deeper than 64 levels; refusing it'
    ],
    [
      'a YAML error: its first line only, never the snippet of the file',
      'SECRET_TOKEN: "abc\nkind: [\n',
      {},
      /^not valid YAML: [^\n]*at line \d+, column \d+:$/
    ],
    [
      'no apiVersion',
      'kind: Service\nmetadata: {name: hello}\n',
      {},
      'apiVersion: missing; a Knative Service has apiVersion: serving.knative.dev/v1'
    ],
    [
      "a Deployment's apiVersion",
      'apiVersion: apps/v1\nkind: Deployment\n',
      {},
      'apiVersion: "apps/v1" is not a Knative Service version; use serving.knative.dev/v1 (or the legacy serving.knative.dev/v1alpha1)'
    ],
    [
      'a Knative Route',
      'apiVersion: serving.knative.dev/v1\nkind: Route\n',
      {},
      'kind: "Route" is not supported; the manifest must be a Knative Service (kind: Service)'
    ],
    [
      'no kind',
      'apiVersion: serving.knative.dev/v1\nmetadata: {name: hello}\n',
      {},
      'kind: missing; the manifest must be a Knative Service (kind: Service)'
    ],
    [
      'v1 traffic that does not sum to 100',
      v1(`${CONTAINER}\n  traffic:\n    - {revisionName: hello-00001, percent: 90}`),
      {},
      'invalid Service:\nTraffic targets sum to 90, want 100: spec.traffic'
    ],
    [
      'a v1 container without an image',
      v1('  template:\n    spec:\n      containers:\n        - name: app'),
      {},
      'invalid Service:\nmissing field(s): spec.template.spec.containers[0].image'
    ],
    [
      'a v1 Service with a bad name',
      v1(CONTAINER, 'name: Hello'),
      {},
      `invalid Service:\nnot a DNS 1035 label: ${DNS1035}: metadata.name`
    ],
    [
      'a v1 Service without a name',
      v1(CONTAINER, 'labels: {a: b}'),
      {},
      'invalid Service:\nname or generateName is required: metadata.name'
    ],
    [
      'generateName instead of a name',
      v1(CONTAINER, 'generateName: hello-'),
      {},
      'metadata.name: missing; a rollout needs a named Service (generateName would create a new one each run), or give the service input'
    ],
    [
      'a name too long for the candidate tag host',
      v1(CONTAINER, `name: ${'h'.repeat(54)}`),
      {},
      `metadata.name "${'h'.repeat(54)}" has 54 characters; at most 53, so the tag host "candidate-${'h'.repeat(54)}" fits Knative's 63-character label`
    ],
    [
      'a rename that breaks the BYO revision name',
      v1(
        '  template:\n    metadata: {name: hello-v2}\n    spec:\n      containers: [{image: nginx}]'
      ),
      { service: 'shop' },
      'invalid Service:\ninvalid value: "hello-v2" must have prefix "shop-": spec.template.metadata.name'
    ],
    [
      'a namespace that disagrees with the input',
      fixture('v1-service.yaml'),
      { namespace: 'prod' },
      'metadata.namespace is "default" but the namespace input is "prod"; set namespace: default, or remove metadata.namespace from the manifest'
    ],
    [
      'several containers and none declares ports',
      v1('  template:\n    spec:\n      containers: [{image: a}, {image: b}]'),
      { image: 'nginx' },
      'spec.template.spec.containers has 2 containers and 0 declare ports; exactly one must, to say which container serves (and gets the image input)'
    ]
  ])('%s', (_name, text, overrides, message) => {
    const got = errorOf(() => loadServiceManifest(text, overrides))
    if (typeof message === 'string') expect(got).toBe(message)
    else expect(got).toMatch(message)
  })
})
