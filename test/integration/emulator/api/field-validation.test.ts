// Structural-schema pruning and field validation, as the API server applies them to
// Knative's CRDs: pure tables for the rules, then kubectl and fetch against the full
// emulator for the wire (400 / 422 bodies, `Warning` headers, what is stored).

import {
  checkFields,
  fieldValidationOf,
  warningHeader
} from '../../../../emulator/api/field-validation.js'
import { KNATIVE_SCHEMAS } from '../../../../emulator/api/schema/knative.js'
import { prune, validateTypes } from '../../../../emulator/api/schema/structural.js'
import { RESOURCES } from '../../../../emulator/resources.js'
import type { KObject } from '../../../../emulator/store.js'
import { kubectl, withEmulator } from '../../../helpers/emulator.js'

const SERVICES = RESOURCES.find((t) => t.plural === 'services')!
const PODS = RESOURCES.find((t) => t.plural === 'pods')!

const ksvc = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'hello', namespace: 'default', ...metadata },
  spec
})
const template = (container: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  template: { spec: { containers: [{ image: 'img', ...container }], ...spec } }
})

describe('prune (config/core/300-resources/service.yaml)', () => {
  const rows: [string, KObject, string[], unknown][] = [
    ['known fields stay', ksvc(template({ name: 'app' })), [], template({ name: 'app' })],
    [
      'an unknown spec field is dropped',
      ksvc({ ...template({}), foo: 1 }),
      ['spec.foo'],
      template({})
    ],
    [
      'a typo inside a container, with its index',
      ksvc(template({ imagePullPolicyy: 'Always', env: [{ name: 'A', value: '1', vaule: 'x' }] })),
      [
        'spec.template.spec.containers[0].env[0].vaule',
        'spec.template.spec.containers[0].imagePullPolicyy'
      ],
      template({ env: [{ name: 'A', value: '1' }] })
    ],
    [
      'a field Knative’s field mask leaves out of the PodSpec (nodeName)',
      ksvc(template({}, { nodeName: 'n1' })),
      ['spec.template.spec.nodeName'],
      template({})
    ],
    [
      'feature-gated objects are open (affinity keeps its content)',
      ksvc(template({}, { affinity: { nodeAffinity: { x: 1 } } })),
      [],
      template({}, { affinity: { nodeAffinity: { x: 1 } } })
    ],
    [
      'template metadata preserves unknown fields',
      ksvc({ template: { metadata: { foo: 'x' }, spec: { containers: [{ image: 'img' }] } } }),
      [],
      { template: { metadata: { foo: 'x' }, spec: { containers: [{ image: 'img' }] } } }
    ],
    [
      'null on a known field is removed, not reported',
      ksvc({ ...template({}), traffic: null }),
      [],
      template({})
    ],
    [
      '"constructor" is a field name like any other',
      ksvc({ ...template({}), constructor: 1 }),
      ['spec.constructor'],
      template({})
    ]
  ]
  test.each(rows)('%s', (_name, obj, paths, spec) => {
    expect(prune(obj, KNATIVE_SCHEMAS.services)).toEqual(paths)
    expect(obj.spec).toEqual(spec)
  })

  test('unknown metadata fields are dropped and reported', () => {
    const obj = ksvc(template({}), { app: 'x', labels: { a: 'b' } })
    expect(prune(obj, KNATIVE_SCHEMAS.services)).toEqual(['metadata.app'])
    expect(obj.metadata).toEqual({ name: 'hello', namespace: 'default', labels: { a: 'b' } })
  })
})

