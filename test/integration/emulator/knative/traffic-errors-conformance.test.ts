// Which traffic target's error a Route reports, as a user reads it: each row sets a
// Service's spec.traffic (or creates a Route of its own) through @kubernetes/client-node and
// again through kubectl, and reads the Route's AllTrafficAssigned and the Service's
// RoutesReady back through the same client. pkg/reconciler/route/traffic/traffic.go
// (knative-v1.21.0): deferTargetError keeps the first target error unless a later one is a
// failure, which always overwrites it; addRevisionTarget asks whose a pinned Revision is
// before whether it is ready, for a Service's Route only (1.21, #16294). The messages are
// pkg/apis/serving/v1/route_lifecycle.go's. (test/unit/emulator/knative/pure.test.ts has the
// same order against buildTraffic alone.)

import { eventually, withEmulator, type TestEmulator } from '../../../helpers/emulator.js'
import {
  clientNode,
  SERVING_CLIENTS,
  type ServingClient
} from '../../../helpers/serving-clients.js'

const TRAFFIC = 'pkg/reconciler/route/traffic/traffic.go'
const DEFER = `${TRAFFIC} deferTargetError`
const OWNED = `${TRAFFIC} addRevisionTarget`

const template = (name: string, env: Record<string, string> = {}) => ({
  metadata: { name },
  spec: {
    containers: [
      {
        image: 'docker.io/acme/hello:v1',
        env: Object.entries(env).map(([k, value]) => ({ name: k, value }))
      }
    ]
  }
})
const SLOW = { EMULATOR_READY_DELAY_MS: '600000' } // Ready Unknown for the whole file
const BROKEN = { EMULATOR_EXIT_CODE: '1' } // Ready False
const cond = (o: any, type: string) => o?.status?.conditions?.find((c: any) => c.type === type)
const pick = (c: any) => c && { status: c.status, reason: c.reason, message: c.message }

/**
 * Service `name` with one Revision per template, made in order (each waited for until it
 * reaches its state); the last one is ready and serves.
 */
async function fixture(
  client: ServingClient,
  name: string,
  revisions: [string, Record<string, string>, 'True' | 'False' | 'Unknown'][]
): Promise<void> {
  for (const [i, [rev, env, state]] of revisions.entries()) {
    if (i === 0)
      await client.create({
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Service',
        metadata: { name },
        spec: { template: template(rev, env) }
      })
    else await client.patch('services', name, { spec: { template: template(rev, env) } })
    await eventually(
      async () =>
        cond(await client.get('revisions', rev).catch(() => undefined), 'Ready')?.status === state,
      `${rev} Ready ${state}`
    )
  }
}

/** te: two slow, two broken, one ready; other: a slow and a ready one of another Service. */
async function fixtures(emulator: TestEmulator): Promise<void> {
  const client = clientNode(emulator)
  await fixture(client, 'te', [
    ['te-slow-1', SLOW, 'Unknown'],
    ['te-slow-2', SLOW, 'Unknown'],
    ['te-broken-1', BROKEN, 'False'],
    ['te-broken-2', BROKEN, 'False'],
    ['te-ok', {}, 'True']
  ])
  await fixture(client, 'other', [
    ['other-slow', SLOW, 'Unknown'],
    ['other-ok', {}, 'True']
  ])
}

const notReady = (rev: string) => ({
  status: 'Unknown',
  reason: 'RevisionMissing',
  message: `Revision "${rev}" is not yet ready.`
})
const failed = (rev: string) => ({
  status: 'False',
  reason: 'RevisionMissing',
  message: `Revision "${rev}" failed to become ready.`
})
const notFound = (kind: string, name: string) => ({
  status: 'False',
  reason: `${kind}Missing`,
  message: `${kind} "${name}" referenced in traffic not found.`
})
const notOwned = (rev: string, owner: string) => ({
  status: 'False',
  reason: 'RevisionNotOwned',
  message: `Revision "${rev}" belongs to Service "${owner}", not Service "te".`
})

/** Targets sharing 100%: each `revision`, or `config:<name>` for a configuration target. */
const split = (targets: string[]) =>
  targets.map((t, i) => ({
    ...(t.startsWith('config:') ? { configurationName: t.slice(7) } : { revisionName: t }),
    percent: i === 0 ? 100 - 50 * (targets.length - 1) : 50
  }))

type Row = [name: string, source: string, targets: string[], reported: object]

