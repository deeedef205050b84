// Knative's validating webhook, as a user meets it: each row is one Service write against
// the full emulator, through @kubernetes/client-node and again through kubectl apply,
// refused with the exact message the API server relays (or accepted). Each row names the
// knative/serving source (knative-v1.21.0) it encodes.

import { ApiException, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node'
import { kubectl, withEmulator, withoutWarnings } from '../../../helpers/emulator.js'
import { failedCall } from '../../../helpers/serving-clients.js'

const emulator = withEmulator({ statusDelayMs: 5 })
const G = { group: 'serving.knative.dev', version: 'v1', namespace: 'default', plural: 'services' }
const DENIED =
  'admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: '
const K8S = 'pkg/apis/serving/k8s_validation.go'
const MASK = 'pkg/apis/serving/fieldmask.go'
const AUTOSCALING = 'pkg/apis/autoscaling/annotation_validation.go'
const REVISION = 'pkg/apis/serving/v1/revision_validation.go'
const C0 = 'spec.template.spec.containers[0]'
const ANN = 'spec.template.metadata.annotations'

let api: CustomObjectsApi
beforeAll(() => {
  const kc = new KubeConfig()
  kc.loadFromFile(emulator().kubeconfigPath)
  api = kc.makeApiClient(CustomObjectsApi)
})

let seq = 0
function service(edit: (s: any) => void): any {
  const s: any = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: `wh-${++seq}` },
    spec: {
      template: {
        metadata: { annotations: {} },
        spec: { containers: [{ image: 'docker.io/acme/hello:v1' }] }
      }
    }
  }
  edit(s)
  return s
}
const c0 = (s: any) => s.spec.template.spec.containers[0]
const ann = (s: any, values: Record<string, string>) =>
  Object.assign(s.spec.template.metadata.annotations, values)

async function refusal(body: unknown): Promise<{ code: number; reason: string; message: string }> {
  const { code, body: status } = await failedCall(api.createNamespacedCustomObject({ ...G, body }))
  return { code, reason: status.reason, message: status.message }
}

type Row = [name: string, source: string, edit: (s: any) => void, message: string]

