// The webhook's exact messages (Knative's *_validation_test.go in spirit): one denied
// write per row, and the defaulting that runs before validation.

import { admit } from '../../../../emulator/knative/index.js'
import { defaultSettings } from '../../../../emulator/settings.js'
import type { KObject } from '../../../../emulator/store.js'
import { NS, svc, type } from '../../../helpers/knative-cluster.js'

const settings = defaultSettings()
// Where each rule lives in knative/serving (knative-v1.21.0, but v1alpha1: see below).
const ROUTE = 'pkg/apis/serving/v1/route_validation.go'
const SERVICE = 'pkg/apis/serving/v1/service_validation.go'
const REVISION = 'pkg/apis/serving/v1/revision_validation.go'
const META = 'pkg/apis/serving/metadata_validation.go'
const K8S = 'pkg/apis/serving/k8s_validation.go'
const PKG_META = 'knative/pkg apis/metadata_validation.go'
const FIELD_ERROR = 'knative/pkg apis/field_error.go'
// No release the emulator plays (1.18-1.21) serves v1alpha1 Services; behind
// --serve-v1alpha1 it follows the last that did: knative/serving v0.18.0 (the same since v0.10).
const ROUTE_DEFAULTS = 'pkg/apis/serving/v1/route_defaults.go'
const REVISION_DEFAULTS = 'pkg/apis/serving/v1/revision_defaults.go'
const USER_INFO = 'pkg/apis/serving/metadata_validation.go SetUserInfo (from service_defaults.go)'
const V1ALPHA1_CONVERSION =
  'v0.18.0 pkg/apis/serving/v1alpha1/service_conversion.go, via service_defaults.go (upgrade via defaulting)'
const V1ALPHA1_SERVICE = 'v0.18.0 pkg/apis/serving/v1alpha1/service_validation.go'
const DNS1035 =
  "[a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]"
const QNAME =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

const tmpl = (image = 'img:v1', meta: Record<string, unknown> = {}) => ({
  metadata: meta,
  spec: { containers: [{ image }] }
})
const service = (
  traffic?: unknown[],
  extra: Record<string, unknown> = {},
  meta: Record<string, unknown> = {}
) => svc('s', { template: tmpl(), ...(traffic ? { traffic } : {}), ...extra }, meta)
const route = (traffic: unknown[]): KObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Route',
  metadata: { name: 'r', namespace: NS },
  spec: { traffic }
})
/** The stored form of `service()` after a CREATE by alice. */
const stored = (spec: any = { template: tmpl('img:v1', { name: 's-v1' }) }): KObject =>
  admit(
    {
      operation: 'CREATE',
      resource: type('services'),
      version: 'v1',
      object: svc('s', spec),
      user: 'alice'
    },
    settings
  )
const storedRevision = (): KObject =>
  admit(
    {
      operation: 'CREATE',
      resource: type('revisions'),
      version: 'v1',
      object: {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Revision',
        metadata: { name: 's-00001', namespace: NS },
        spec: { containers: [{ image: 'img:v1' }] }
      },
      user: 'alice'
    },
    settings
  )
const edit = (obj: KObject, mutate: (o: any) => void): KObject => {
  const copy = structuredClone(obj)
  mutate(copy)
  return copy
}

type Row = [
  name: string,
  source: string,
  plural: string,
  object: () => KObject,
  message: string,
  old?: () => KObject,
  version?: string
]