/** Rows on Service te's own Route: the Service's RoutesReady mirrors it. */
const serviceRows: Row[] = [
  ['two not ready: the first is named', DEFER, ['te-slow-1', 'te-slow-2'], notReady('te-slow-1')],
  [
    'a failure after a not-ready overwrites it',
    DEFER,
    ['te-slow-1', 'te-broken-1'],
    failed('te-broken-1')
  ],
  [
    'a not-ready after a failure does not',
    DEFER,
    ['te-broken-1', 'te-slow-1'],
    failed('te-broken-1')
  ],
  ['two failures: the last one', DEFER, ['te-broken-1', 'te-broken-2'], failed('te-broken-2')],
  [
    'a missing Revision after a failure: the missing one',
    DEFER,
    ['te-broken-1', 'te-nope'],
    notFound('Revision', 'te-nope')
  ],
  [
    "another Service's Revision, not ready, after a not-ready one: not owned (asked first)",
    OWNED,
    ['te-slow-1', 'other-slow'],
    notOwned('other-slow', 'other')
  ],
  [
    "another Service's ready Revision: not owned",
    OWNED,
    ['other-ok'],
    notOwned('other-ok', 'other')
  ]
]

/** Rows on a Route of its own (no Service label): any Revision in the namespace is its to pin. */
const routeRows: Row[] = [
  [
    "a standalone Route may pin another Service's Revision: only not ready",
    OWNED,
    ['other-slow', 'te-slow-1'],
    notReady('other-slow')
  ],
  [
    'a missing Configuration after a failure: the missing one',
    DEFER,
    ['te-broken-1', 'config:nope'],
    notFound('Configuration', 'nope')
  ]
]

const names = (traffic: any[] | undefined) =>
  JSON.stringify((traffic ?? []).map((t) => t.revisionName ?? t.configurationName))

/** The Route's AllTrafficAssigned (and the Service's RoutesReady) once both saw `targets`. */
async function reported(client: ServingClient, route: string, targets: string[], service: boolean) {
  let last: unknown
  try {
    return await eventually(
      async () => {
        const [r, s] = await Promise.all([
          client.get('routes', route).catch(() => undefined),
          service ? client.get('services', route) : undefined
        ])
        last = { route: pick(cond(r, 'AllTrafficAssigned')), service: pick(cond(s, 'RoutesReady')) }
        const routeSettled =
          names(r?.spec?.traffic) ===
            JSON.stringify(targets.map((t) => t.replace(/^config:/, ''))) &&
          r.status?.observedGeneration === r.metadata.generation
        const serviceSettled =
          !service ||
          (s.status?.observedGeneration === s.metadata.generation &&
            cond(s, 'RoutesReady')?.reason !== 'OutOfDate')
        return routeSettled && serviceSettled && last
      },
      `the Route to report on ${targets.join(', ')}`
    )
  } catch {
    return last
  }
}

describe.each(SERVING_CLIENTS)('through %s (Knative 1.21)', (_client, make) => {
  const emulator = withEmulator({ statusDelayMs: 5 })
  beforeAll(() => fixtures(emulator()), 60_000)

  test.each(serviceRows)('%s (%s)', async (_name, _source, targets, error) => {
    const client = make(emulator())
    await client.patch('services', 'te', { spec: { traffic: split(targets) } })
    expect(await reported(client, 'te', targets, true)).toEqual({ route: error, service: error })
  })

  let seq = 0
  test.each(routeRows)('%s (%s)', async (_name, _source, targets, error) => {
    const client = make(emulator())
    const name = `rt-${++seq}`
    await client.create({
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Route',
      metadata: { name },
      spec: { traffic: split(targets) }
    })
    expect(await reported(client, name, targets, false)).toEqual({
      route: error,
      service: undefined
    })
  })
})

describe.each(SERVING_CLIENTS)('through %s (Knative 1.20)', (_client, make) => {
  const emulator = withEmulator({ statusDelayMs: 5, knativeVersion: '1.20' })
  beforeAll(() => fixtures(emulator()), 60_000)

  test(`before 1.21 a Service's Route may pin another Service's Revision (${OWNED})`, async () => {
    const client = make(emulator())
    const targets = ['other-slow', 'te-slow-1']
    await client.patch('services', 'te', { spec: { traffic: split(targets) } })
    const error = notReady('other-slow')
    expect(await reported(client, 'te', targets, true)).toEqual({ route: error, service: error })
  })
})
