// Knative's validating webhook on traffic, metadata, names and updates, as a user meets it:
// each row is one write against the full emulator, through @kubernetes/client-node and
// again through kubectl, refused with the exact message the API server relays. Each row
// names the knative/serving source (knative-v1.21.0) it encodes; the container rules are
// webhook-conformance.test.ts. (test/unit/emulator/knative/admission.test.ts has the same
// rules against admit() alone, with v1alpha1.)

import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node'
import { kubectl, withEmulator, withoutWarnings } from '../../../helpers/emulator.js'
import { failedCall } from '../../../helpers/serving-clients.js'

const emulator = withEmulator({ statusDelayMs: 5 })
const DENIED =
  'admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: '
const ROUTE = 'pkg/apis/serving/v1/route_validation.go'
const META = 'pkg/apis/serving/metadata_validation.go'
const PKG_META = 'knative/pkg apis/metadata_validation.go'
const REVISION = 'pkg/apis/serving/v1/revision_validation.go'
const SERVICE = 'pkg/apis/serving/v1/service_validation.go'
const K8S = 'pkg/apis/serving/k8s_validation.go'
const DNS1035 =
  "[a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]"
const QNAME =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

let api: CustomObjectsApi
beforeAll(() => {
  const kc = new KubeConfig()
  kc.loadFromFile(emulator().kubeconfigPath)
  api = kc.makeApiClient(CustomObjectsApi)
})

let seq = 0
const fresh = (prefix: string) => `${prefix}-${++seq}`
const template = (name?: string) => ({
  metadata: name ? { name } : {},
  spec: { containers: [{ image: 'docker.io/acme/hello:v1' }] }
})
const service = (name: string, spec: any = {}, metadata: any = {}) => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name, ...metadata },
  spec: { template: template(), ...spec }
})
const route = (name: string, traffic: unknown[], metadata: any = {}) => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Route',
  metadata: { name, ...metadata },
  spec: { traffic }
})
const revision = (name: string) => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Revision',
  metadata: { name },
  spec: { containers: [{ image: 'docker.io/acme/hello:v1' }] }
})
const PLURAL: Record<string, string> = {
  Service: 'services',
  Route: 'routes',
  Configuration: 'configurations',
  Revision: 'revisions'
}

/** A create (`make` with a fresh name), or an update: `base` created, then `edit` of it sent. */
interface Write {
  make: (name: string) => any
  edit?: (live: any) => void
}
type Row = [name: string, source: string, write: Write, message: string]

const traffic = (t: unknown[]): Write => ({ make: (n) => service(n, { traffic: t }) })
const routed = (t: unknown[], metadata: any = {}): Write => ({
  make: (n) => route(n, t, metadata)
})
const byo = (n: string) => `${n}-v1`

