// Gradual rollout (`serving.knative.dev/rollout-duration`) as a user meets it: each row is a
// Service (or a Route and its Configuration) written, then changed, through
// @kubernetes/client-node and again through kubectl; the Route's status.traffic and its
// IngressReady, and the Service's RoutesReady, are read back through the same client until
// the move ends. Each row names the knative/serving source it encodes
// (pkg/reconciler/route/traffic/rollout.go: Step, stepConfig; the ingress here is ready at
// once, so every step lasts the 1 s minimum and a duration of d s takes min(d - 1, percent - 1)
// steps). gradual-rollout.test.ts has the stepping arithmetic against stepRollout alone.

import { eventually, withEmulator } from '../../../helpers/emulator.js'
import { SERVING_CLIENTS, type ServingClient as Client } from '../../../helpers/serving-clients.js'

const emulator = withEmulator({ statusDelayMs: 5 })
const ROLLOUT = 'pkg/reconciler/route/traffic/rollout.go'
const SERVICE_ROUTE = 'pkg/reconciler/service/resources/route.go'
const IN_PROGRESS = {
  status: 'Unknown',
  reason: 'RolloutInProgress',
  message: 'A gradual rollout of the latest revision(s) is in progress.'
}

const image = (v: string) => `docker.io/acme/hello:${v}`
const template = (v: string, name?: string) => ({
  metadata: name ? { name } : {},
  spec: { containers: [{ image: image(v) }] }
})
const DURATION = 'serving.knative.dev/rollout-duration'
const service = (n: string, annotations: Record<string, string>, spec: any = {}) => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: n, annotations },
  spec: { template: template('v1'), ...spec }
})

/** One status.traffic entry as a row reads it: `revision:percent`, `*` when it follows the latest. */
const entry = (t: any) => `${t.revisionName}:${t.percent}${t.latestRevision ? '*' : ''}`

interface Row {
  name: string
  source: string
  /** The Service, or the Route and its Configuration, created first. */
  objects: (n: string) => any[]
  /** The Route's traffic once they are ready. */
  before: (n: string) => string[]
  /** What ships the new revision, in order. */
  change: (n: string) => Change[]
  /** Sent once the ramp is seen: a revision arriving mid-rollout. */
  midway?: (n: string) => Change[]
  /** The Route's traffic when the move is over. */
  after: (n: string) => string[]
  /**
   * The splits in between, each as Knative steps them, in order (a poll may miss one, never
   * see one out of order); none: the move is at once. Newest revision last.
   */
  ramp?: (n: string) => string[][]
  /** A split that must be seen on the way (the midway revision's 1%). */
  seen?: (n: string) => string[]
}

const cond = (o: any, type: string) => o?.status?.conditions?.find((c: any) => c.type === type)
const pick = (c: any) => c && { status: c.status, reason: c.reason, message: c.message }

/** A merge patch, [plural, name, patch]; or a wait until the named Revision is Ready. */
type Change = [string, string, unknown] | { ready: string }

async function send(client: Client, changes: Change[]): Promise<void> {
  for (const c of changes) {
    if (Array.isArray(c)) await client.patch(...c)
    else {
      const ready = async () =>
        cond(await client.get('revisions', c.ready).catch(() => undefined), 'Ready')?.status ===
        'True'
      await eventually(ready, `${c.ready} to be ready`)
    }
  }
}

const rev = (n: string, i: number) => `${n}-0000${i}`
const newImage = (v: string) => ({ spec: { template: template(v) } })

