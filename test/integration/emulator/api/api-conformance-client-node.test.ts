// The Kubernetes API server's own rules for Knative's resources, through
// @kubernetes/client-node against the full emulator (kubectl meets the same ones in
// kubectl.test.ts, field-validation.test.ts, paging.test.ts and ssa-kubectl.test.ts). Each
// row names the Kubernetes source it encodes.

import {
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions
} from '@kubernetes/client-node'
import { eventually, withEmulator } from '../../../helpers/emulator.js'
import { failedCall } from '../../../helpers/serving-clients.js'

const emulator = withEmulator({ statusDelayMs: 5 })
const G = { group: 'serving.knative.dev', version: 'v1', namespace: 'default', plural: 'services' }

let api: CustomObjectsApi
beforeAll(() => {
  const kc = new KubeConfig()
  kc.loadFromFile(emulator().kubeconfigPath)
  api = kc.makeApiClient(CustomObjectsApi)
})

const service = (name: string, container: Record<string, unknown> = {}, spec: any = {}) => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name },
  spec: {
    template: { spec: { containers: [{ image: 'docker.io/acme/api:v1', ...container }] } },
    ...spec
  }
})

async function failure(call: () => Promise<unknown>): Promise<[number, string]> {
  const { code, body } = await failedCall(call())
  return [code, body.message]
}

type Refusal = [
  name: string,
  source: string,
  call: () => Promise<unknown>,
  code: number,
  message: string
]
const refused: Refusal[] = [
  [
    'a namespace that does not exist',
    'k8s.io/apiserver plugin/pkg/admission/namespace/lifecycle/admission.go',
    () => api.createNamespacedCustomObject({ ...G, namespace: 'nowhere', body: service('ns') }),
    404,
    'namespaces "nowhere" not found'
  ],
  [
    'an unknown field under fieldValidation=Strict',
    'k8s.io/apiserver pkg/endpoints/handlers/create.go (strict decoding)',
    () =>
      api.createNamespacedCustomObject({
        ...G,
        body: service('strict', { imagePullPolcy: 'Always' }),
        fieldValidation: 'Strict'
      }),
    400,
    'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolcy"'
  ],
  [
    'a string where the schema has an integer',
    'k8s.io/apiextensions-apiserver pkg/apiserver/validation (config/core/300-resources/service.yaml)',
    () => {
      const body: any = service('typed')
      body.spec.template.spec.containerConcurrency = 'many'
      return api.createNamespacedCustomObject({ ...G, body })
    },
    422,
    'Service.serving.knative.dev "typed" is invalid: spec.template.spec.containerConcurrency: Invalid value: "string": spec.template.spec.containerConcurrency in body must be of type integer: "string"'
  ],
  [
    'an unsupported fieldValidation value',
    'k8s.io/apiserver pkg/endpoints/handlers/rest.go (fieldValidation)',
    () => api.createNamespacedCustomObject({ ...G, body: service('fv'), fieldValidation: 'Loud' }),
    422,
    'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loud": supported values: "", "Ignore", "Strict", "Warn"'
  ]
]
test.each(refused)('%s (%s)', async (_name, _source, call, code, message) => {
  expect(await failure(call)).toEqual([code, message])
})

test('an unknown field by default (Warn) is pruned from what is stored (k8s.io/apiextensions-apiserver pkg/apiserver/schema/pruning)', async () => {
  const created: any = await api.createNamespacedCustomObject({
    ...G,
    body: service('warned', { imagePullPolcy: 'Always' })
  })
  expect(created.spec.template.spec.containers[0]).not.toHaveProperty('imagePullPolcy')
})

test('lists page with limit and continue, one consistent list (k8s.io/apiserver pkg/storage/etcd3/store.go)', async () => {
  for (const name of ['page-a', 'page-b', 'page-c'])
    await api.createNamespacedCustomObject({ ...G, body: service(name) })
  const names: string[] = []
  const versions = new Set<string>()
  let token: string | undefined
  let first: any
  do {
    const page: any = await api.listNamespacedCustomObject({ ...G, limit: 2, _continue: token })
    first ??= page
    names.push(...page.items.map((i: any) => i.metadata.name))
    versions.add(page.metadata.resourceVersion)
    token = page.metadata.continue || undefined
  } while (token)
  expect(first.items).toHaveLength(2)
  expect(first.metadata.remainingItemCount).toBeGreaterThan(0)
  expect(names).toEqual([...names].sort())
  expect(names).toEqual(expect.arrayContaining(['page-a', 'page-b', 'page-c']))
  expect(versions.size).toBe(1)
})

test('server-side apply: a field another manager owns is a 409 conflict (k8s.io/apimachinery pkg/util/managedfields)', async () => {
  const apply = (manager: string, percents: [number, number], force = false) =>
    api.patchNamespacedCustomObject(
      {
        ...G,
        name: 'ssa',
        fieldManager: manager,
        force,
        body: service(
          'ssa',
          {},
          {
            template: {
              metadata: { name: 'ssa-v1' },
              spec: { containers: [{ image: 'docker.io/acme/api:v1' }] }
            },
            traffic: [
              { revisionName: 'ssa-v1', percent: percents[0] },
              { latestRevision: true, percent: percents[1] }
            ]
          }
        )
      },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply)
    )
  await apply('kustomize-controller', [100, 0], true)
  const [code, message] = await failure(() => apply('knative-rollout', [90, 10]))
  expect(code).toBe(409)
  expect(message).toMatch(
    /^Apply failed with \d+ conflicts?: conflicts with "kustomize-controller":\n/
  )
  expect(message).toContain('- .spec.traffic')
})

test('timestamps are RFC 3339 in whole seconds (k8s.io/apimachinery pkg/apis/meta/v1/time.go)', async () => {
  const created: any = await api.createNamespacedCustomObject({ ...G, body: service('stamped') })
  const ready: any = await eventually(async () => {
    const s: any = await api.getNamespacedCustomObject({ ...G, name: 'stamped' })
    return s.status?.conditions?.length && s
  }, 'conditions')
  const stamps = [
    created.metadata.creationTimestamp,
    ...ready.status.conditions.map((c: any) => c.lastTransitionTime)
  ]
  for (const t of stamps) expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
})
