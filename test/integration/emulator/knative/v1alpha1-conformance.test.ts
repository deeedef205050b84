// The legacy serving.knative.dev/v1alpha1 Service as a user meets it, on an emulator started
// with --serve-v1alpha1: each row is one write at v1alpha1 through @kubernetes/client-node
// and again through kubectl. No release the emulator plays (1.18-1.21) serves v1alpha1
// Services; it follows the last that did, knative/serving v0.18.0 (unchanged since v0.10),
// whose defaulting webhook upgrades a mode to the inline v1 form (service_defaults.go,
// "upgrade via defaulting") before validation, so validation meets a mode only when that
// conversion fails. test/unit/emulator/knative/admission.test.ts and
// test/unit/manifest/manifest-v1alpha1.test.ts have the rules alone.

import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node'
import { kubectl, withEmulator, withoutWarnings } from '../../../helpers/emulator.js'
import { failedCall } from '../../../helpers/serving-clients.js'

const emulator = withEmulator({ statusDelayMs: 5, serveV1alpha1: true })
const G = { group: 'serving.knative.dev', namespace: 'default', plural: 'services' }
const DENIED =
  'admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: '
const V = 'knative/serving v0.18.0 pkg/apis/serving/v1alpha1'
const SERVICE = `${V}/service_validation.go`
const CONFIG = `${V}/configuration_validation.go`
const CONVERSION = `${V}/service_conversion.go`

let api: CustomObjectsApi
beforeAll(() => {
  const kc = new KubeConfig()
  kc.loadFromFile(emulator().kubeconfigPath)
  api = kc.makeApiClient(CustomObjectsApi)
})

const container = { image: 'docker.io/acme/hello:v1' }
const config = { revisionTemplate: { spec: { container } } }
let seq = 0
const service = (spec: unknown) => ({
  apiVersion: 'serving.knative.dev/v1alpha1',
  kind: 'Service',
  metadata: { name: `va-${++seq}` },
  spec
})

type Refused = [name: string, source: string, spec: unknown, message: string]
// Each one a write the v1 conversion refuses (so the mode is still there to validate).
const refused: Refused[] = [
  [
    'manual mode (it cannot be migrated forward)',
    SERVICE,
    { manual: {} },
    'must not set the field(s): spec.manual'
  ],
  [
    'no mode at all',
    SERVICE,
    {},
    'expected exactly one, got neither: spec.pinned, spec.release, spec.runLatest, spec.template'
  ],
  [
    'a mode with an empty configuration',
    CONFIG,
    { runLatest: { configuration: {} } },
    'missing field(s): spec.runLatest.configuration'
  ],
  [
    'revisionTemplate and template together',
    CONFIG,
    {
      runLatest: {
        configuration: {
          revisionTemplate: { spec: { container } },
          template: { spec: { container } }
        }
      }
    },
    'expected exactly one, got both: spec.runLatest.configuration.revisionTemplate, spec.runLatest.configuration.template'
  ]
]

describe('refused at v1alpha1: 400 BadRequest with the exact message', () => {
  test.each(refused)('client-node: %s (%s)', async (_name, _source, spec, message) => {
    const { code, body } = await failedCall(
      api.createNamespacedCustomObject({ ...G, version: 'v1alpha1', body: service(spec) })
    )
    expect({ code, message: body.message }).toEqual({ code: 400, message: DENIED + message })
  })
  test.each(refused)('kubectl: %s (%s)', async (_name, _source, spec, message) => {
    const res = await kubectl(emulator(), ['create', '-f', '-'], JSON.stringify(service(spec)))
    expect([res.code, withoutWarnings(res.stderr)]).toEqual([
      1,
      `Error from server (BadRequest): error when creating "STDIN": ${DENIED}${message}`
    ])
  })
})

