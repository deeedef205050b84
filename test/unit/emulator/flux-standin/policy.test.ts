import { objectsOf, objectPath } from '../../../../emulator/flux-standin/manifests.js'
import { decide, takeOverPatch, withOwnerLabels } from '../../../../emulator/flux-standin/policy.js'
import type { KObject } from '../../../../emulator/store.js'

const svc = (
  annotations: Record<string, string> = {},
  extra: Partial<KObject['metadata']> = {}
): KObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'web', annotations, ...extra },
  spec: {}
})
const SSA = 'kustomize.toolkit.fluxcd.io/ssa'
const RECONCILE = 'kustomize.toolkit.fluxcd.io/reconcile'

describe('decide: what the stand-in does with one object', () => {
  test.each<[string, KObject, KObject | undefined, ReturnType<typeof decide>]>([
    ['absent: create', svc(), undefined, { action: 'apply', takeOver: false }],
    [
      'present: apply, taking over kubectl’s fields',
      svc(),
      svc(),
      { action: 'apply', takeOver: true }
    ],
    [
      'reconcile: disabled in git',
      svc({ [RECONCILE]: 'disabled' }),
      svc(),
      { action: 'skip', reason: `${RECONCILE}: disabled` }
    ],
    [
      'reconcile: disabled set in-cluster only',
      svc(),
      svc({ [RECONCILE]: 'Disabled' }),
      { action: 'skip', reason: `${RECONCILE}: disabled` }
    ],
    [
      'ssa: Ignore',
      svc({ [SSA]: 'Ignore' }),
      undefined,
      { action: 'skip', reason: `${SSA}: Ignore` }
    ],
    [
      'ssa: ignore, any case, on the live object',
      svc(),
      svc({ [SSA]: 'ignore' }),
      { action: 'skip', reason: `${SSA}: Ignore` }
    ],
    [
      'ssa: IfNotPresent and absent: create',
      svc({ [SSA]: 'IfNotPresent' }),
      undefined,
      { action: 'apply', takeOver: false }
    ],
    [
      'ssa: IfNotPresent and present: leave it',
      svc({ [SSA]: 'IfNotPresent' }),
      svc(),
      { action: 'skip', reason: `${SSA}: IfNotPresent, and it exists` }
    ],
    [
      'ssa: Merge in git: apply, no take-over',
      svc({ [SSA]: 'Merge' }),
      svc(),
      { action: 'apply', takeOver: false }
    ],
    [
      'ssa: Merge on the live object: apply, no take-over',
      svc(),
      svc({ [SSA]: 'merge' }),
      { action: 'apply', takeOver: false }
    ],
    [
      'an empty annotation value is no value',
      svc({ [SSA]: '' }),
      svc(),
      { action: 'apply', takeOver: true }
    ]
  ])('%s', (_name, desired, live, expected) => {
    expect(decide(desired, live)).toEqual(expected)
  })
})

test('withOwnerLabels adds the Kustomization labels and keeps git’s', () => {
  const out = withOwnerLabels(svc({}, { labels: { app: 'web' } }), 'apps', 'flux-system')
  expect(out.metadata.labels).toEqual({
    app: 'web',
    'kustomize.toolkit.fluxcd.io/name': 'apps',
    'kustomize.toolkit.fluxcd.io/namespace': 'flux-system'
  })
})

describe('takeOverPatch: kubectl’s fields become the controller’s', () => {
  const entry = (manager: string, operation: string, fieldsV1: object, subresource?: string) => ({
    manager,
    operation,
    apiVersion: 'serving.knative.dev/v1',
    fieldsType: 'FieldsV1',
    fieldsV1,
    ...(subresource ? { subresource } : {})
  })
  const ours = entry('kustomize-controller', 'Apply', { 'f:spec': { 'f:template': {} } })
  const traffic = { 'f:spec': { 'f:traffic': {} } }
  const label = { 'f:metadata': { 'f:labels': { 'f:x': {} } } }

  test.each<[string, object[], object[] | undefined]>([
    ['nothing to take', [ours, entry('knative-rollout', 'Update', traffic)], undefined],
    [
      'kubectl-edit (prefix kubectl, Update) is merged into the Apply entry',
      [ours, entry('kubectl-edit', 'Update', label), entry('knative-rollout', 'Update', traffic)],
      [
        entry('knative-rollout', 'Update', traffic),
        entry('kustomize-controller', 'Apply', {
          'f:metadata': { 'f:labels': { 'f:x': {} } },
          'f:spec': { 'f:template': {} }
        })
      ]
    ],
    [
      'without an Apply entry of its own, the first match is renamed',
      [entry('kubectl-client-side-apply', 'Update', label)],
      [entry('kustomize-controller', 'Apply', label)]
    ],
    [
      'a status-subresource entry is left alone',
      [ours, entry('kubectl', 'Update', label, 'status')],
      undefined
    ],
    ['a kustomize-controller Apply entry is not taken from itself', [ours], undefined]
  ])('%s', (_name, managedFields, expected) => {
    const live = svc({}, { managedFields })
    const ops = takeOverPatch(live)
    expect(ops && (ops as { value: unknown }[]).find((o) => 'value' in o)?.value).toEqual(expected)
  })

  test('kubectl’s last-applied annotation is removed', () => {
    const live = svc({ 'kubectl.kubernetes.io/last-applied-configuration': '{}' })
    expect(takeOverPatch(live)).toEqual([
      {
        op: 'remove',
        path: '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration'
      }
    ])
  })
})

describe('manifests', () => {
  test('every document of every file, files in path order, empty documents skipped', () => {
    const objects = objectsOf([
      {
        path: 'b.yaml',
        content: 'apiVersion: serving.knative.dev/v1\nkind: Route\nmetadata: {name: r}\n'
      },
      {
        path: 'a.yaml',
        content:
          '---\napiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: s1}\n---\n---\napiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: s2}\n'
      }
    ])
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Service/s1',
      'Service/s2',
      'Route/r'
    ])
  })

  test.each([
    [
      'a document without a name',
      'apiVersion: v1\nkind: Service\nmetadata: {}\n',
      'x.yaml: a document without apiVersion, kind and metadata.name'
    ],
    ['broken YAML', 'a: [', 'x.yaml: ']
  ])('%s is an error naming the file', (_name, content, message) => {
    expect(() => objectsOf([{ path: 'x.yaml', content }])).toThrow(message)
  })

  test('objectPath for a Knative Service, and a kind it cannot apply', () => {
    expect(objectPath(svc(), 'prod')).toBe(
      '/apis/serving.knative.dev/v1/namespaces/prod/services/web'
    )
    expect(() =>
      objectPath({ ...svc(), apiVersion: 'apps/v1', kind: 'Deployment' }, 'prod')
    ).toThrow('apps/v1 Deployment is not a kind this stand-in applies')
  })
})