const refused: Row[] = [
  [
    'PORT is reserved',
    K8S,
    (s) => (c0(s).env = [{ name: 'PORT', value: '8080' }]),
    `"PORT" is a reserved environment variable: ${C0}.env[0].name`
  ],
  [
    'K_SERVICE, K_CONFIGURATION and K_REVISION are reserved',
    K8S,
    (s) =>
      (c0(s).env = [
        { name: 'OK', value: '1' },
        { name: 'K_SERVICE', value: 'x' },
        { name: 'K_CONFIGURATION', value: 'x' },
        { name: 'K_REVISION', value: 'x' }
      ]),
    [
      `"K_CONFIGURATION" is a reserved environment variable: ${C0}.env[2].name`,
      `"K_REVISION" is a reserved environment variable: ${C0}.env[3].name`,
      `"K_SERVICE" is a reserved environment variable: ${C0}.env[1].name`
    ].join('\n')
  ],
  [
    'a port named http (the classic mistake)',
    K8S,
    (s) => (c0(s).ports = [{ name: 'http', containerPort: 8080 }]),
    `Port name http is not allowed: ${C0}.ports\nName must be empty, or one of: 'h2c', 'http1'`
  ],
  ...[8012, 8013, 8022, 9090, 9091, 8008].map((port): Row => [
    `reserved port ${port}`,
    K8S,
    (s) => (c0(s).ports = [{ containerPort: port }]),
    `invalid value: ${port} is a reserved port: ${C0}.ports.containerPort\n${port} is a reserved port, please use a different value`
  ]),
  [
    'a port out of range',
    K8S,
    (s) => (c0(s).ports = [{ containerPort: 70000 }]),
    `expected 0 <= 70000 <= 65535: ${C0}.ports.containerPort`
  ],
  [
    'more than one port',
    K8S,
    (s) => (c0(s).ports = [{ containerPort: 8080 }, { containerPort: 8081 }]),
    'more than one container port is set: spec.template.spec.containers[*].ports\nOnly a single port is allowed across all containers'
  ],
  [
    'UDP',
    K8S,
    (s) => (c0(s).ports = [{ containerPort: 8080, protocol: 'UDP' }]),
    `invalid value: UDP: ${C0}.ports.protocol`
  ],
  [
    'privileged',
    MASK,
    (s) => (c0(s).securityContext = { privileged: true }),
    `must not set the field(s): ${C0}.securityContext.privileged`
  ],
  [
    'added capabilities',
    MASK,
    (s) => (c0(s).securityContext = { capabilities: { add: ['NET_ADMIN'] } }),
    `must not set the field(s): ${C0}.securityContext.capabilities.add`
  ],
  [
    'runAsUser out of range',
    K8S,
    (s) => (c0(s).securityContext = { runAsUser: -1 }),
    `expected 0 <= -1 <= 2147483647: ${C0}.securityContext.runAsUser`
  ],
  [
    'feature-gated pod fields (nodeSelector, tolerations, hostNetwork)',
    MASK,
    (s) =>
      Object.assign(s.spec.template.spec, {
        nodeSelector: { disk: 'ssd' },
        tolerations: [{ key: 'k', operator: 'Exists' }],
        hostNetwork: true
      }),
    'must not set the field(s): spec.template.spec.hostNetwork, spec.template.spec.nodeSelector, spec.template.spec.tolerations'
  ],
  [
    'pod securityContext with the secure-pod-defaults flag off',
    MASK,
    (s) => (s.spec.template.spec.securityContext = { runAsNonRoot: true }),
    'must not set the field(s): spec.template.spec.securityContext'
  ],
  [
    'the reserved container name queue-proxy',
    K8S,
    (s) => (c0(s).name = 'queue-proxy'),
    `"queue-proxy" is a reserved container name: ${C0}.name`
  ],
  [
    'an image reference that does not parse',
    K8S,
    (s) => (c0(s).image = 'docker.io/acme/hello:v1!'),
    `Failed to parse image reference: ${C0}.image\nimage: "docker.io/acme/hello:v1!", error: could not parse reference: docker.io/acme/hello:v1!`
  ],
  [
    'a probe with two handlers',
    K8S,
    (s) => (c0(s).livenessProbe = { httpGet: { path: '/' }, tcpSocket: {} }),
    `expected exactly one, got both: ${C0}.livenessProbe.httpGet, ${C0}.livenessProbe.tcpSocket`
  ],
  [
    'a probe with no handler',
    K8S,
    (s) => (c0(s).livenessProbe = { periodSeconds: 5 }),
    `expected exactly one, got neither: ${C0}.livenessProbe.exec, ${C0}.livenessProbe.grpc, ${C0}.livenessProbe.httpGet, ${C0}.livenessProbe.tcpSocket`
  ],
  [
    'a probe on a named port that is not the container port',
    K8S,
    (s) => (c0(s).livenessProbe = { httpGet: { port: 'admin' } }),
    `invalid value: admin: ${C0}.livenessProbe.httpGet.port\nProbe port must match container port`
  ],
  [
    'two containers without a serving port',
    K8S,
    (s) => s.spec.template.spec.containers.push({ image: 'docker.io/acme/sidecar:v1' }),
    'missing field(s): spec.template.spec.containers[*].ports'
  ],
  [
    'a volume nobody mounts',
    K8S,
    (s) => (s.spec.template.spec.volumes = [{ name: 'cfg', configMap: { name: 'cfg' } }]),
    'volume with name "cfg" not mounted: spec.template.spec.volumes[0].name'
  ],
  [
    'a mount with no volume, on a reserved path',
    K8S,
    (s) => (c0(s).volumeMounts = [{ name: 'nope', mountPath: '/dev/', readOnly: true }]),
    `mountPath "/dev" is a reserved path: ${C0}.volumeMounts[0].mountPath\nvolumeMount has no matching volume: ${C0}.volumeMounts[0].name`
  ],
  [
    'max-scale below min-scale',
    AUTOSCALING,
    (s) =>
      ann(s, {
        'autoscaling.knative.dev/min-scale': '3',
        'autoscaling.knative.dev/max-scale': '2'
      }),
    `max-scale=2 is less than min-scale=3: ${ANN}.autoscaling.knative.dev/max-scale, ${ANN}.autoscaling.knative.dev/min-scale`
  ],
  [
    'min-scale not an integer (the minScale alias too)',
    AUTOSCALING,
    (s) => ann(s, { 'autoscaling.knative.dev/minScale': 'two' }),
    `invalid value: two: ${ANN}.autoscaling.knative.dev/minScale`
  ],
  [
    'a negative max-scale',
    AUTOSCALING,
    (s) => ann(s, { 'autoscaling.knative.dev/max-scale': '-1' }),
    `expected 0 <= -1 <= 2147483647: ${ANN}.autoscaling.knative.dev/max-scale`
  ],
  [
    'a window shorter than 6s',
    AUTOSCALING,
    (s) => ann(s, { 'autoscaling.knative.dev/window': '2s' }),
    `expected 6s <= 2s <= 1h0m0s: ${ANN}.autoscaling.knative.dev/window`
  ],
  [
    'a target below 0.01',
    AUTOSCALING,
    (s) => ann(s, { 'autoscaling.knative.dev/target': '0' }),
    `target 0 should be at least 0.01: ${ANN}.autoscaling.knative.dev/target`
  ],
  [
    'a metric the KPA does not know',
    AUTOSCALING,
    (s) => ann(s, { 'autoscaling.knative.dev/metric': 'memory' }),
    `invalid value: memory: ${ANN}.autoscaling.knative.dev/metric`
  ],
  [
    'an unknown knative autoscaler class',
    AUTOSCALING,
    (s) => ann(s, { 'autoscaling.knative.dev/class': 'foo.autoscaling.knative.dev' }),
    `invalid value: foo.autoscaling.knative.dev: ${ANN}.autoscaling.knative.dev/class`
  ],
  [
    'initial-scale 0 while the cluster does not allow it',
    AUTOSCALING,
    (s) => ann(s, { 'autoscaling.knative.dev/initial-scale': '0' }),
    `invalid value: 0: ${ANN}.autoscaling.knative.dev/initial-scale=0 not allowed by cluster`
  ],
  [
    'scale-down-delay over an hour',
    AUTOSCALING,
    (s) => ann(s, { 'autoscaling.knative.dev/scale-down-delay': '2h' }),
    `expected 0s <= 2h <= 1h0m0s: ${ANN}.autoscaling.knative.dev/scale-down-delay`
  ],
  [
    'progress-deadline that does not parse',
    REVISION,
    (s) => ann(s, { 'serving.knative.dev/progress-deadline': 'soon' }),
    `invalid value: soon: ${ANN}.serving.knative.dev/progress-deadline`
  ],
  [
    'progress-deadline below second precision',
    REVISION,
    (s) => ann(s, { 'serving.knative.dev/progress-deadline': '1500ms' }),
    `progress-deadline=1500ms is not at second precision: ${ANN}.serving.knative.dev/progress-deadline`
  ],
  [
    'several errors, sorted by message as knative/pkg apis.FieldError does',
    'knative/pkg apis/field_error.go',
    (s) => {
      c0(s).env = [{ name: 'PORT', value: '1' }]
      c0(s).ports = [{ name: 'http', containerPort: 8080 }]
    },
    `"PORT" is a reserved environment variable: ${C0}.env[0].name\nPort name http is not allowed: ${C0}.ports\nName must be empty, or one of: 'h2c', 'http1'`
  ]
]