const rows: Row[] = [
  {
    name: 'a new latest revision starts at 1% and steps up (3s: 2 steps of 50% a second)',
    source: `${ROLLOUT}, ${SERVICE_ROUTE}`,
    objects: (n) => [service(n, { [DURATION]: '3s' })],
    before: (n) => [`${rev(n, 1)}:100*`],
    change: (n) => [['services', n, newImage('v2')]],
    after: (n) => [`${rev(n, 2)}:100*`],
    ramp: (n) => [
      [`${rev(n, 1)}:99*`, `${rev(n, 2)}:1*`],
      [`${rev(n, 1)}:49*`, `${rev(n, 2)}:51*`]
    ]
  },
  {
    name: 'on a Route of its own, under the rolloutDuration alias (4s: 3 steps of 33%)',
    source: `${ROLLOUT}, pkg/apis/serving/register.go RolloutDurationAnnotation`,
    objects: (n) => [
      {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Configuration',
        metadata: { name: n },
        spec: { template: template('v1') }
      },
      {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Route',
        metadata: { name: n, annotations: { 'serving.knative.dev/rolloutDuration': '4s' } },
        spec: { traffic: [{ configurationName: n, percent: 100 }] }
      }
    ],
    before: (n) => [`${rev(n, 1)}:100*`],
    change: (n) => [['configurations', n, newImage('v2')]],
    after: (n) => [`${rev(n, 2)}:100*`],
    ramp: (n) => [
      [`${rev(n, 1)}:99*`, `${rev(n, 2)}:1*`],
      [`${rev(n, 1)}:66*`, `${rev(n, 2)}:34*`],
      [`${rev(n, 1)}:33*`, `${rev(n, 2)}:67*`]
    ]
  },
  {
    name: 'a revision arriving mid-rollout starts at 1%, taken from the newest (6s)',
    source: `${ROLLOUT} (stepConfig)`,
    objects: (n) => [service(n, { [DURATION]: '6s' })],
    before: (n) => [`${rev(n, 1)}:100*`],
    change: (n) => [['services', n, newImage('v2')]],
    midway: (n) => [['services', n, newImage('v3')]],
    after: (n) => [`${rev(n, 3)}:100*`],
    seen: (n) => [
      expect.stringMatching(new RegExp(`^${rev(n, 1)}:\\d+\\*$`)),
      expect.stringMatching(new RegExp(`^${rev(n, 2)}:\\d+\\*$`)),
      `${rev(n, 3)}:1*`
    ]
  },
  {
    name: 'without rollout-duration the new revision takes the share at once',
    source: ROLLOUT,
    objects: (n) => [service(n, {})],
    before: (n) => [`${rev(n, 1)}:100*`],
    change: (n) => [['services', n, newImage('v2')]],
    after: (n) => [`${rev(n, 2)}:100*`]
  },
  {
    name: 'a target pinned by revisionName moves at once',
    source: `${ROLLOUT} (only configuration targets roll)`,
    objects: (n) => [
      service(
        n,
        { [DURATION]: '3s' },
        {
          template: template('v1', `${n}-v1`),
          traffic: [{ revisionName: `${n}-v1`, percent: 100 }]
        }
      )
    ],
    before: (n) => [`${n}-v1:100`],
    change: (n) => [
      ['services', n, { spec: { template: template('v2', `${n}-v2`) } }],
      { ready: `${n}-v2` },
      ['services', n, { spec: { traffic: [{ revisionName: `${n}-v2`, percent: 100 }] } }]
    ],
    after: (n) => [`${n}-v2:100`]
  },
  {
    name: 'a latest target at 1% is not stepped (the A/B case)',
    source: `${ROLLOUT} (Step: p == 1)`,
    objects: (n) => [
      service(
        n,
        { [DURATION]: '3s' },
        {
          template: template('v1', `${n}-v1`),
          traffic: [
            { revisionName: `${n}-v1`, percent: 99 },
            { latestRevision: true, percent: 1 }
          ]
        }
      )
    ],
    before: (n) => [`${n}-v1:99`, `${n}-v1:1*`],
    change: (n) => [['services', n, { spec: { template: template('v2', `${n}-v2`) } }]],
    after: (n) => [`${n}-v1:99`, `${n}-v2:1*`]
  },
  {
    name: 'traffic moved from a pinned revision to the latest is not ramped: no rollout to step from',
    source: `${ROLLOUT} (Step: no previous Rollout)`,
    objects: (n) => [
      service(
        n,
        { [DURATION]: '3s' },
        {
          template: template('v1', `${n}-v1`),
          traffic: [{ revisionName: `${n}-v1`, percent: 100 }]
        }
      )
    ],
    before: (n) => [`${n}-v1:100`],
    change: (n) => [
      ['services', n, { spec: { template: template('v2', `${n}-v2`) } }],
      // Ready before the traffic follows it: else the latest is still v1, and v2 then ramps.
      { ready: `${n}-v2` },
      ['services', n, { spec: { traffic: [{ latestRevision: true, percent: 100 }] } }]
    ],
    after: (n) => [`${n}-v2:100*`]
  }
]