const rows: Row[] = [
  [
    'traffic must sum to 100',
    ROUTE,
    'services',
    () => service([{ latestRevision: true, percent: 50 }]),
    'Traffic targets sum to 50, want 100: spec.traffic'
  ],
  [
    'each percent within 0..100, errors sorted by message',
    ROUTE,
    'services',
    () =>
      service([
        { latestRevision: true, percent: 101 },
        { revisionName: 's-a', percent: -1 }
      ]),
    'expected 0 <= -1 <= 100: spec.traffic[1].percent\nexpected 0 <= 101 <= 100: spec.traffic[0].percent'
  ],
  [
    'a tag must be a DNS-1035 label (odd path)',
    ROUTE,
    'services',
    () => service([{ tag: 'Current', latestRevision: true, percent: 100 }]),
    `invalid value: not a DNS 1035 label: ${DNS1035}: spec.traffic.tag[0]`
  ],
  [
    'tags are unique',
    ROUTE,
    'services',
    () =>
      service([
        { tag: 'current', revisionName: 's-a', percent: 100 },
        { tag: 'current', latestRevision: true, percent: 0 }
      ]),
    'Multiple definitions for "current": spec.traffic[0].tag, spec.traffic[1].tag'
  ],
  [
    'revisionName with latestRevision true',
    ROUTE,
    'services',
    () => service([{ revisionName: 's-a', latestRevision: true, percent: 100 }]),
    'may not set revisionName "s-a" when latestRevision is true: spec.traffic[0].latestRevision'
  ],
  [
    'latestRevision false needs a revisionName',
    ROUTE,
    'services',
    () => service([{ latestRevision: false, percent: 100 }]),
    'may not set revisionName "" when latestRevision is false: spec.traffic[0].latestRevision'
  ],
  [
    'configurationName is implied in a Service',
    ROUTE,
    'services',
    () => service([{ configurationName: 's', percent: 100 }]),
    'must not set the field(s): spec.traffic[0].configurationName'
  ],
  [
    'url is status only',
    ROUTE,
    'services',
    () => service([{ latestRevision: true, percent: 100, url: 'http://x' }]),
    'must not set the field(s): spec.traffic[0].url'
  ],
  [
    'revisionName must be a qualified name',
    ROUTE,
    'services',
    () => service([{ revisionName: 'bad name!', percent: 100 }]),
    `invalid key name "bad name!": spec.traffic[0].revisionName\n${QNAME}`
  ],
  [
    'several problems: sorted by message, uppercase first',
    FIELD_ERROR,
    'services',
    () =>
      service([
        { tag: 'a', revisionName: 's-a', percent: 10 },
        { tag: 'a', latestRevision: true, percent: 10 }
      ]),
    'Multiple definitions for "a": spec.traffic[0].tag, spec.traffic[1].tag\nTraffic targets sum to 20, want 100: spec.traffic'
  ],
  [
    'a Route target needs exactly one of revision / configuration (both)',
    ROUTE,
    'routes',
    () => route([{ revisionName: 'x-1', configurationName: 'x', percent: 100 }]),
    'expected exactly one, got both: spec.traffic[0].configurationName, spec.traffic[0].revisionName'
  ],
  [
    'a Route target needs exactly one of revision / configuration (neither)',
    ROUTE,
    'routes',
    () => route([{ percent: 100 }]),
    'expected exactly one, got neither: spec.traffic[0].configurationName, spec.traffic[0].revisionName'
  ],
  [
    'a Route sums to 100 too',
    ROUTE,
    'routes',
    () => route([{ configurationName: 'x', percent: 40 }]),
    'Traffic targets sum to 40, want 100: spec.traffic'
  ],
  [
    'name must be a DNS-1035 label',
    PKG_META,
    'services',
    () => ({ ...service(), metadata: { name: 'My_Svc', namespace: NS } }),
    `not a DNS 1035 label: ${DNS1035}: metadata.name`
  ],
  [
    'name at most 63 characters',
    PKG_META,
    'services',
    () => ({ ...service(), metadata: { name: 'a'.repeat(64), namespace: NS } }),
    'not a DNS 1035 label: [must be no more than 63 characters]: metadata.name'
  ],
  [
    'name or generateName required',
    PKG_META,
    'services',
    () => ({ ...service(), metadata: { namespace: NS } as any }),
    'name or generateName is required: metadata.name'
  ],
  [
    'autoscaling annotations belong on the template',
    META,
    'services',
    () => service(undefined, {}, { annotations: { 'autoscaling.knative.dev/min-scale': '1' } }),
    'invalid key name "autoscaling.knative.dev/min-scale": metadata.annotations\nautoscaling annotations must be put under "spec.template.metadata.annotations" to work'
  ],
  [
    'rollout-duration must parse',
    META,
    'services',
    () =>
      service(undefined, {}, { annotations: { 'serving.knative.dev/rollout-duration': 'soon' } }),
    'invalid value: soon: metadata.annotations.serving.knative.dev/rollout-duration'
  ],
  [
    'rollout-duration whole seconds',
    META,
    'services',
    () =>
      service(undefined, {}, { annotations: { 'serving.knative.dev/rollout-duration': '1500ms' } }),
    'rollout-duration=1500ms is not at second precision: metadata.annotations.serving.knative.dev/rollout-duration'
  ],
  [
    'rollout-duration not negative',
    META,
    'routes',
    () => ({
      ...route([{ configurationName: 'x', percent: 100 }]),
      metadata: {
        name: 'r',
        namespace: NS,
        annotations: { 'serving.knative.dev/rollout-duration': '-5s' }
      }
    }),
    'rollout-duration=-5s must be positive: metadata.annotations.serving.knative.dev/rollout-duration'
  ],
  [
    'a Route may not carry autoscaling annotations either (metadata_validation.go)',
    META,
    'routes',
    () => ({
      ...route([{ configurationName: 'x', percent: 100 }]),
      metadata: {
        name: 'r',
        namespace: NS,
        annotations: { 'autoscaling.knative.dev/min-scale': '1' }
      }
    }),
    'invalid key name "autoscaling.knative.dev/min-scale": metadata.annotations\nautoscaling annotations must be put under "spec.template.metadata.annotations" to work'
  ],
  [
    'a Route labelled for a Service it is not owned by (route_validation.go validateLabels)',
    ROUTE,
    'routes',
    () => ({
      ...route([{ configurationName: 'x', percent: 100 }]),
      metadata: { name: 'r', namespace: NS, labels: { 'serving.knative.dev/service': 'x' } }
    }),
    'missing field(s): metadata.labels.serving.knative.dev/service'
  ],
  [
    'BYO name has the service prefix',
    REVISION,
    'services',
    () => svc('s', { template: tmpl('img', { name: 'other-v1' }) }),
    'invalid value: "other-v1" must have prefix "s-": spec.template.metadata.name'
  ],
  [
    'BYO name is a DNS-1035 label',
    REVISION,
    'services',
    () => svc('s', { template: tmpl('img', { name: 's-V1' }) }),
    `invalid value: not a DNS 1035 label: ${DNS1035}: spec.template.metadata.name`
  ],
  [
    'BYO name under a generateName parent',
    REVISION,
    'services',
    () => ({
      ...svc('s', { template: tmpl('img', { name: 's-v1' }) }),
      metadata: { generateName: 's-', namespace: NS } as any
    }),
    'must not set the field(s): spec.template.metadata.name'
  ],
  [
    'a Configuration BYO name has the configuration prefix',
    REVISION,
    'configurations',
    () => ({
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Configuration',
      metadata: { name: 'c', namespace: NS },
      spec: { template: tmpl('img', { name: 's-v1' }) }
    }),
    'invalid value: "s-v1" must have prefix "c-": spec.template.metadata.name'
  ],
  [
    'timeoutSeconds at most 600',
    REVISION,
    'services',
    () => svc('s', { template: { spec: { timeoutSeconds: 601, containers: [{ image: 'i' }] } } }),
    'expected 0 <= 601 <= 600: spec.template.spec.timeoutSeconds'
  ],
  [
    'containerConcurrency at most 1000',
    META,
    'services',
    () =>
      svc('s', {
        template: { spec: { containerConcurrency: 1001, containers: [{ image: 'i' }] } }
      }),
    'expected 0 <= 1001 <= 1000: spec.template.spec.containerConcurrency'
  ],
  [
    'a container needs an image',
    K8S,
    'services',
    () => svc('s', { template: { spec: { containers: [{ name: 'c' }] } } }),
    'missing field(s): spec.template.spec.containers[0].image'
  ],
  [
    'the template changed under the same BYO name (TestServiceBYOName)',
    REVISION,
    'services',
    () => edit(stored(), (o) => (o.spec.template.spec.containers[0].image = 'img:v2')),
    'Saw the following changes without a name change (-old +new): spec.template.metadata.name\n{*v1.RevisionTemplateSpec}.Spec.PodSpec.Containers[0].Image:\n\t-: "img:v1"\n\t+: "img:v2"\n',
    () => stored()
  ],
  [
    'template labels changed under the same BYO name',
    REVISION,
    'services',
    () => edit(stored(), (o) => (o.spec.template.metadata.labels = { team: 'a' })),
    'Saw the following changes without a name change (-old +new): spec.template.metadata.name\n{*v1.RevisionTemplateSpec}.ObjectMeta.Labels:\n\t-: <non-existent>\n\t+: {"team":"a"}\n',
    () => stored()
  ],
  [
    'creator is immutable',
    SERVICE,
    'services',
    () =>
      edit(stored(), (o) => (o.metadata.annotations['serving.knative.dev/creator'] = 'mallory')),
    'annotation value is immutable: metadata.annotations.serving.knative.dev/creator',
    () => stored()
  ],
  [
    'lastModifier moves only with the spec',
    SERVICE,
    'services',
    () =>
      edit(
        stored(),
        (o) => (o.metadata.annotations['serving.knative.dev/lastModifier'] = 'mallory')
      ),
    'invalid value: mallory: metadata.annotations.serving.knative.dev/lastModifier',
    () => stored()
  ],
  [
    'a Revision spec is immutable',
    REVISION,
    'revisions',
    () => edit(storedRevision(), (o) => (o.spec.containers[0].image = 'img:v2')),
    'Immutable fields changed (-old +new): spec\n{v1.RevisionSpec}.PodSpec.Containers[0].Image:\n\t-: "img:v1"\n\t+: "img:v2"\n',
    () => storedRevision()
  ],
  [
    'v1alpha1: rolloutPercent needs two revisions',
    V1ALPHA1_SERVICE,
    'services',
    () => ({
      apiVersion: 'serving.knative.dev/v1alpha1',
      kind: 'Service',
      metadata: { name: 's', namespace: NS },
      spec: {
        release: {
          revisions: ['s-a'],
          rolloutPercent: 10,
          configuration: { revisionTemplate: tmpl() }
        }
      }
    }),
    'may not set rolloutPercent for a single revision: spec.release.rolloutPercent',
    undefined,
    'v1alpha1'
  ],
  [
    'v1alpha1: manual mode is gone',
    V1ALPHA1_SERVICE,
    'services',
    () => ({
      apiVersion: 'serving.knative.dev/v1alpha1',
      kind: 'Service',
      metadata: { name: 's', namespace: NS },
      spec: { manual: {} }
    }),
    'must not set the field(s): spec.manual',
    undefined,
    'v1alpha1'
  ]
]