/** `kubectl apply -f -` of `body` (JSON is YAML): its exit code and stderr without warnings. */
async function applied(body: unknown): Promise<{ code: number; stderr: string }> {
  const res = await kubectl(emulator(), ['apply', '-f', '-'], JSON.stringify(body))
  return { code: res.code, stderr: withoutWarnings(res.stderr) }
}

describe('refused by the webhook: 400 BadRequest with the exact message', () => {
  test.each(refused)('client-node: %s (%s)', async (_name, _source, edit, message) => {
    const got = await refusal(service(edit))
    // knative/pkg webhook.MakeErrorStatus answers with apierrors.NewBadRequest, relayed as is.
    expect(got).toEqual({ code: 400, reason: 'BadRequest', message: DENIED + message })
  })
  test.each(refused)('kubectl: %s (%s)', async (_name, _source, edit, message) => {
    expect(await applied(service(edit))).toEqual({
      code: 1,
      stderr: `Error from server (BadRequest): error when creating "STDIN": ${DENIED}${message}`
    })
  })
})

// The API server decodes the body by the CRD's structural schema before any webhook sees
// it: a required field is its 422, and a field the schema leaves out (Knative's field mask
// made the schema) is pruned, so the webhook's "must not set" for it never reaches a client.
const SCHEMA = 'config/core/300-resources/service.yaml'
describe('the CRD schema acts before the webhook', () => {
  test(`an env var needs a name: 422 Required value (${SCHEMA})`, async () => {
    const got = await refusal(service((s) => (c0(s).env = [{ value: 'x' }])))
    expect(got).toEqual({
      code: 422,
      reason: 'Invalid',
      message: expect.stringMatching(
        /^Service\.serving\.knative\.dev "wh-\d+" is invalid: spec\.template\.spec\.containers\[0\]\.env\[0\]\.name: Required value$/
      )
    })
  })

  const pruned: [name: string, edit: (s: any) => void, field: string][] = [
    ['hostPort', (s) => (c0(s).ports = [{ containerPort: 8080, hostPort: 80 }]), 'hostPort'],
    [
      'lifecycle hooks',
      (s) => (c0(s).lifecycle = { preStop: { exec: { command: ['x'] } } }),
      'lifecycle'
    ]
  ]
  test(`kubectl: an env var needs a name (${SCHEMA})`, async () => {
    const body = service((s) => (c0(s).env = [{ value: 'x' }]))
    expect(await applied(body)).toEqual({
      code: 1,
      // kubectl prints a 422's causes in its own form.
      stderr: `The Service "${body.metadata.name}" is invalid: spec.template.spec.containers[0].env[0].name: Required value`
    })
  })
  const where = (field: string) =>
    field === 'hostPort' ? `${C0}.ports[0].hostPort` : `${C0}.${field}`
  // kubectl apply asks fieldValidation=Strict: the field the schema does not know is refused.
  test.each(pruned)(`kubectl: %s is an unknown field, refused (${SCHEMA})`, async (_n, edit, f) => {
    expect(await applied(service(edit))).toEqual({
      code: 1,
      stderr: `Error from server (BadRequest): error when creating "STDIN": Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "${where(f)}"`
    })
  })
  test.each(pruned)(
    `kubectl --validate=false: %s pruned, so accepted without it (${SCHEMA})`,
    async (_n, edit, field) => {
      const body = service(edit)
      const res = await kubectl(
        emulator(),
        ['apply', '--validate=false', '-f', '-'],
        JSON.stringify(body)
      )
      expect([res.code, withoutWarnings(res.stderr)]).toEqual([0, ''])
      const got = await kubectl(emulator(), ['get', 'ksvc', body.metadata.name, '-o', 'json'])
      const c = JSON.parse(got.stdout).spec.template.spec.containers[0]
      expect(field === 'hostPort' ? c.ports[0] : c).not.toHaveProperty(field)
    }
  )
  test.each(pruned)(
    `client-node: %s pruned, so accepted without it (${SCHEMA})`,
    async (_name, edit, field) => {
      const created: any = await api.createNamespacedCustomObject({ ...G, body: service(edit) })
      const c = created.spec.template.spec.containers[0]
      expect(field === 'hostPort' ? c.ports[0] : c).not.toHaveProperty(field)
    }
  )
})

