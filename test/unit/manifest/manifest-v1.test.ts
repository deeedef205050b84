import { validateV1Service } from '../../../src/manifest/v1.js'

const DNS1035 =
  "[a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]"
const QUALIFIED =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

const template = { spec: { containers: [{ image: 'ghcr.io/acme/hello:1' }] } }
const svc = (traffic: unknown, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'hello' },
  spec: { template, traffic, ...extra }
})

describe("validateV1Service: traffic, with the webhook's messages", () => {
  test.each<[string, unknown, string | undefined]>([
    ['absent traffic (defaulting fills it)', undefined, undefined],
    ['100% latest', [{ latestRevision: true, percent: 100 }], undefined],
    [
      'the release form',
      [
        { tag: 'current', revisionName: 'hello-1', percent: 80 },
        { tag: 'candidate', revisionName: 'hello-2', percent: 20 },
        { tag: 'latest', latestRevision: true }
      ],
      undefined
    ],
    [
      'duplicate untagged revisions are fine',
      [
        { revisionName: 'hello-1', percent: 50 },
        { revisionName: 'hello-1', percent: 50 }
      ],
      undefined
    ],
    [
      'latestRevision false with a revision name',
      [{ revisionName: 'hello-1', latestRevision: false, percent: 100 }],
      undefined
    ],
    [
      'a sum below 100',
      [{ revisionName: 'hello-1', percent: 60 }],
      'Traffic targets sum to 60, want 100: spec.traffic'
    ],
    [
      'a sum above 100',
      [
        { revisionName: 'hello-1', percent: 60 },
        { latestRevision: true, percent: 50 }
      ],
      'Traffic targets sum to 110, want 100: spec.traffic'
    ],
    [
      'a percent out of range',
      [
        { revisionName: 'hello-1', percent: 101 },
        { latestRevision: true, percent: -1 }
      ],
      'expected 0 <= -1 <= 100: spec.traffic[1].percent\nexpected 0 <= 101 <= 100: spec.traffic[0].percent'
    ],
    [
      "a tag that is not a DNS-1035 label (Knative's odd path)",
      [{ tag: 'Blue', revisionName: 'hello-1', percent: 100 }],
      `invalid value: not a DNS 1035 label: ${DNS1035}: spec.traffic.tag[0]`
    ],
    [
      'a duplicate tag',
      [
        { tag: 'a', revisionName: 'hello-1', percent: 50 },
        { tag: 'b', revisionName: 'hello-1', percent: 0 },
        { tag: 'a', revisionName: 'hello-2', percent: 50 }
      ],
      'Multiple definitions for "a": spec.traffic[0].tag, spec.traffic[2].tag'
    ],
    [
      'revisionName with latestRevision true',
      [{ revisionName: 'hello-1', latestRevision: true, percent: 100 }],
      'may not set revisionName "hello-1" when latestRevision is true: spec.traffic[0].latestRevision'
    ],
    [
      'latestRevision false without a revision',
      [{ latestRevision: false, percent: 100 }],
      'may not set revisionName "" when latestRevision is false: spec.traffic[0].latestRevision'
    ],
    [
      'configurationName inside a Service',
      [{ configurationName: 'hello', percent: 100 }],
      'must not set the field(s): spec.traffic[0].configurationName'
    ],
    [
      'a url in spec',
      [{ latestRevision: true, percent: 100, url: 'http://x' }],
      'must not set the field(s): spec.traffic[0].url'
    ],
    [
      'a revision name that is not a qualified name',
      [{ revisionName: 'hello_1!', percent: 100 }],
      `invalid key name "hello_1!": spec.traffic[0].revisionName\n${QUALIFIED}`
    ]
  ])('%s', (_name, traffic, expected) => {
    expect(validateV1Service(svc(traffic))?.message).toBe(expected)
  })
})

describe('validateV1Service: metadata and template', () => {
  test.each<[string, unknown, string | undefined]>([
    ['a valid Service', svc(undefined), undefined],
    [
      'generateName instead of name',
      { ...svc(undefined), metadata: { generateName: 'hello-' } },
      undefined
    ],
    [
      'no name',
      { ...svc(undefined), metadata: {} },
      'name or generateName is required: metadata.name'
    ],
    [
      'a name that is too long',
      { ...svc(undefined), metadata: { name: 'h'.repeat(64) } },
      'not a DNS 1035 label: [must be no more than 63 characters]: metadata.name'
    ],
    ['no spec', { metadata: { name: 'hello' } }, 'missing field(s): spec'],
    ['no template', { metadata: { name: 'hello' }, spec: {} }, 'missing field(s): spec.template'],
    [
      'no containers',
      { metadata: { name: 'hello' }, spec: { template: { spec: {} } } },
      'missing field(s): spec.template.spec.containers'
    ],
    [
      'a BYO name that is not a label',
      svc(undefined, { template: { ...template, metadata: { name: 'hello-V2' } } }),
      `invalid value: not a DNS 1035 label: ${DNS1035}: spec.template.metadata.name`
    ],
    [
      'a BYO name without the prefix',
      svc(undefined, { template: { ...template, metadata: { name: 'v2' } } }),
      'invalid value: "v2" must have prefix "hello-": spec.template.metadata.name'
    ],
    [
      'errors in several places at once, sorted by message',
      {
        metadata: { name: 'hello' },
        spec: {
          template: { spec: { containers: [{}] } },
          traffic: [{ revisionName: 'hello-1', percent: 50 }]
        }
      },
      'Traffic targets sum to 50, want 100: spec.traffic\nmissing field(s): spec.template.spec.containers[0].image'
    ]
  ])('%s', (_name, obj, expected) => {
    expect(validateV1Service(obj)?.message).toBe(expected)
  })
})
