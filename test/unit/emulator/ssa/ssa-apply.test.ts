import { ApiError } from '../../../../emulator/api-error.js'
import { serverSideApply } from '../../../../emulator/ssa/apply.js'
import {
  decodeEntries,
  encodeEntries,
  recordUpdate
} from '../../../../emulator/ssa/managed-fields.js'
import type { KObject } from '../../../../emulator/store.js'

const V1 = 'serving.knative.dev/v1'
const T0 = new Date('2026-01-01T00:00:00Z')
const T1 = new Date('2026-01-01T00:01:00Z')

const obj = (body: { metadata?: Record<string, unknown>; spec?: any } = {}): KObject => ({
  apiVersion: V1,
  kind: 'Service',
  ...body,
  metadata: { name: 'web', namespace: 'default', ...body.metadata }
})

const apply = (
  live: KObject | undefined,
  config: KObject,
  manager: string,
  force = false,
  now = T0
) => serverSideApply({ live, config, manager, apiVersion: V1, force, now })

/** An Update by `manager` from `live` to `next` (what PUT and merge patch record). */
function update(live: KObject, next: KObject, manager: string, now = T0): KObject {
  const entries = recordUpdate(
    decodeEntries(live.metadata.managedFields),
    live,
    next,
    manager,
    V1,
    now
  )
  return { ...next, metadata: { ...next.metadata, managedFields: encodeEntries(entries) } }
}

const owners = (o: KObject) =>
  (o.metadata.managedFields as { manager: string; operation: string }[]).map(
    (e) => `${e.manager}/${e.operation}`
  )
const fieldsOf = (o: KObject, manager: string) =>
  (o.metadata.managedFields as { manager: string; fieldsV1: unknown }[]).find(
    (e) => e.manager === manager
  )?.fieldsV1

function conflictOf(fn: () => unknown): { message: string; causes: unknown } {
  try {
    fn()
  } catch (err) {
    if (err instanceof ApiError && err.code === 409)
      return { message: err.message, causes: err.details?.causes }
    throw err
  }
  throw new Error('expected a 409')
}

const split = [
  { revisionName: 'web-1', percent: 90 },
  { revisionName: 'web-2', percent: 10 }
]
const gitTraffic = [{ revisionName: 'web-1', percent: 100 }]

describe('server-side apply: merging and pruning', () => {
  const live = obj({
    metadata: { labels: { keep: 'yes' } },
    spec: { a: 1, list: [1, 2], nested: { b: 1 } }
  })

  test.each<[string, () => KObject, Record<string, unknown>]>([
    [
      'maps merge, lists are replaced whole, fields it does not mention stay',
      () =>
        apply(
          live,
          obj({ metadata: { labels: { mine: '1' } }, spec: { list: [3], nested: { c: 2 } } }),
          'me'
        ),
      { labels: { keep: 'yes', mine: '1' }, spec: { a: 1, list: [3], nested: { b: 1, c: 2 } } }
    ],
    [
      'a field the manager applied before and omits now is removed',
      () => {
        const first = apply(
          live,
          obj({ metadata: { labels: { mine: '1' } }, spec: { c: 3 } }),
          'me'
        )
        return apply(first, obj({ spec: { c: 4 } }), 'me')
      },
      { labels: { keep: 'yes' }, spec: { a: 1, c: 4, list: [1, 2], nested: { b: 1 } } }
    ],
    [
      "another applier's fields stay when the first applies again",
      () => {
        const one = apply(live, obj({ spec: { c: 3 } }), 'one')
        const two = apply(one, obj({ spec: { d: 4 } }), 'two')
        return apply(two, obj({ spec: { c: 5 } }), 'one')
      },
      { labels: { keep: 'yes' }, spec: { a: 1, c: 5, d: 4, list: [1, 2], nested: { b: 1 } } }
    ],
    [
      'a dropped field another manager also set (same value, shared) stays',
      () => {
        const one = apply(live, obj({ spec: { c: 3 } }), 'one')
        const two = apply(one, obj({ spec: { c: 3 } }), 'two')
        return apply(two, obj({ spec: {} }), 'one')
      },
      { labels: { keep: 'yes' }, spec: { a: 1, c: 3, list: [1, 2], nested: { b: 1 } } }
    ],
    [
      'a map left empty by the prune goes with its last field',
      () => {
        const one = apply(live, obj({ spec: { extra: { x: 1 } } }), 'one')
        return apply(one, obj({ spec: { c: 1 } }), 'one')
      },
      { labels: { keep: 'yes' }, spec: { a: 1, c: 1, list: [1, 2], nested: { b: 1 } } }
    ],
    [
      'an explicit null removes the field',
      () => apply(live, obj({ spec: { a: null } as any }), 'me'),
      { labels: { keep: 'yes' }, spec: { list: [1, 2], nested: { b: 1 } } }
    ]
  ])('%s', (_name, run, expected) => {
    const out = run()
    expect({ labels: out.metadata.labels, spec: out.spec }).toEqual(expected)
  })

  test('creating: the applier owns what it applied, in FieldsV1', () => {
    const out = apply(
      undefined,
      obj({ metadata: { labels: { app: 'web' } }, spec: { traffic: gitTraffic } }),
      'flux'
    )
    expect(out.metadata.managedFields).toEqual([
      {
        manager: 'flux',
        operation: 'Apply',
        apiVersion: V1,
        time: '2026-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:traffic': {} } }
      }
    ])
  })

  test('applying the same configuration again changes nothing, time included', () => {
    const first = apply(undefined, obj({ spec: { traffic: gitTraffic } }), 'flux', true, T0)
    const again = apply(first, obj({ spec: { traffic: gitTraffic } }), 'flux', true, T1)
    expect(again).toEqual(first)
  })
})

