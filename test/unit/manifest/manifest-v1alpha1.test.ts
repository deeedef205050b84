import { FieldError } from '../../../src/manifest/field-error.js'
import {
  ConversionError,
  convertV1alpha1Service,
  validateV1alpha1Service
} from '../../../src/manifest/v1alpha1.js'

const DNS1035 =
  "[a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]"

const container = { image: 'gcr.io/knative-samples/helloworld-go' }
const config = { revisionTemplate: { spec: { container } } }
const svc = (spec: unknown, name = 'hello') => ({
  apiVersion: 'serving.knative.dev/v1alpha1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec
})

describe('validateV1alpha1Service', () => {
  test.each<[string, unknown, string | undefined]>([
    ['runLatest is valid', { runLatest: { configuration: config } }, undefined],
    [
      'runLatest with template (not revisionTemplate) is valid',
      { runLatest: { configuration: { template: { spec: { container } } } } },
      undefined
    ],
    [
      'pinned is valid',
      { pinned: { revisionName: 'hello-00001', configuration: config } },
      undefined
    ],
    [
      'release with two revisions is valid',
      {
        release: {
          revisions: ['hello-00001', 'hello-00002'],
          rolloutPercent: 20,
          configuration: config
        }
      },
      undefined
    ],
    [
      'release with @latest is valid',
      {
        release: {
          revisions: ['hello-00001', '@latest'],
          rolloutPercent: 50,
          configuration: config
        }
      },
      undefined
    ],
    [
      'release with one revision and no percent is valid',
      { release: { revisions: ['hello-00001'], configuration: config } },
      undefined
    ],
    [
      'release with containers (plural) is valid',
      {
        release: {
          revisions: ['@latest'],
          configuration: { template: { spec: { containers: [container] } } }
        }
      },
      undefined
    ],
    [
      'inline template and traffic are valid',
      {
        template: { spec: { containers: [container] } },
        traffic: [
          { tag: 'current', revisionName: 'hello-00001', percent: 100 },
          { tag: 'latest', latestRevision: true, percent: 0 }
        ]
      },
      undefined
    ],
    [
      'inline template without traffic is valid (defaulting fills it)',
      { template: { spec: { containers: [container] } } },
      undefined
    ],
    [
      'a BYO revision name with the service prefix is valid',
      {
        runLatest: {
          configuration: {
            revisionTemplate: { metadata: { name: 'hello-v2' }, spec: { container } }
          }
        }
      },
      undefined
    ],
    [
      'no mode at all',
      {},
      'expected exactly one, got neither: spec.pinned, spec.release, spec.runLatest, spec.template'
    ],
    [
      'traffic alone is no mode',
      { traffic: [{ percent: 100 }] },
      'expected exactly one, got neither: spec.pinned, spec.release, spec.runLatest, spec.template'
    ],
    [
      'two modes',
      {
        runLatest: { configuration: config },
        pinned: { revisionName: 'hello-00001', configuration: config }
      },
      'expected exactly one, got both: spec.pinned, spec.runLatest'
    ],
    [
      'a mode and inline template',
      { runLatest: { configuration: config }, template: { spec: { containers: [container] } } },
      'expected exactly one, got both: spec.runLatest, spec.template'
    ],
    [
      'a mode with traffic',
      { runLatest: { configuration: config }, traffic: [{ percent: 100 }] },
      'expected exactly one, got both: spec.runLatest, spec.traffic'
    ],
    ['manual is refused', { manual: {} }, 'must not set the field(s): spec.manual'],
    [
      'pinned without revisionName',
      { pinned: { configuration: config } },
      'missing field(s): spec.pinned.revisionName'
    ],
    [
      'release without revisions',
      { release: { configuration: config } },
      'missing field(s): spec.release.revisions'
    ],
    [
      'release with three revisions',
      { release: { revisions: ['hello-a', 'hello-b', 'hello-c'], configuration: config } },
      'expected 1 <= 3 <= 2: spec.release.revisions'
    ],
    [
      'release with a bad revision name',
      {
        release: {
          revisions: ['hello-00001', 'Hello_2'],
          rolloutPercent: 10,
          configuration: config
        }
      },
      `invalid value: not a DNS 1035 label: ${DNS1035}: spec.release.revisions[1]`
    ],
    [
      'rolloutPercent above 99',
      {
        release: { revisions: ['hello-a', 'hello-b'], rolloutPercent: 100, configuration: config }
      },
      'expected 0 <= 100 <= 99: spec.release.rolloutPercent'
    ],
    [
      'rolloutPercent below 0',
      { release: { revisions: ['hello-a', 'hello-b'], rolloutPercent: -1, configuration: config } },
      'expected 0 <= -1 <= 99: spec.release.rolloutPercent'
    ],
    [
      'rolloutPercent with a single revision (v0.10+ message)',
      { release: { revisions: ['hello-a'], rolloutPercent: 10, configuration: config } },
      'may not set rolloutPercent for a single revision: spec.release.rolloutPercent'
    ],
    [
      'two errors, sorted by message',
      { release: { revisions: ['hello-a'], rolloutPercent: 120, configuration: config } },
      'expected 0 <= 120 <= 99: spec.release.rolloutPercent\nmay not set rolloutPercent for a single revision: spec.release.rolloutPercent'
    ],
    [
      'empty configuration',
      { runLatest: { configuration: {} } },
      'missing field(s): spec.runLatest.configuration'
    ],
    ['no configuration', { runLatest: {} }, 'missing field(s): spec.runLatest.configuration'],
    [
      'revisionTemplate and template together',
      {
        runLatest: {
          configuration: {
            revisionTemplate: { spec: { container } },
            template: { spec: { container } }
          }
        }
      },
      'expected exactly one, got both: spec.runLatest.configuration.revisionTemplate, spec.runLatest.configuration.template'
    ],
    [
      'container and containers together',
      {
        runLatest: {
          configuration: { revisionTemplate: { spec: { container, containers: [container] } } }
        }
      },
      'expected exactly one, got both: spec.runLatest.configuration.revisionTemplate.spec.container, spec.runLatest.configuration.revisionTemplate.spec.containers'
    ],
    [
      'neither container nor containers',
      { runLatest: { configuration: { revisionTemplate: { spec: { timeoutSeconds: 30 } } } } },
      'expected exactly one, got neither: spec.runLatest.configuration.revisionTemplate.spec.container, spec.runLatest.configuration.revisionTemplate.spec.containers'
    ],
    [
      'container without image',
      { runLatest: { configuration: { revisionTemplate: { spec: { container: { env: [] } } } } } },
      'missing field(s): spec.runLatest.configuration.revisionTemplate.spec.container.image'
    ],
    [
      'a BYO revision name without the service prefix',
      {
        runLatest: {
          configuration: {
            revisionTemplate: { metadata: { name: 'other-v2' }, spec: { container } }
          }
        }
      },
      'invalid value: "other-v2" must have prefix "hello-": spec.runLatest.configuration.revisionTemplate.metadata.name'
    ],
    [
      'inline template refuses the deprecated container',
      { template: { spec: { container } } },
      'must not set the field(s): spec.template.spec.container'
    ],
    [
      'inline revisionTemplate is deprecated',
      { revisionTemplate: { spec: { containers: [container] } } },
      'must not set the field(s): spec.revisionTemplate'
    ],
    [
      'inline traffic must sum to 100',
      {
        template: { spec: { containers: [container] } },
        traffic: [{ revisionName: 'hello-00001', percent: 90 }]
      },
      'Traffic targets sum to 90, want 100: spec.traffic'
    ],
    [
      'inline traffic refuses the deprecated name',
      {
        template: { spec: { containers: [container] } },
        traffic: [{ name: 'current', revisionName: 'hello-00001', percent: 100 }]
      },
      'must not set the field(s): spec.traffic[0].name'
    ],
    [
      'inline traffic with duplicate tags',
      {
        template: { spec: { containers: [container] } },
        traffic: [
          { tag: 'a', revisionName: 'hello-1', percent: 50 },
          { tag: 'a', revisionName: 'hello-2', percent: 50 }
        ]
      },
      'Multiple definitions for "a": spec.traffic[0].tag, spec.traffic[1].tag'
    ]
  ])('%s', (_name, spec, expected) => {
    const err = validateV1alpha1Service(svc(spec))
    expect(err?.message).toBe(expected)
    if (expected) expect(err).toBeInstanceOf(FieldError)
  })
})