type Converted = [name: string, source: string, spec: (n: string) => unknown, traffic: unknown[]]
const converted: Converted[] = [
  [
    'runLatest: the latest revision at 100%',
    CONVERSION,
    () => ({ runLatest: { configuration: config } }),
    [{ latestRevision: true, percent: 100 }]
  ],
  [
    'pinned: the named revision at 100%',
    CONVERSION,
    (n) => ({ pinned: { revisionName: `${n}-00001`, configuration: config } }),
    [{ revisionName: '{n}-00001', percent: 100, latestRevision: false }]
  ],
  [
    'release of two: current, candidate at rolloutPercent, latest at 0',
    CONVERSION,
    (n) => ({
      release: { revisions: [`${n}-a`, `${n}-b`], rolloutPercent: 20, configuration: config }
    }),
    [
      { tag: 'current', revisionName: '{n}-a', percent: 80, latestRevision: false },
      { tag: 'candidate', revisionName: '{n}-b', percent: 20, latestRevision: false },
      { tag: 'latest', latestRevision: true, percent: 0 }
    ]
  ],
  [
    'release of one, with @latest as the candidate',
    CONVERSION,
    (n) => ({
      release: { revisions: [`${n}-a`, '@latest'], rolloutPercent: 50, configuration: config }
    }),
    [
      { tag: 'current', revisionName: '{n}-a', percent: 50, latestRevision: false },
      { tag: 'candidate', latestRevision: true, percent: 50 },
      { tag: 'latest', latestRevision: true, percent: 0 }
    ]
  ],
  [
    'release of one: current at 100, latest at 0',
    CONVERSION,
    (n) => ({ release: { revisions: [`${n}-a`], configuration: config } }),
    [
      { tag: 'current', revisionName: '{n}-a', percent: 100, latestRevision: false },
      { tag: 'latest', latestRevision: true, percent: 0 }
    ]
  ]
]

/** What a reader at each version sees: the inline form, never the mode. */
const shape = (o: any) => ({
  apiVersion: o.apiVersion,
  modes: ['runLatest', 'pinned', 'release', 'manual'].filter((m) => o.spec[m] !== undefined),
  traffic: o.spec.traffic,
  image: o.spec.template.spec.containers[0].image
})
const want = (version: string, n: string, traffic: unknown[]) => ({
  apiVersion: `serving.knative.dev/${version}`,
  modes: [],
  traffic: JSON.parse(JSON.stringify(traffic).replaceAll('{n}', n)),
  image: container.image
})

describe('converted to the inline v1 form (upgrade via defaulting), read back so at both versions', () => {
  test.each(converted)('client-node: %s (%s)', async (_name, _source, spec, traffic) => {
    const body = service(null)
    const n = body.metadata.name
    body.spec = spec(n)
    await api.createNamespacedCustomObject({ ...G, version: 'v1alpha1', body })
    const at = async (version: string) =>
      shape(await api.getNamespacedCustomObject({ ...G, version, name: n }))
    expect([await at('v1alpha1'), await at('v1')]).toEqual([
      want('v1alpha1', n, traffic),
      want('v1', n, traffic)
    ])
  })
  test.each(converted)('kubectl: %s (%s)', async (_name, _source, spec, traffic) => {
    const body = service(null)
    const n = body.metadata.name
    body.spec = spec(n)
    const res = await kubectl(emulator(), ['create', '-f', '-'], JSON.stringify(body))
    expect([res.code, res.stdout, withoutWarnings(res.stderr)]).toEqual([
      0,
      `service.serving.knative.dev/${n} created
`,
      ''
    ])
    const at = async (version: string) => {
      const got = await kubectl(emulator(), [
        'get',
        `services.${version}.serving.knative.dev`,
        n,
        '-o',
        'json'
      ])
      return shape(JSON.parse(got.stdout))
    }
    expect([await at('v1alpha1'), await at('v1')]).toEqual([
      want('v1alpha1', n, traffic),
      want('v1', n, traffic)
    ])
  })
})