const accepted: [name: string, source: string, edit: (s: any) => void][] = [
  ['port names h2c and http1', K8S, (s) => (c0(s).ports = [{ name: 'h2c', containerPort: 8080 }])],
  ['protocol TCP', K8S, (s) => (c0(s).ports = [{ containerPort: 8080, protocol: 'TCP' }])],
  ['privileged: false', MASK, (s) => (c0(s).securityContext = { privileged: false })],
  [
    'dropped capabilities',
    MASK,
    (s) => (c0(s).securityContext = { capabilities: { drop: ['ALL'] } })
  ],
  [
    'automountServiceAccountToken: false',
    MASK,
    (s) => (s.spec.template.spec.automountServiceAccountToken = false)
  ],
  [
    'a sidecar may set PORT',
    K8S,
    (s) => {
      c0(s).ports = [{ containerPort: 8080 }]
      s.spec.template.spec.containers.push({
        image: 'docker.io/acme/sidecar:v1',
        env: [{ name: 'PORT', value: '9000' }]
      })
    }
  ],
  [
    'valid autoscaling annotations',
    AUTOSCALING,
    (s) =>
      ann(s, {
        'autoscaling.knative.dev/min-scale': '1',
        'autoscaling.knative.dev/max-scale': '5',
        'autoscaling.knative.dev/window': '60s',
        'autoscaling.knative.dev/metric': 'rps',
        'autoscaling.knative.dev/target': '50'
      })
  ],
  [
    'a whole-second progress-deadline',
    REVISION,
    (s) => ann(s, { 'serving.knative.dev/progress-deadline': '2m' })
  ]
]