describe('admission denies with Knative messages', () => {
  test.each(rows)('%s (%s)', (_name, _source, plural, object, message, old, version = 'v1') => {
    const req = {
      operation: old ? ('UPDATE' as const) : ('CREATE' as const),
      resource: type(plural),
      version,
      object: object(),
      oldObject: old?.(),
      user: 'alice'
    }
    expect(() => admit(req, settings)).toThrow(
      expect.objectContaining({
        code: 400,
        message: `admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: ${message}`
      })
    )
  })
})

describe('defaulting', () => {
  const created = (spec: any) =>
    admit(
      {
        operation: 'CREATE',
        resource: type('services'),
        version: 'v1',
        object: svc('s', spec),
        user: 'alice'
      },
      settings
    )

  test.each<[string, string, () => unknown, unknown]>([
    [
      'empty traffic gets the latest revision at 100%',
      ROUTE_DEFAULTS,
      () => created({ template: tmpl() }).spec.traffic,
      [{ latestRevision: true, percent: 100 }]
    ],
    [
      'each target gets latestRevision and percent',
      ROUTE_DEFAULTS,
      () =>
        created({
          template: tmpl(),
          traffic: [{ revisionName: 's-a', percent: 100 }, { tag: 'latest' }]
        }).spec.traffic,
      [
        { revisionName: 's-a', percent: 100, latestRevision: false },
        { tag: 'latest', latestRevision: true, percent: 0 }
      ]
    ],
    [
      'template defaults: container name, timeout, concurrency, readiness probe, resources, service links (revision_defaults.go)',
      REVISION_DEFAULTS,
      () => created({ template: tmpl() }).spec.template.spec,
      {
        containers: [
          {
            image: 'img:v1',
            name: 'user-container',
            readinessProbe: { tcpSocket: { port: 0 }, successThreshold: 1 },
            resources: {}
          }
        ],
        enableServiceLinks: false,
        timeoutSeconds: 300,
        containerConcurrency: 0
      }
    ],
    [
      'timeoutSeconds 0 means the default; probe periods get the k8s defaults (revision_defaults.go)',
      REVISION_DEFAULTS,
      () =>
        created({
          template: {
            spec: {
              timeoutSeconds: 0,
              containers: [
                { image: 'img:v1', readinessProbe: { httpGet: { path: '/' }, periodSeconds: 5 } }
              ]
            }
          }
        }).spec.template.spec,
      {
        containers: [
          {
            image: 'img:v1',
            name: 'user-container',
            readinessProbe: {
              httpGet: { path: '/' },
              periodSeconds: 5,
              successThreshold: 1,
              failureThreshold: 3,
              timeoutSeconds: 1
            },
            resources: {}
          }
        ],
        enableServiceLinks: false,
        timeoutSeconds: 300,
        containerConcurrency: 0
      }
    ],
    [
      'multi-container names avoid user names; non-emptyDir mounts read-only (revision_defaults.go)',
      REVISION_DEFAULTS,
      () =>
        created({
          template: {
            spec: {
              volumes: [
                { name: 'cfg', configMap: { name: 'cfg' } },
                { name: 'tmp', emptyDir: {} }
              ],
              containers: [
                {
                  image: 'img:v1',
                  ports: [{ containerPort: 8080 }],
                  volumeMounts: [
                    { name: 'cfg', mountPath: '/cfg' },
                    { name: 'tmp', mountPath: '/tmp' }
                  ]
                },
                { image: 'side:v1', name: 'user-container-0' }
              ]
            }
          }
        }).spec.template.spec.containers.map((c: any) => [
          c.name,
          c.volumeMounts,
          !!c.readinessProbe
        ]),
      [
        [
          'user-container-1',
          [
            { name: 'cfg', mountPath: '/cfg', readOnly: true },
            { name: 'tmp', mountPath: '/tmp' }
          ],
          true
        ],
        ['user-container-0', undefined, false]
      ]
    ],
    [
      'creator and lastModifier from the user',
      USER_INFO,
      () => created({ template: tmpl() }).metadata.annotations,
      { 'serving.knative.dev/creator': 'alice', 'serving.knative.dev/lastModifier': 'alice' }
    ],
    [
      'a spec change records the new lastModifier',
      USER_INFO,
      () => {
        const old = created({ template: tmpl() })
        const next = edit(old, (o) => (o.spec.template.spec.containers[0].image = 'img:v2'))
        return admit(
          {
            operation: 'UPDATE',
            resource: type('services'),
            version: 'v1',
            object: next,
            oldObject: old,
            user: 'bob'
          },
          settings
        ).metadata.annotations
      },
      { 'serving.knative.dev/creator': 'alice', 'serving.knative.dev/lastModifier': 'bob' }
    ],
    [
      'a metadata-only change keeps lastModifier',
      USER_INFO,
      () => {
        const old = created({ template: tmpl() })
        const next = edit(old, (o) => (o.metadata.labels = { a: 'b' }))
        return admit(
          {
            operation: 'UPDATE',
            resource: type('services'),
            version: 'v1',
            object: next,
            oldObject: old,
            user: 'bob'
          },
          settings
        ).metadata.annotations
      },
      { 'serving.knative.dev/creator': 'alice', 'serving.knative.dev/lastModifier': 'alice' }
    ],
    [
      'template defaults are skipped on an update keeping the BYO name',
      'pkg/apis/serving/v1/configuration_defaults.go',
      () => {
        const old = created({ template: tmpl('img:v1', { name: 's-v1' }) })
        const next = edit(old, (o) => (o.metadata.labels = { a: 'b' }))
        delete next.spec.template.spec.timeoutSeconds
        delete (old.spec.template.spec as any).timeoutSeconds
        return admit(
          {
            operation: 'UPDATE',
            resource: type('services'),
            version: 'v1',
            object: next,
            oldObject: old,
            user: 'bob'
          },
          settings
        ).spec.template.spec.timeoutSeconds
      },
      undefined
    ],
    [
      'v1alpha1 release converts to tagged v1 traffic',
      V1ALPHA1_CONVERSION,
      () =>
        admit(
          {
            operation: 'CREATE',
            resource: type('services'),
            version: 'v1alpha1',
            object: {
              apiVersion: 'serving.knative.dev/v1alpha1',
              kind: 'Service',
              metadata: { name: 's', namespace: NS },
              spec: {
                release: {
                  revisions: ['s-a', 's-b'],
                  rolloutPercent: 10,
                  configuration: { revisionTemplate: tmpl() }
                }
              }
            },
            user: 'alice'
          },
          settings
        ).spec.traffic,
      [
        { tag: 'current', revisionName: 's-a', percent: 90, latestRevision: false },
        { tag: 'candidate', revisionName: 's-b', percent: 10, latestRevision: false },
        { tag: 'latest', latestRevision: true, percent: 0 }
      ]
    ],
    [
      'v1alpha1 release applied over the inline form it was converted to: the release wins',
      V1ALPHA1_CONVERSION,
      () =>
        admit(
          {
            operation: 'UPDATE',
            resource: type('services'),
            version: 'v1alpha1',
            object: edit(stored({ template: tmpl('img:v1', { name: 's-a' }) }), (o) => {
              o.apiVersion = 'serving.knative.dev/v1alpha1'
              o.spec.release = {
                revisions: ['s-a', 's-b'],
                rolloutPercent: 25,
                configuration: { revisionTemplate: tmpl('img:v2', { name: 's-b' }) }
              }
            }),
            oldObject: stored({ template: tmpl('img:v1', { name: 's-a' }) }),
            user: 'flux'
          },
          settings
        ).spec,
      expect.objectContaining({
        template: expect.objectContaining({
          metadata: expect.objectContaining({ name: 's-b' })
        }),
        traffic: [
          { tag: 'current', revisionName: 's-a', percent: 75, latestRevision: false },
          { tag: 'candidate', revisionName: 's-b', percent: 25, latestRevision: false },
          { tag: 'latest', latestRevision: true, percent: 0 }
        ]
      })
    ],
    [
      // No release from 1.18 validates the label's value (1.0 did: ValidateClusterVisibilityLabel).
      'any visibility label value is accepted; only cluster-local changes the domain',
      SERVICE,
      () =>
        admit(
          {
            operation: 'CREATE',
            resource: type('services'),
            version: 'v1',
            object: service(
              undefined,
              {},
              { labels: { 'networking.knative.dev/visibility': 'public' } }
            ),
            user: 'alice'
          },
          settings
        ).metadata.labels,
      { 'networking.knative.dev/visibility': 'public' }
    ],
    [
      'pods pass through untouched',
      'config/core/webhooks/defaulting.yaml (its rules name no pods)',
      () =>
        admit(
          {
            operation: 'CREATE',
            resource: type('pods'),
            version: 'v1',
            object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } },
            user: 'alice'
          },
          settings
        ),
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }
    ]
  ])('%s (%s)', (_name, _source, actual, expected) => {
    expect(actual()).toEqual(expected)
  })
})
