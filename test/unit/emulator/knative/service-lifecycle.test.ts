// Knative's conformance tests for the Service lifecycle, replayed against the emulator's
// admission + controller over a real Store (test/conformance/api/v1 in knative/serving).

import { Cluster, cond, svc, template } from '../../../helpers/knative-cluster.js'

const L = 'serving.knative.dev'

/** validateControlPlane: revision Ready, digest, generation label, latest*, route at 100%. */
function controlPlane(c: Cluster, name: string) {
  const s = c.get('services', name)!
  const rev = c.get('revisions', s.status.latestReadyRevisionName)!
  const config = c.get('configurations', name)!
  return {
    revision: rev.metadata.name,
    ready: cond(rev, 'Ready')?.status,
    digest: /@sha256:[0-9a-f]{64}$/.test(rev.status.containerStatuses[0].imageDigest),
    generation: rev.metadata.labels![`${L}/configurationGeneration`],
    latestCreated: config.status.latestCreatedRevisionName,
    traffic: c.get('routes', name)!.status.traffic
  }
}

describe('TestServiceCreateAndUpdate: template changes make revisions, numbered by generation', () => {
  const c = new Cluster()
  afterAll(() => c.stop())

  test.each<[string, (s: any) => void, string, Record<string, string>]>([
    ['create', () => {}, '1', {}],
    [
      'image update → generation 2',
      (s) => (s.spec.template.spec.containers[0].image = 'img:v2'),
      '2',
      {}
    ],
    [
      'template labels → generation 3',
      (s) => (s.spec.template.metadata = { labels: { team: 'blue' } }),
      '3',
      { team: 'blue' }
    ],
    [
      'template annotations → generation 4',
      (s) => (s.spec.template.metadata.annotations = { note: 'x' }),
      '4',
      { team: 'blue' }
    ]
  ])('%s', async (step, mutate, generation, labels) => {
    if (step === 'create') c.create('services', svc('hello', { template: template('img:v1') }))
    else c.update('services', 'hello', mutate)
    await c.settled('hello')
    const name = `hello-0000${generation}`
    expect(controlPlane(c, 'hello')).toEqual({
      revision: name,
      ready: 'True',
      digest: true,
      generation,
      latestCreated: name,
      traffic: [{ revisionName: name, latestRevision: true, percent: 100 }]
    })
    const rev = c.get('revisions', name)!
    expect(rev.metadata.labels).toMatchObject({
      ...labels,
      [`${L}/configuration`]: 'hello',
      [`${L}/service`]: 'hello',
      [`${L}/routingState`]: 'active'
    })
    if (generation === '4') expect(rev.metadata.annotations).toMatchObject({ note: 'x' })
  })
})

describe('metadata-only changes make no revision (TestUpdateConfigurationMetadata, label propagation)', () => {
  test.each<[string, 'services' | 'configurations']>([
    ['Service labels and annotations reach Configuration and Route, not the Revision', 'services'],
    ['Configuration labels and annotations stay off the Revision', 'configurations']
  ])('%s', async (_name, plural) => {
    const c = new Cluster()
    if (plural === 'services') c.create('services', svc('meta', { template: template('img:v1') }))
    else
      c.create('configurations', {
        apiVersion: `${L}/v1`,
        kind: 'Configuration',
        metadata: { name: 'meta', namespace: 'default' },
        spec: { template: template('img:v1') }
      })
    await c.until(
      'first revision ready',
      () => cond(c.get('revisions', 'meta-00001'), 'Ready')?.status === 'True'
    )
    c.update(plural, 'meta', (o) => {
      o.metadata.labels = { added: 'label' }
      o.metadata.annotations = { ...o.metadata.annotations, added: 'annotation' }
    })
    const obj = c.get(plural, 'meta')!
    expect(obj.metadata.generation).toBe(1)
    if (plural === 'services') {
      await c.until(
        'propagation',
        () => c.get('routes', 'meta')?.metadata.labels?.added === 'label'
      )
      expect(c.get('configurations', 'meta')!.metadata).toMatchObject({
        labels: { added: 'label', [`${L}/service`]: 'meta' },
        annotations: {
          added: 'annotation',
          [`${L}/creator`]: 'alice',
          [`${L}/lastModifier`]: 'alice'
        }
      })
      expect(c.get('configurations', 'meta')!.metadata.generation).toBe(1)
    } else {
      await c.until(
        'observed',
        () => c.get('configurations', 'meta')?.status?.observedGeneration === 1
      )
    }
    expect(c.list('revisions').map((r) => r.metadata.name)).toEqual(['meta-00001'])
    const rev = c.get('revisions', 'meta-00001')!
    expect(rev.metadata.labels?.added).toBeUndefined()
    expect(rev.metadata.annotations?.added).toBeUndefined()
    c.stop()
  })
})