const refused: Row[] = [
  [
    'traffic must sum to 100',
    ROUTE,
    traffic([{ latestRevision: true, percent: 50 }]),
    'Traffic targets sum to 50, want 100: spec.traffic'
  ],
  [
    'each percent within 0..100, errors sorted by message',
    ROUTE,
    traffic([
      { latestRevision: true, percent: 101 },
      { revisionName: 'x-a', percent: -1 }
    ]),
    'expected 0 <= -1 <= 100: spec.traffic[1].percent\nexpected 0 <= 101 <= 100: spec.traffic[0].percent'
  ],
  [
    'a tag must be a DNS-1035 label (odd path)',
    ROUTE,
    traffic([{ tag: 'Current', latestRevision: true, percent: 100 }]),
    `invalid value: not a DNS 1035 label: ${DNS1035}: spec.traffic.tag[0]`
  ],
  [
    'tags are unique',
    ROUTE,
    traffic([
      { tag: 'current', revisionName: 'x-a', percent: 100 },
      { tag: 'current', latestRevision: true, percent: 0 }
    ]),
    'Multiple definitions for "current": spec.traffic[0].tag, spec.traffic[1].tag'
  ],
  [
    'revisionName with latestRevision true',
    ROUTE,
    traffic([{ revisionName: 'x-a', latestRevision: true, percent: 100 }]),
    'may not set revisionName "x-a" when latestRevision is true: spec.traffic[0].latestRevision'
  ],
  [
    'latestRevision false needs a revisionName',
    ROUTE,
    traffic([{ latestRevision: false, percent: 100 }]),
    'may not set revisionName "" when latestRevision is false: spec.traffic[0].latestRevision'
  ],
  [
    'configurationName is implied in a Service',
    ROUTE,
    traffic([{ configurationName: 'x', percent: 100 }]),
    'must not set the field(s): spec.traffic[0].configurationName'
  ],
  [
    'url is status only',
    ROUTE,
    traffic([{ latestRevision: true, percent: 100, url: 'http://x' }]),
    'must not set the field(s): spec.traffic[0].url'
  ],
  [
    'revisionName must be a qualified name',
    ROUTE,
    traffic([{ revisionName: 'bad name!', percent: 100 }]),
    `invalid key name "bad name!": spec.traffic[0].revisionName\n${QNAME}`
  ],
  [
    'several problems: sorted by message, uppercase first',
    'knative/pkg apis/field_error.go',
    traffic([
      { tag: 'a', revisionName: 'x-a', percent: 10 },
      { tag: 'a', latestRevision: true, percent: 10 }
    ]),
    'Multiple definitions for "a": spec.traffic[0].tag, spec.traffic[1].tag\nTraffic targets sum to 20, want 100: spec.traffic'
  ],
  [
    'a Route target needs exactly one of revision / configuration (both)',
    ROUTE,
    routed([{ revisionName: 'x-1', configurationName: 'x', percent: 100 }]),
    'expected exactly one, got both: spec.traffic[0].configurationName, spec.traffic[0].revisionName'
  ],
  [
    'a Route target needs exactly one of revision / configuration (neither)',
    ROUTE,
    routed([{ percent: 100 }]),
    'expected exactly one, got neither: spec.traffic[0].configurationName, spec.traffic[0].revisionName'
  ],
  [
    'a Route sums to 100 too',
    ROUTE,
    routed([{ configurationName: 'x', percent: 40 }]),
    'Traffic targets sum to 40, want 100: spec.traffic'
  ],
  [
    'a Route may not carry autoscaling annotations',
    META,
    routed([{ configurationName: 'x', percent: 100 }], {
      annotations: { 'autoscaling.knative.dev/min-scale': '1' }
    }),
    'invalid key name "autoscaling.knative.dev/min-scale": metadata.annotations\nautoscaling annotations must be put under "spec.template.metadata.annotations" to work'
  ],
  [
    'a Route labelled for a Service that does not own it',
    ROUTE,
    routed([{ configurationName: 'x', percent: 100 }], {
      labels: { 'serving.knative.dev/service': 'x' }
    }),
    'missing field(s): metadata.labels.serving.knative.dev/service'
  ],
  [
    'rollout-duration not negative (on a Route)',
    META,
    routed([{ configurationName: 'x', percent: 100 }], {
      annotations: { 'serving.knative.dev/rollout-duration': '-5s' }
    }),
    'rollout-duration=-5s must be positive: metadata.annotations.serving.knative.dev/rollout-duration'
  ],
  [
    'a name must be a DNS-1035 label',
    PKG_META,
    { make: () => service('my.svc') },
    `not a DNS 1035 label: ${DNS1035}: metadata.name`
  ],
  [
    'a name at most 63 characters',
    PKG_META,
    { make: () => service('a'.repeat(64)) },
    'not a DNS 1035 label: [must be no more than 63 characters]: metadata.name'
  ],
  [
    'autoscaling annotations belong on the template',
    META,
    { make: (n) => service(n, {}, { annotations: { 'autoscaling.knative.dev/min-scale': '1' } }) },
    'invalid key name "autoscaling.knative.dev/min-scale": metadata.annotations\nautoscaling annotations must be put under "spec.template.metadata.annotations" to work'
  ],
  [
    'rollout-duration must parse',
    META,
    {
      make: (n) =>
        service(n, {}, { annotations: { 'serving.knative.dev/rollout-duration': 'soon' } })
    },
    'invalid value: soon: metadata.annotations.serving.knative.dev/rollout-duration'
  ],
  [
    'rollout-duration whole seconds',
    META,
    {
      make: (n) =>
        service(n, {}, { annotations: { 'serving.knative.dev/rollout-duration': '1500ms' } })
    },
    'rollout-duration=1500ms is not at second precision: metadata.annotations.serving.knative.dev/rollout-duration'
  ],
  [
    'a BYO revision name has the Service prefix',
    REVISION,
    { make: (n) => service(n, { template: template('other-v1') }) },
    'invalid value: "other-v1" must have prefix "{name}-": spec.template.metadata.name'
  ],
  [
    'a BYO revision name is a DNS-1035 label',
    REVISION,
    { make: (n) => service(n, { template: template(`${n}-V1`) }) },
    `invalid value: not a DNS 1035 label: ${DNS1035}: spec.template.metadata.name`
  ],
  [
    'a Configuration BYO name has the Configuration prefix',
    REVISION,
    {
      make: (n) => ({
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Configuration',
        metadata: { name: n },
        spec: { template: template('other-v1') }
      })
    },
    'invalid value: "other-v1" must have prefix "{name}-": spec.template.metadata.name'
  ],
  [
    'timeoutSeconds at most 600',
    REVISION,
    {
      make: (n) => service(n, { template: { spec: { ...template().spec, timeoutSeconds: 601 } } })
    },
    'expected 0 <= 601 <= 600: spec.template.spec.timeoutSeconds'
  ],
  [
    'containerConcurrency at most 1000',
    META,
    {
      make: (n) =>
        service(n, { template: { spec: { ...template().spec, containerConcurrency: 1001 } } })
    },
    'expected 0 <= 1001 <= 1000: spec.template.spec.containerConcurrency'
  ],
  [
    'a container needs an image',
    K8S,
    { make: (n) => service(n, { template: { spec: { containers: [{ name: 'c' }] } } }) },
    'missing field(s): spec.template.spec.containers[0].image'
  ],
  [
    'the template changed under the same BYO name',
    REVISION,
    {
      make: (n) => service(n, { template: template(byo(n)) }),
      edit: (s) => (s.spec.template.spec.containers[0].image = 'docker.io/acme/hello:v2')
    },
    'Saw the following changes without a name change (-old +new): spec.template.metadata.name\n{*v1.RevisionTemplateSpec}.Spec.PodSpec.Containers[0].Image:\n\t-: "docker.io/acme/hello:v1"\n\t+: "docker.io/acme/hello:v2"\n'
  ],
  [
    'the creator annotation is immutable',
    SERVICE,
    {
      make: (n) => service(n),
      edit: (s) => (s.metadata.annotations['serving.knative.dev/creator'] = 'mallory')
    },
    'annotation value is immutable: metadata.annotations.serving.knative.dev/creator'
  ],
  [
    'lastModifier moves only with the spec',
    SERVICE,
    {
      make: (n) => service(n),
      edit: (s) => (s.metadata.annotations['serving.knative.dev/lastModifier'] = 'mallory')
    },
    'invalid value: mallory: metadata.annotations.serving.knative.dev/lastModifier'
  ],
  [
    'a Revision spec is immutable',
    REVISION,
    {
      make: (n) => revision(n),
      edit: (r) => (r.spec.containers[0].image = 'docker.io/acme/hello:v2')
    },
    'Immutable fields changed (-old +new): spec\n{v1.RevisionSpec}.PodSpec.Containers[0].Image:\n\t-: "docker.io/acme/hello:v1"\n\t+: "docker.io/acme/hello:v2"\n'
  ]
]