describe('server-side apply: conflicts and force', () => {
  const byFlux = apply(
    undefined,
    obj({ spec: { template: { x: 1 }, traffic: gitTraffic } }),
    'kustomize-controller',
    true
  )
  const byRollout = update(
    byFlux,
    { ...byFlux, spec: { ...byFlux.spec, traffic: split } },
    'knative-rollout',
    T1
  )

  test.each<[string, () => unknown, string, unknown]>([
    [
      'an Update owner of the changed field (named with its apiVersion)',
      () =>
        apply(
          byRollout,
          obj({ spec: { template: { x: 1 }, traffic: gitTraffic } }),
          'kustomize-controller'
        ),
      'Apply failed with 1 conflict: conflict with "knative-rollout" using serving.knative.dev/v1: .spec.traffic',
      [
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "knative-rollout" using serving.knative.dev/v1',
          field: '.spec.traffic'
        }
      ]
    ],
    [
      'an Apply owner (named alone)',
      () => apply(byFlux, obj({ spec: { traffic: split } }), 'other'),
      'Apply failed with 1 conflict: conflict with "kustomize-controller": .spec.traffic',
      [
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "kustomize-controller"',
          field: '.spec.traffic'
        }
      ]
    ],
    [
      'several conflicts, grouped by manager',
      () => apply(byFlux, obj({ spec: { template: { x: 2 }, traffic: split } }), 'other'),
      'Apply failed with 2 conflicts: conflicts with "kustomize-controller":\n- .spec.template.x\n- .spec.traffic',
      expect.any(Array)
    ]
  ])('409 for %s', (_name, run, message, causes) => {
    expect(conflictOf(run)).toEqual({ message, causes })
  })

  test('no conflict when the value is the same: the field is shared', () => {
    const shared = apply(byFlux, obj({ spec: { traffic: gitTraffic } }), 'other')
    expect(owners(shared)).toEqual(['kustomize-controller/Apply', 'other/Apply'])
    expect(fieldsOf(shared, 'other')).toEqual({ 'f:spec': { 'f:traffic': {} } })
    expect(fieldsOf(shared, 'kustomize-controller')).toMatchObject({
      'f:spec': { 'f:traffic': {} }
    })
  })

  test('force puts git’s traffic back and takes the field from the Update owner', () => {
    const synced = apply(
      byRollout,
      obj({ spec: { template: { x: 1 }, traffic: gitTraffic } }),
      'kustomize-controller',
      true,
      T1
    )
    expect(synced.spec.traffic).toEqual(gitTraffic)
    expect(owners(synced)).toEqual(['kustomize-controller/Apply']) // nothing left for the updater
    expect(fieldsOf(synced, 'kustomize-controller')).toEqual({
      'f:spec': { 'f:template': { 'f:x': {} }, 'f:traffic': {} }
    })
  })

  test('an Update takes the field from the applier, so the next apply without it keeps it', () => {
    // git stops declaring traffic after the rollout changed it: nothing is pruned
    expect(fieldsOf(byRollout, 'kustomize-controller')).toEqual({
      'f:spec': { 'f:template': { 'f:x': {} } }
    })
    const synced = apply(
      byRollout,
      obj({ spec: { template: { x: 1 } } }),
      'kustomize-controller',
      true,
      T1
    )
    expect(synced.spec.traffic).toEqual(split)
  })

  test('the applier’s own Update entry is another manager: it conflicts too', () => {
    const edited = update(
      byFlux,
      { ...byFlux, spec: { ...byFlux.spec, traffic: split } },
      'kustomize-controller'
    )
    expect(
      conflictOf(() =>
        apply(
          edited,
          obj({ spec: { template: { x: 1 }, traffic: gitTraffic } }),
          'kustomize-controller'
        )
      ).message
    ).toBe(
      'Apply failed with 1 conflict: conflict with "kustomize-controller" using serving.knative.dev/v1: .spec.traffic'
    )
  })
})