describe('validateTypes (structural schema types and required fields)', () => {
  const rows: [string, KObject, [string, string][]][] = [
    ['a valid Service', ksvc(template({})), []],
    [
      'a string where an integer belongs',
      ksvc(template({}, { containerConcurrency: 'ten' })),
      [
        [
          'spec.template.spec.containerConcurrency',
          'Invalid value: "string": spec.template.spec.containerConcurrency in body must be of type integer: "string"'
        ]
      ]
    ],
    [
      'a fraction where an integer belongs is a "number"',
      ksvc(template({}, { timeoutSeconds: 1.5 })),
      [
        [
          'spec.template.spec.timeoutSeconds',
          'Invalid value: "number": spec.template.spec.timeoutSeconds in body must be of type integer: "number"'
        ]
      ]
    ],
    [
      'an int-or-string port accepts both, refuses a boolean',
      ksvc(template({ readinessProbe: { httpGet: { port: true } } })),
      [
        [
          'spec.template.spec.containers[0].readinessProbe.httpGet.port',
          'Invalid value: "boolean": spec.template.spec.containers[0].readinessProbe.httpGet.port in body must be of type integer,string: "boolean"'
        ]
      ]
    ],
    [
      'a label value must be a string',
      ksvc({
        template: { metadata: { labels: { v: 2 } }, spec: { containers: [{ image: 'i' }] } }
      }),
      [
        [
          'spec.template.metadata.labels.v',
          'Invalid value: "integer": spec.template.metadata.labels.v in body must be of type string: "integer"'
        ]
      ]
    ],
    [
      'containers are required in a template spec',
      ksvc({ template: { spec: {} } }),
      [['spec.template.spec.containers', 'Required value']]
    ],
    [
      'an env var needs a name',
      ksvc(template({ env: [{ value: '1' }] })),
      [['spec.template.spec.containers[0].env[0].name', 'Required value']]
    ]
  ]
  test.each(rows)('%s', (_name, obj, errors) => {
    expect(validateTypes(obj, KNATIVE_SCHEMAS.services).map((e) => [e.field, e.detail])).toEqual(
      errors
    )
  })
})

describe('checkFields (the API server’s decode step for custom resources)', () => {
  const typo = () => ksvc({ ...template({}), foo: 1, bar: 2 })
  const rows: [string, 'create' | 'patch', string, { warnings?: string[]; error?: object }][] = [
    ['Ignore drops silently', 'create', 'Ignore', { warnings: [] }],
    [
      'no fieldValidation is Warn: one warning per dropped field',
      'create',
      '',
      { warnings: ['unknown field "spec.bar"', 'unknown field "spec.foo"'] }
    ],
    [
      'Strict on a body (POST / PUT) is a 400 naming the kind and version',
      'create',
      'Strict',
      {
        error: {
          code: 400,
          reason: 'BadRequest',
          message:
            'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.bar", unknown field "spec.foo"'
        }
      }
    ],
    [
      'Strict on a patch is a 422 on the field "patch"',
      'patch',
      'Strict',
      {
        error: {
          code: 422,
          reason: 'Invalid',
          message: expect.stringMatching(
            /^ "" is invalid: patch: Invalid value: ".*\\"foo\\":1.*": strict decoding error: unknown field "spec.bar", unknown field "spec.foo"$/
          )
        }
      }
    ]
  ]
  test.each(rows)('%s', (_name, verb, directive, want) => {
    const query = new URLSearchParams(directive ? { fieldValidation: directive } : {})
    const run = () => checkFields(SERVICES, 'v1', typo(), verb, fieldValidationOf(query, verb))
    if (want.error) expect(run).toThrow(expect.objectContaining(want.error))
    else expect(run()).toEqual(want.warnings)
  })

  test('wrong types are a 422 Invalid with one cause per field', () => {
    const obj = ksvc(template({}, { containerConcurrency: 'x', timeoutSeconds: 'y' }))
    expect(() => checkFields(SERVICES, 'v1', obj, 'create', 'Strict')).toThrow(
      expect.objectContaining({
        code: 422,
        message:
          'Service.serving.knative.dev "hello" is invalid: [spec.template.spec.containerConcurrency: Invalid value: "string": spec.template.spec.containerConcurrency in body must be of type integer: "string", spec.template.spec.timeoutSeconds: Invalid value: "string": spec.template.spec.timeoutSeconds in body must be of type integer: "string"]',
        details: expect.objectContaining({
          kind: 'Service',
          causes: [
            expect.objectContaining({ field: 'spec.template.spec.containerConcurrency' }),
            expect.objectContaining({ field: 'spec.template.spec.timeoutSeconds' })
          ]
        })
      })
    )
  })

  test('an unsupported fieldValidation value is refused as the options kind', () => {
    expect(() => fieldValidationOf(new URLSearchParams('fieldValidation=strict'), 'patch')).toThrow(
      expect.objectContaining({
        code: 422,
        message:
          'PatchOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"'
      })
    )
  })

  test('kinds without a schema here (pods, v1alpha1) are left alone', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 1 } }
    expect(checkFields(PODS, 'v1', pod, 'create', 'Strict')).toEqual([])
    expect(pod.spec).toEqual({ x: 1 })
    const old = ksvc({ foo: 1 })
    expect(checkFields(SERVICES, 'v1alpha1', old, 'create', 'Strict')).toEqual([])
  })

  test('warning headers quote the text as the API server does', () => {
    expect(warningHeader(['unknown field "spec.foo"'])).toEqual([
      '299 - "unknown field \\"spec.foo\\""'
    ])
  })
})

