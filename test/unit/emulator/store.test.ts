import { Store } from '../../../emulator/store.js'
import { ApiError } from '../../../emulator/api-error.js'

const svc = (
  name: string,
  spec: unknown = { template: { spec: { containers: [{ image: 'a' }] } } }
) => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec
})

describe('Store', () => {
  test.each([
    ['a spec change bumps generation', { template: { spec: { containers: [{ image: 'b' }] } } }, 2],
    ['the same spec keeps generation', { template: { spec: { containers: [{ image: 'a' }] } } }, 1]
  ])('%s', (_name, spec, generation) => {
    const store = new Store()
    const created = store.create('services.serving.knative.dev', svc('s'))
    const updated = store.update('services.serving.knative.dev', { ...created, spec })
    expect(updated.metadata.generation).toBe(generation)
  })

  test('a metadata-only change keeps generation but moves resourceVersion', () => {
    const store = new Store()
    const created = store.create('services.serving.knative.dev', svc('s'))
    const updated = store.update('services.serving.knative.dev', {
      ...created,
      metadata: { ...created.metadata, labels: { a: 'b' } }
    })
    expect(updated.metadata.generation).toBe(1)
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion)
    )
  })

  test('scan hands out the stored objects frozen, in list order; a write stores a new one', () => {
    const store = new Store()
    const S = 'services.serving.knative.dev'
    store.create(S, svc('b'))
    store.create(S, svc('a'))
    const [a, b] = store.scan(S, 'default')
    expect([a.metadata.name, b.metadata.name]).toEqual(['a', 'b'])
    expect(store.list(S, 'default')).toEqual([a, b])
    expect(() => {
      a.metadata.labels = { changed: 'here' }
    }).toThrow(TypeError)
    expect(() => {
      a.spec.template.spec.containers[0].image = 'x'
    }).toThrow(TypeError)
    store.update(S, { ...a, metadata: { ...a.metadata, labels: { l: '1' } } })
    expect(a.metadata.labels).toBeUndefined()
    expect(store.scan(S, 'default')[0].metadata.labels).toEqual({ l: '1' })
    // list() still copies: its objects are the caller's to change.
    const copy = store.list(S, 'default')[0]
    copy.metadata.labels = { mine: 'yes' }
    expect(store.get(S, 'default', 'a')?.metadata.labels).toEqual({ l: '1' })
  })

  test('a stale resourceVersion is a 409 Conflict', () => {
    const store = new Store()
    const created = store.create('services.serving.knative.dev', svc('s'))
    store.update('services.serving.knative.dev', {
      ...created,
      metadata: { ...created.metadata, labels: { x: 'y' } }
    })
    expect(() => store.update('services.serving.knative.dev', created)).toThrow(
      expect.objectContaining({ code: 409, reason: 'Conflict' })
    )
  })

  test('a status write leaves spec and generation alone', () => {
    const store = new Store()
    const created = store.create('services.serving.knative.dev', svc('s'))
    const next = store.update(
      'services.serving.knative.dev',
      { ...created, spec: { changed: true }, status: { observedGeneration: 1 } },
      { subresource: 'status' }
    )
    expect(next.spec).toEqual(created.spec)
    expect(next.status).toEqual({ observedGeneration: 1 })
  })

  test('a watch resumes after a resourceVersion and is 410 Gone when too old', () => {
    const store = new Store(undefined, 3)
    const first = store.create('services.serving.knative.dev', svc('a'))
    for (const n of ['b', 'c', 'd', 'e']) store.create('services.serving.knative.dev', svc(n))
    expect(() =>
      store.watch(
        'services.serving.knative.dev',
        'default',
        Number(first.metadata.resourceVersion),
        () => {}
      )
    ).toThrow(ApiError)
    const seen: string[] = []
    store.watch('services.serving.knative.dev', 'default', 3, (e) =>
      seen.push(e.object.metadata.name)
    )
    expect(seen).toEqual(['d', 'e'])
  })
})

// Graceful deletion as the API server does it (apiserver's BeforeDelete / finalizers).
describe('finalizers', () => {
  const R = 'routes.serving.knative.dev'
  const held = () => {
    const store = new Store(() => new Date('2026-12-04T10:00:00.500Z'))
    const route = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Route',
      metadata: { name: 'r', namespace: 'default', finalizers: ['a', 'b'] },
      spec: {}
    }
    store.create(R, route)
    return store
  }

  test('a delete only marks an object that has finalizers, once', () => {
    const store = held()
    const marked = store.delete(R, 'default', 'r')
    expect(marked.metadata.deletionTimestamp).toBe('2026-12-04T10:00:00Z')
    expect(store.isPending(R, 'default', 'r')).toBe(true)
    const again = store.delete(R, 'default', 'r')
    expect(again.metadata.resourceVersion).toBe(marked.metadata.resourceVersion)
    expect(store.history.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED'])
  })

  test('updates keep the deletionTimestamp; removing the last finalizer removes the object', () => {
    const store = held()
    const marked = store.delete(R, 'default', 'r')
    const one = store.update(R, {
      ...marked,
      metadata: { ...marked.metadata, finalizers: ['b'], deletionTimestamp: undefined }
    })
    expect(one.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp)
    store.update(R, { ...one, metadata: { ...one.metadata, finalizers: [] } })
    expect(store.get(R, 'default', 'r')).toBeUndefined()
    const last = store.history.at(-1)!
    expect([last.type, last.object.metadata.finalizers]).toEqual(['DELETED', []])
  })

  test('an update cannot set a deletionTimestamp', () => {
    const store = held()
    const live = store.get(R, 'default', 'r')!
    const next = store.update(R, {
      ...live,
      metadata: { ...live.metadata, deletionTimestamp: '2026-01-01T00:00:00Z', labels: { a: 'b' } }
    })
    expect(next.metadata.deletionTimestamp).toBeUndefined()
  })

  test('without finalizers a delete removes at once', () => {
    const store = new Store()
    store.create('services.serving.knative.dev', svc('s'))
    store.delete('services.serving.knative.dev', 'default', 's')
    expect(store.get('services.serving.knative.dev', 'default', 's')).toBeUndefined()
  })
})