describe('convertV1alpha1Service', () => {
  const template = { spec: { containers: [container] } }
  test.each<[string, unknown, unknown]>([
    [
      'runLatest → 100% latest',
      { runLatest: { configuration: config } },
      { template, traffic: [{ percent: 100, latestRevision: true }] }
    ],
    [
      'pinned → 100% to the revision, untagged',
      { pinned: { revisionName: 'hello-00001', configuration: config } },
      { template, traffic: [{ revisionName: 'hello-00001', percent: 100 }] }
    ],
    [
      'release, one revision → current 100, latest 0',
      { release: { revisions: ['hello-00001'], configuration: config } },
      {
        template,
        traffic: [
          { tag: 'current', revisionName: 'hello-00001', percent: 100 },
          { tag: 'latest', latestRevision: true, percent: 0 }
        ]
      }
    ],
    [
      'release, two revisions → current, candidate, latest',
      {
        release: {
          revisions: ['hello-00001', 'hello-00004'],
          rolloutPercent: 20,
          configuration: config
        }
      },
      {
        template,
        traffic: [
          { tag: 'current', revisionName: 'hello-00001', percent: 80 },
          { tag: 'candidate', revisionName: 'hello-00004', percent: 20 },
          { tag: 'latest', latestRevision: true, percent: 0 }
        ]
      }
    ],
    [
      'release, @latest candidate follows the latest revision',
      {
        release: {
          revisions: ['hello-00001', '@latest'],
          rolloutPercent: 50,
          configuration: config
        }
      },
      {
        template,
        traffic: [
          { tag: 'current', revisionName: 'hello-00001', percent: 50 },
          { tag: 'candidate', latestRevision: true, percent: 50 },
          { tag: 'latest', latestRevision: true, percent: 0 }
        ]
      }
    ],
    [
      'release, @latest alone',
      { release: { revisions: ['@latest'], configuration: config } },
      {
        template,
        traffic: [
          { tag: 'current', latestRevision: true, percent: 100 },
          { tag: 'latest', latestRevision: true, percent: 0 }
        ]
      }
    ],
    [
      'release, rolloutPercent 0 keeps a 0% candidate',
      { release: { revisions: ['hello-1', 'hello-2'], rolloutPercent: 0, configuration: config } },
      {
        template,
        traffic: [
          { tag: 'current', revisionName: 'hello-1', percent: 100 },
          { tag: 'candidate', revisionName: 'hello-2', percent: 0 },
          { tag: 'latest', latestRevision: true, percent: 0 }
        ]
      }
    ],
    [
      'inline template and traffic are copied; name becomes tag',
      {
        template: { spec: { containers: [container] } },
        traffic: [{ name: 'blue', revisionName: 'hello-1', percent: 100 }]
      },
      { template, traffic: [{ tag: 'blue', revisionName: 'hello-1', percent: 100 }] }
    ],
    [
      'inline template without traffic stays without',
      { template: { spec: { containers: [container] } } },
      { template }
    ],
    [
      'template metadata and other spec fields survive; concurrencyModel Single → 1',
      {
        runLatest: {
          configuration: {
            template: {
              metadata: { name: 'hello-v2', labels: { a: 'b' } },
              spec: {
                container,
                timeoutSeconds: 30,
                concurrencyModel: 'Single',
                servingState: 'Active'
              }
            }
          }
        }
      },
      {
        template: {
          metadata: { name: 'hello-v2', labels: { a: 'b' } },
          spec: { timeoutSeconds: 30, containerConcurrency: 1, containers: [container] }
        },
        traffic: [{ percent: 100, latestRevision: true }]
      }
    ]
  ])('%s', (_name, spec, expectedSpec) => {
    const v1 = convertV1alpha1Service(svc(spec))
    expect(v1).toEqual({
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'hello', namespace: 'default' },
      spec: expectedSpec
    })
  })

  test.each<[string, unknown, string, string]>([
    [
      'manual cannot be migrated',
      { manual: {} },
      'manual',
      'manual mode cannot be migrated forward.'
    ],
    [
      'build cannot be migrated',
      {
        runLatest: {
          configuration: { build: { steps: [] }, revisionTemplate: { spec: { container } } }
        }
      },
      'runLatest.configuration.build',
      'build cannot be migrated forward.'
    ],
    [
      'no mode has nothing to convert',
      {},
      '',
      'expected exactly one of runLatest, release, pinned, template'
    ]
  ])('%s', (_name, spec, field, message) => {
    let thrown: unknown
    try {
      convertV1alpha1Service(svc(spec))
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(ConversionError)
    expect((thrown as ConversionError).message).toBe(message)
    expect((thrown as ConversionError).field).toBe(field)
  })

  test('the input object is not modified', () => {
    const input = svc({
      runLatest: {
        configuration: { revisionTemplate: { spec: { container, concurrencyModel: 'Single' } } }
      }
    })
    const before = structuredClone(input)
    convertV1alpha1Service(input)
    expect(input).toEqual(before)
  })
})