describe('TestServiceBYOName', () => {
  test('the revision takes the template name; changing the image without renaming is refused', async () => {
    const c = new Cluster()
    c.create(
      'services',
      svc('byo', { template: template('img:v1', { metadata: { name: 'byo-byoname' } }) })
    )
    await c.settled('byo')
    expect(controlPlane(c, 'byo').revision).toBe('byo-byoname')
    expect(() =>
      c.update('services', 'byo', (s) => (s.spec.template.spec.containers[0].image = 'img:v2'))
    ).toThrow(
      /Saw the following changes without a name change \(-old \+new\): spec.template.metadata.name/
    )
    c.stop()
  })
})

describe('TestRollbackBYOName', () => {
  test('re-applying the original spec reuses the old revision; latest* move back', async () => {
    const c = new Cluster()
    const original = template('img:v1', { metadata: { name: 'rb-old' } })
    c.create('services', svc('rb', { template: original }))
    await c.settled('rb')
    c.update(
      'services',
      'rb',
      (s) => (s.spec.template = template('img:v2', { metadata: { name: 'rb-new' } }))
    )
    await c.until(
      'rb-new ready',
      () => c.get('services', 'rb')?.status?.latestReadyRevisionName === 'rb-new'
    )
    await c.settled('rb')
    c.update('services', 'rb', (s) => (s.spec.template = structuredClone(original)))
    const s = await c.until('rolled back', () => {
      const now = c.get('services', 'rb')!
      return now.status?.latestReadyRevisionName === 'rb-old' &&
        now.status.observedGeneration === now.metadata.generation &&
        cond(now, 'Ready')?.status === 'True'
        ? now
        : undefined
    })
    expect({ created: s.status.latestCreatedRevisionName, traffic: s.status.traffic }).toEqual({
      created: 'rb-old',
      traffic: [{ revisionName: 'rb-old', latestRevision: true, percent: 100 }]
    })
    expect(c.list('revisions').map((r) => r.metadata.name)).toEqual(['rb-new', 'rb-old'])
    c.stop()
  })
})

describe('stale status before the controller catches up', () => {
  test('generation moves at once, observedGeneration only after the status delay', async () => {
    const c = new Cluster({ statusDelayMs: 30 })
    c.create('services', svc('slow', { template: template('img:v1') }))
    await c.settled('slow')
    const updated = c.update(
      'services',
      'slow',
      (s) => (s.spec.template.spec.containers[0].image = 'img:v2')
    )
    expect({
      generation: updated.metadata.generation,
      observed: c.get('services', 'slow')!.status.observedGeneration
    }).toEqual({
      generation: 2,
      observed: 1
    })
    await c.settled('slow')
    expect(c.get('services', 'slow')!.status.latestReadyRevisionName).toBe('slow-00002')
    c.stop()
  })
})