const group = (plural: string) => ({
  group: 'serving.knative.dev',
  version: 'v1',
  namespace: 'default',
  plural
})

/** The code and message of a client-node call that must fail. */
async function failure(call: () => Promise<unknown>): Promise<{ code: number; message: string }> {
  const { code, body } = await failedCall(call())
  return { code, message: body.message }
}

/** Read, edit and replace `name`, again on a 409 (the controller writes status meanwhile). */
async function replaced(plural: string, name: string, edit: (o: any) => void) {
  for (let attempt = 0; ; attempt++) {
    const body: any = await api.getNamespacedCustomObject({ ...group(plural), name })
    edit(body)
    const got = await failure(() =>
      api.replaceNamespacedCustomObject({ ...group(plural), name, body })
    )
    if (got.code !== 409 || attempt > 20) return got
  }
}

describe('client-node: refused with 400 BadRequest and the exact message', () => {
  test.each(refused)('%s (%s)', async (_name, _source, { make, edit }, message) => {
    const name = fresh('cn')
    const body = make(name)
    const plural = PLURAL[body.kind]
    const expected = { code: 400, message: DENIED + message.replace('{name}', name) }
    if (!edit) {
      expect(
        await failure(() => api.createNamespacedCustomObject({ ...group(plural), body }))
      ).toEqual(expected)
      return
    }
    await api.createNamespacedCustomObject({ ...group(plural), body })
    expect(await replaced(plural, body.metadata.name, edit)).toEqual(expected)
  })
})