describe('accepted by the webhook', () => {
  test.each(accepted)('client-node: %s (%s)', async (_name, _source, edit) => {
    const created: any = await api.createNamespacedCustomObject({ ...G, body: service(edit) })
    expect(created.metadata.generation).toBe(1)
  })
  test.each(accepted)('kubectl: %s (%s)', async (_name, _source, edit) => {
    const body = service(edit)
    expect(await applied(body)).toEqual({ code: 0, stderr: '' })
    const got = await kubectl(emulator(), ['get', 'ksvc', body.metadata.name, '-o', 'json'])
    expect(JSON.parse(got.stdout).metadata.generation).toBe(1)
  })
})

// The defaulting webhook, as the stored object shows it (the create's answer).
const DEFAULTS = 'pkg/apis/serving/v1/revision_defaults.go'
const defaulted: [
  name: string,
  source: string,
  edit: (s: any) => void,
  pick: (s: any) => unknown,
  want: unknown
][] = [
  [
    'container name, timeout, concurrency, readiness probe, resources, service links',
    DEFAULTS,
    () => undefined,
    (s) => s.spec.template.spec,
    {
      containerConcurrency: 0,
      containers: [
        {
          image: 'docker.io/acme/hello:v1',
          name: 'user-container',
          readinessProbe: { successThreshold: 1, tcpSocket: { port: 0 } },
          resources: {}
        }
      ],
      enableServiceLinks: false,
      timeoutSeconds: 300
    }
  ],
  [
    'timeoutSeconds 0 is the default; a probe gets the Kubernetes periods',
    DEFAULTS,
    (s) => {
      s.spec.template.spec.timeoutSeconds = 0
      c0(s).readinessProbe = { httpGet: { path: '/' }, periodSeconds: 5 }
    },
    (s) => [s.spec.template.spec.timeoutSeconds, c0(s).readinessProbe],
    [
      300,
      {
        httpGet: { path: '/' },
        periodSeconds: 5,
        successThreshold: 1,
        failureThreshold: 3,
        timeoutSeconds: 1
      }
    ]
  ],
  [
    "several containers: names clear of the user's; non-emptyDir mounts read-only",
    DEFAULTS,
    (s) => {
      s.spec.template.spec.volumes = [
        { name: 'cfg', configMap: { name: 'cfg' } },
        { name: 'tmp', emptyDir: {} }
      ]
      Object.assign(c0(s), {
        ports: [{ containerPort: 8080 }],
        volumeMounts: [
          { name: 'cfg', mountPath: '/cfg' },
          { name: 'tmp', mountPath: '/tmp' }
        ]
      })
      s.spec.template.spec.containers.push({
        image: 'docker.io/acme/side:v1',
        name: 'user-container-0'
      })
    },
    (s) =>
      s.spec.template.spec.containers.map((c: any) => [c.name, c.volumeMounts, !!c.readinessProbe]),
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
    'no traffic: the latest revision at 100%',
    'pkg/apis/serving/v1/route_defaults.go',
    () => undefined,
    (s) => s.spec.traffic,
    [{ latestRevision: true, percent: 100 }]
  ],
  [
    'each target gets latestRevision and percent',
    'pkg/apis/serving/v1/route_defaults.go',
    (s) => (s.spec.traffic = [{ tag: 'latest' }, { latestRevision: true, percent: 100 }]),
    (s) => s.spec.traffic,
    [
      { tag: 'latest', latestRevision: true, percent: 0 },
      { latestRevision: true, percent: 100 }
    ]
  ]
]