describe('ownership and garbage', () => {
  test('one pod per ready revision, removed with the Service', async () => {
    const c = new Cluster()
    c.create('services', svc('gc', { template: template('img:v1') }))
    await c.settled('gc')
    const pods = c.list('pods')
    expect(
      pods.map((p) => ({
        name: p.metadata.name,
        phase: p.status.phase,
        rev: p.metadata.labels?.[`${L}/revision`]
      }))
    ).toEqual([
      {
        name: expect.stringMatching(/^gc-00001-deployment-[a-z0-9]{10}-[a-z0-9]{5}$/),
        phase: 'Running',
        rev: 'gc-00001'
      }
    ])
    expect(c.get('configurations', 'gc')!.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Service', name: 'gc', controller: true })
    ])
    // Everything after the user's create is the controller's doing.
    expect(new Set(c.store.history.slice(1).map((e) => e.actor))).toEqual(new Set(['controller']))
    c.store.delete('services.serving.knative.dev', 'default', 'gc')
    await c.until(
      'cascade',
      () =>
        !c.list('configurations').length &&
        !c.list('routes').length &&
        !c.list('revisions').length &&
        !c.list('pods').length
    )
    c.stop()
  })

  test('reusing a BYO name for a different template: RevisionFailed and RevisionNameTaken', async () => {
    const c = new Cluster()
    c.create(
      'services',
      svc('own', { template: template('img:v1', { metadata: { name: 'own-v1' } }) })
    )
    await c.settled('own')
    c.update(
      'services',
      'own',
      (s) => (s.spec.template = template('img:v2', { metadata: { name: 'own-v2' } }))
    )
    await c.until(
      'own-v2 ready',
      () => c.get('services', 'own')?.status?.latestReadyRevisionName === 'own-v2'
    )
    c.update(
      'services',
      'own',
      (s) => (s.spec.template = template('img:v3', { metadata: { name: 'own-v1' } }))
    )
    const s = await c.settled('own', 'False')
    expect({
      config: cond(c.get('configurations', 'own'), 'Ready'),
      routes: cond(s, 'RoutesReady'),
      traffic: s.status.traffic
    }).toEqual({
      config: expect.objectContaining({
        status: 'False',
        reason: 'RevisionFailed',
        message:
          'Revision creation failed with message: revisions.serving.knative.dev "own-v1" already exists.'
      }),
      routes: expect.objectContaining({
        status: 'False',
        reason: 'RevisionNameTaken',
        message:
          'The revision name "own-v1" is taken by a conflicting Revision, so traffic will not be migrated'
      }),
      traffic: [{ revisionName: 'own-v2', latestRevision: true, percent: 100 }]
    })
    c.stop()
  })
})

describe('TestRouteCreation: a standalone Configuration and Route', () => {
  test('the Route follows the Configuration to its next revision', async () => {
    const c = new Cluster()
    c.create('configurations', {
      apiVersion: `${L}/v1`,
      kind: 'Configuration',
      metadata: { name: 'cfg', namespace: 'default' },
      spec: { template: template('img:v1') }
    })
    c.create('routes', {
      apiVersion: `${L}/v1`,
      kind: 'Route',
      metadata: { name: 'rt', namespace: 'default' },
      spec: { traffic: [{ configurationName: 'cfg', percent: 100 }] }
    })
    const traffic = (rev: string) =>
      c.until(`route on ${rev}`, () => {
        const r = c.get('routes', 'rt')
        return r?.status?.traffic?.[0]?.revisionName === rev && cond(r, 'Ready')?.status === 'True'
          ? r.status.traffic
          : undefined
      })
    expect(await traffic('cfg-00001')).toEqual([
      { revisionName: 'cfg-00001', latestRevision: true, percent: 100 }
    ])
    c.update('configurations', 'cfg', (o) => (o.spec.template.spec.containers[0].image = 'img:v2'))
    expect(await traffic('cfg-00002')).toEqual([
      { revisionName: 'cfg-00002', latestRevision: true, percent: 100 }
    ])
    expect(c.get('routes', 'rt')!.status.url).toBe('http://rt.default.example.com')
    c.stop()
  })
})

describe('quiescence', () => {
  test('a settled Service causes no further writes (status rewrites are no-ops)', async () => {
    const c = new Cluster()
    c.create('services', svc('quiet', { template: template('img:v1') }))
    await c.settled('quiet')
    await c.until(
      'labels settled',
      () => c.get('revisions', 'quiet-00001')?.metadata.labels?.[`${L}/routingState`] === 'active'
    )
    const writes = c.store.history.length
    // Absence can only be shown by waiting: many controller rounds (1 ms status delay).
    await new Promise((r) => setTimeout(r, 100))
    expect(c.store.history.length).toBe(writes)
    c.stop()
  })
})