describe('over the wire', () => {
  const emulator = withEmulator({ statusDelayMs: 5 })
  const manifest = (name: string, extra: string) => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
        - image: docker.io/acme/helloworld-go:v1
${extra}`

  test('kubectl apply (Strict) refuses a typo with the API server’s message; nothing is stored', async () => {
    const res = await kubectl(
      emulator(),
      ['apply', '-f', '-'],
      manifest('fv-strict', '          imagePullPolcy: Always\n')
    )
    expect(res.code).toBe(1)
    expect(res.stderr).toBe(
      'Error from server (BadRequest): error when creating "STDIN": Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolcy"\n'
    )
    expect(
      emulator().store.get('services.serving.knative.dev', 'default', 'fv-strict')
    ).toBeUndefined()
  })

  test('kubectl apply --validate=warn prints the warning and stores the pruned object', async () => {
    const res = await kubectl(
      emulator(),
      ['apply', '--validate=warn', '-f', '-'],
      manifest('fv-warn', '          imagePullPolcy: Always\n')
    )
    expect(res.code).toBe(0)
    expect(res.stderr).toContain(
      'Warning: unknown field "spec.template.spec.containers[0].imagePullPolcy"'
    )
    const stored = emulator().store.get('services.serving.knative.dev', 'default', 'fv-warn')!
    expect(stored.spec.template.spec.containers[0]).not.toHaveProperty('imagePullPolcy')
  })

  test('a client that sends no fieldValidation gets Warning headers and a pruned object', async () => {
    const e = emulator()
    const token = /token: (\S+)/.exec(
      await import('node:fs/promises').then((fs) => fs.readFile(e.kubeconfigPath, 'utf8'))
    )![1]
    const res = await fetch(`${e.apiUrl}/apis/serving.knative.dev/v1/namespaces/default/services`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(ksvc({ ...template({}), foo: 1 }, { name: 'fv-plain' }))
    })
    expect(res.status).toBe(201)
    // The schema's warning first, then the webhook's (emulator/knative/warnings.ts).
    expect(res.headers.get('warning')).toMatch(
      /^299 - "unknown field \\"spec\.foo\\"", 299 - "Kubernetes default value is insecure, /
    )
    expect(((await res.json()) as KObject).spec).not.toHaveProperty('foo')
  })

  test('kubectl apply of a string where an integer belongs is 422 Invalid', async () => {
    const res = await kubectl(
      emulator(),
      ['apply', '-f', '-'],
      manifest('fv-type', '      containerConcurrency: "ten"\n')
    )
    expect(res.code).toBe(1)
    expect(res.stderr).toContain(
      'The Service "fv-type" is invalid: spec.template.spec.containerConcurrency: Invalid value: "string": spec.template.spec.containerConcurrency in body must be of type integer: "string"'
    )
  })
})