describe('defaulted by the webhook', () => {
  test.each(defaulted)('client-node: %s (%s)', async (_name, _source, edit, pick, want) => {
    const created: any = await api.createNamespacedCustomObject({ ...G, body: service(edit) })
    expect(pick(created)).toEqual(want)
  })
  test.each(defaulted)('kubectl: %s (%s)', async (_name, _source, edit, pick, want) => {
    const res = await kubectl(
      emulator(),
      ['create', '-o', 'json', '-f', '-'],
      JSON.stringify(service(edit))
    )
    expect(withoutWarnings(res.stderr)).toBe('')
    expect(pick(JSON.parse(res.stdout))).toEqual(want)
  })
})

test('kubectl apply prints the denial as the API server relays it', async () => {
  const manifest = [
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata: {name: wh-kubectl}',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - image: docker.io/acme/hello:v1',
    '        ports: [{name: http, containerPort: 8080}]',
    ''
  ].join('\n')
  const res = await kubectl(emulator(), ['apply', '-f', '-'], manifest)
  expect(res.code).toBe(1)
  expect(res.stderr).toBe(
    `Error from server (BadRequest): error when creating "STDIN": ${DENIED}Port name http is not allowed: ${C0}.ports\nName must be empty, or one of: 'h2c', 'http1'\n`
  )
})

test('a dry-run update (dryRun=All) answers the defaulted stored form and stores nothing', async () => {
  const created: any = await api.createNamespacedCustomObject({
    ...G,
    body: service(() => undefined)
  })
  const name = created.metadata.name
  const spec = { timeoutSeconds: 0, containers: [{ image: 'docker.io/acme/hello:v2' }] }
  // The controller writes status after the create: read and retry on 409 as a client does.
  const dryRun = async (edit: (b: any) => void = () => undefined): Promise<any> => {
    for (let attempt = 0; ; attempt++) {
      const body: any = await api.getNamespacedCustomObject({ ...G, name })
      body.spec.template.spec = structuredClone(spec)
      edit(body)
      try {
        return await api.replaceNamespacedCustomObject({ ...G, name, body, dryRun: 'All' })
      } catch (err) {
        if (!(err instanceof ApiException) || err.code !== 409 || attempt > 20) throw err
      }
    }
  }
  const preview = await dryRun()
  // revision_defaults.go: 0 is the config default; the probe, resources and name are filled in.
  expect(preview.spec.template.spec).toEqual({
    containerConcurrency: 0,
    containers: [
      {
        image: 'docker.io/acme/hello:v2',
        name: 'user-container',
        readinessProbe: { successThreshold: 1, tcpSocket: { port: 0 } },
        resources: {}
      }
    ],
    enableServiceLinks: false,
    timeoutSeconds: 300
  })
  const live: any = await api.getNamespacedCustomObject({ ...G, name })
  expect(live.metadata.generation).toBe(1)
  expect(live.spec.template.spec.containers[0].image).toBe('docker.io/acme/hello:v1')
  // The webhook refuses a dry run as it would the write.
  await expect(
    dryRun(
      (b) => (b.spec.template.spec.containers[0].ports = [{ name: 'http', containerPort: 8080 }])
    )
  ).rejects.toMatchObject({ code: 400 })
})