const kube = (args: string[], stdin?: string) => kubectl(emulator(), args, stdin)

describe('kubectl: refused, the denial printed as the API server relays it', () => {
  test.each(refused)('%s (%s)', async (_name, _source, { make, edit }, message) => {
    const name = fresh('kc')
    const body = make(name)
    // withoutWarnings drops empty lines, so the diff messages' final newline too.
    const denial = DENIED + message.replace('{name}', name).replace(/\n$/, '')
    const create = await kube(['create', '-f', '-'], JSON.stringify(body))
    if (!edit) {
      expect([create.code, withoutWarnings(create.stderr)]).toEqual([
        1,
        `Error from server (BadRequest): error when creating "STDIN": ${denial}`
      ])
      return
    }
    expect(create.code).toBe(0)
    const ref = `${PLURAL[body.kind]}.serving.knative.dev/${body.metadata.name}`
    for (let attempt = 0; ; attempt++) {
      const live = JSON.parse((await kube(['get', ref, '-o', 'json'])).stdout)
      edit(live)
      const res = await kube(['replace', '-f', '-'], JSON.stringify(live))
      if (/the object has been modified/.test(res.stderr) && attempt < 20) continue
      expect([res.code, withoutWarnings(res.stderr)]).toEqual([
        1,
        `Error from server (BadRequest): error when replacing "STDIN": ${denial}`
      ])
      return
    }
  })
})

describe('accepted', () => {
  const accepted: [name: string, source: string, body: () => any][] = [
    // No release from 1.18 checks the label's value (1.0's ValidateClusterVisibilityLabel).
    [
      'any visibility label value',
      SERVICE,
      () => service(fresh('ok'), {}, { labels: { 'networking.knative.dev/visibility': 'public' } })
    ],
    [
      'a whole-second rollout-duration',
      META,
      () =>
        service(fresh('ok'), {}, { annotations: { 'serving.knative.dev/rollout-duration': '60s' } })
    ],
    [
      'a BYO revision name with the prefix',
      REVISION,
      () => {
        const n = fresh('ok')
        return service(n, { template: template(byo(n)) })
      }
    ]
  ]
  test.each(accepted)('client-node: %s (%s)', async (_name, _source, body) => {
    const created: any = await api.createNamespacedCustomObject({
      ...group('services'),
      body: body()
    })
    expect(created.metadata.generation).toBe(1)
  })
  test.each(accepted)('kubectl: %s (%s)', async (_name, _source, body) => {
    const res = await kube(['create', '-f', '-'], JSON.stringify(body()))
    expect([res.code, withoutWarnings(res.stderr)]).toEqual([0, ''])
  })
})
