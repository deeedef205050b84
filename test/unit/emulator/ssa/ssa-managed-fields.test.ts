import {
  baseEntries,
  decodeEntries,
  encodeEntries,
  managerFromUserAgent,
  recordUpdate,
  type ManagedFieldsEntry
} from '../../../../emulator/ssa/managed-fields.js'

const V1 = 'serving.knative.dev/v1'
const T0 = new Date('2026-01-01T00:00:00Z')
const T1 = new Date('2026-01-01T00:05:00Z')

const entry = (
  manager: string,
  operation: 'Apply' | 'Update',
  fieldsV1: Record<string, unknown>,
  time = '2026-01-01T00:00:00Z'
): ManagedFieldsEntry => ({
  manager,
  operation,
  apiVersion: V1,
  time,
  fieldsType: 'FieldsV1',
  fieldsV1
})

const traffic = { 'f:spec': { 'f:traffic': {} } }

describe('managerFromUserAgent (the manager of a write without fieldManager)', () => {
  test.each([
    ['kubectl', 'kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9', 'kubectl'],
    ['a bare product', 'node-fetch', 'node-fetch'],
    ['no User-Agent', undefined, ''],
    ['control characters dropped', 'a\u0001b/1', 'ab'],
    ['at most 128 characters', 'x'.repeat(200), 'x'.repeat(128)]
  ])('%s', (_name, userAgent, manager) => {
    expect(managerFromUserAgent(userAgent)).toBe(manager)
  })
})

describe('baseEntries (what a write starts from)', () => {
  const live = [entry('kustomize-controller', 'Apply', traffic)]
  test.each<[string, unknown, string[]]>([
    ['a body without managedFields keeps the live ones', undefined, ['kustomize-controller/Apply']],
    ['[{}] clears them', [{}], []],
    ['entries that decode replace them', [entry('flux', 'Apply', traffic)], ['flux/Apply']],
    [
      'ones that do not decode are ignored',
      [{ manager: 'x', operation: 'Nope' }],
      ['kustomize-controller/Apply']
    ]
  ])('%s', (_name, requested, expected) => {
    expect(baseEntries(requested, live).map((m) => `${m.manager}/${m.operation}`)).toEqual(expected)
  })
})

describe('recordUpdate (create, PUT, merge and JSON patch)', () => {
  const before = {
    metadata: { name: 'web' },
    spec: { template: { x: 1 }, traffic: [{ percent: 100 }] }
  }
  const flux = decodeEntries([
    entry('kustomize-controller', 'Apply', {
      'f:spec': { 'f:template': { 'f:x': {} }, 'f:traffic': {} }
    })
  ])
  const record = (after: unknown, manager = 'knative-rollout') =>
    encodeEntries(recordUpdate(flux, before, after, manager, V1, T1))

  test.each<[string, unknown, ManagedFieldsEntry[]]>([
    [
      'the updater takes the field it changed from the applier',
      { ...before, spec: { ...before.spec, traffic: [{ percent: 90 }, { percent: 10 }] } },
      [
        entry(
          'kustomize-controller',
          'Apply',
          { 'f:spec': { 'f:template': { 'f:x': {} } } },
          '2026-01-01T00:05:00Z'
        ),
        entry('knative-rollout', 'Update', traffic, '2026-01-01T00:05:00Z')
      ]
    ],
    [
      'an update that changes nothing records nothing',
      before,
      [
        entry('kustomize-controller', 'Apply', {
          'f:spec': { 'f:template': { 'f:x': {} }, 'f:traffic': {} }
        })
      ]
    ],
    [
      'a removed field is nobody’s any more',
      { ...before, spec: { template: { x: 1 } } },
      [
        entry(
          'kustomize-controller',
          'Apply',
          { 'f:spec': { 'f:template': { 'f:x': {} } } },
          '2026-01-01T00:05:00Z'
        )
      ]
    ],
    [
      'an added map is owned with a "." marker',
      { ...before, metadata: { name: 'web', labels: { a: '1' } } },
      [
        entry('kustomize-controller', 'Apply', {
          'f:spec': { 'f:template': { 'f:x': {} }, 'f:traffic': {} }
        }),
        entry(
          'knative-rollout',
          'Update',
          { 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } } },
          '2026-01-01T00:05:00Z'
        )
      ]
    ]
  ])('%s', (_name, after, expected) => {
    expect(record(after)).toEqual(expected)
  })

  test('a create is an Update of everything in the body, maps marked', () => {
    const created = encodeEntries(recordUpdate([], {}, before, 'kubectl-create', V1, T0))
    expect(created).toEqual([
      entry('kubectl-create', 'Update', {
        'f:spec': { '.': {}, 'f:template': { '.': {}, 'f:x': {} }, 'f:traffic': {} }
      })
    ])
  })
})