interface Seen {
  traffic: string[]
  ingress?: any
  routes?: any
}

/** The Route (and the Service, when there is one) read together through `client`. */
async function look(client: Client, n: string, hasService: boolean): Promise<Seen> {
  const [route, svc] = await Promise.all([
    client.get('routes', n).catch(() => undefined),
    hasService ? client.get('services', n).catch(() => undefined) : undefined
  ])
  return {
    traffic: (route?.status?.traffic ?? []).map(entry),
    ingress: pick(cond(route, 'IngressReady')),
    routes: pick(cond(svc, 'RoutesReady'))
  }
}

const same = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify(b)

async function play(client: Client, row: Row, n: string): Promise<Seen[]> {
  const objects = row.objects(n)
  const hasService = objects.some((o) => o.kind === 'Service')
  for (const o of objects) await client.create(o)
  const ready = (s: Seen) => same(s.traffic, row.before(n)) && s.ingress?.status === 'True'
  await eventually(async () => ready(await look(client, n, hasService)), 'the first revision')
  await send(client, row.change(n))
  const seen: Seen[] = []
  let midway = row.midway
  const deadline = Date.now() + 20_000
  for (;;) {
    const s = await look(client, n, hasService)
    const last = seen.at(-1)
    if (!last || !same(last.traffic, s.traffic) || last.routes?.reason !== s.routes?.reason)
      seen.push(s)
    if (midway && s.traffic.length > 1) {
      await send(client, midway(n))
      midway = undefined
    }
    if (!midway && same(s.traffic, row.after(n)) && s.ingress?.status === 'True') return seen
    if (Date.now() > deadline) throw new Error(`no end to the move: ${JSON.stringify(seen)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

function judge(row: Row, n: string, seen: Seen[]): void {
  const between = seen.filter(
    (s) => !same(s.traffic, row.before(n)) && !same(s.traffic, row.after(n))
  )
  if (!row.ramp && !row.seen) {
    // At once: nothing in between, and the Route never said a rollout was moving.
    expect(between).toEqual([])
    expect(seen.map((s) => s.ingress?.reason)).not.toContain('RolloutInProgress')
    return
  }
  expect(between.length).toBeGreaterThan(0)
  if (row.ramp) {
    const steps = row.ramp(n).map((t) => JSON.stringify(t))
    const order = between.map((s) => steps.indexOf(JSON.stringify(s.traffic)))
    // Each split seen is one of Knative's steps, and they come in Knative's order.
    expect(between.filter((_, i) => order[i] < 0).map((s) => s.traffic)).toEqual([])
    expect(order).toEqual([...order].sort((a, b) => a - b))
  }
  if (row.seen) expect(between.map((s) => s.traffic)).toContainEqual(row.seen(n))
  // While traffic is split, the Route's IngressReady says so, and the Service mirrors it.
  for (const s of between) expect(s.ingress).toEqual(IN_PROGRESS)
  if (seen.some((s) => s.routes)) expect(seen.map((s) => s.routes)).toContainEqual(IN_PROGRESS)
}

let seq = 0
describe.each(SERVING_CLIENTS)('through %s', (_client, make) => {
  test.each(rows.map((r) => [r.name, r.source, r] as const))(
    '%s (%s)',
    async (_name, _source, row) => {
      const n = `gr-${++seq}`
      judge(row, n, await play(make(emulator()), row, n))
    },
    40_000
  )
})
