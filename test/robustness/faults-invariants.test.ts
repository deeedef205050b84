// The invariant checker itself (test/helpers/invariants.ts), on small hand-made histories:
// each promise it guards is broken once, and a person's hand edit is not blamed on the action.

import type { KObject, StoreEvent } from '../../emulator/store.js'
import { REVISIONS, ROUTES, SERVICES } from '../../emulator/resources.js'
import { checkInvariants } from '../helpers/invariants.js'
import { writeLease, writeState, type RolloutState } from '../../src/rollout/state.js'
import type { KService, TrafficTarget } from '../../src/knative/types.js'

let rv = 0
const event = (resource: string, object: object): StoreEvent => ({
  type: 'MODIFIED',
  resource,
  object: object as KObject,
  resourceVersion: ++rv,
  actor: 'api',
  at: new Date(0).toISOString()
})

const revision = (name: string, ready: boolean) =>
  event(REVISIONS, {
    metadata: { name, namespace: 'default', generation: 1 },
    status: {
      observedGeneration: 1,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }]
    }
  })

const split = (current: number, candidate: number): TrafficTarget[] => [
  { tag: 'current', revisionName: 'shop-v1', percent: current },
  { tag: 'candidate', revisionName: 'shop-v2', percent: candidate },
  { tag: 'latest', latestRevision: true, percent: 0 }
]

const state = (over: Partial<RolloutState>): RolloutState => ({
  phase: 'progressing',
  current: 'shop-v1',
  candidate: 'shop-v2',
  percent: 20,
  steps: [20, 100],
  failures: 0,
  history: [],
  ...over
})

/** A Service write; `lease` marks it as the action's (it renews its lease on every write). */
function service(traffic: TrafficTarget[], st?: RolloutState, lease = 0): StoreEvent {
  let svc = {
    metadata: { name: 'shop', namespace: 'default' },
    spec: { template: { spec: { containers: [] } }, traffic }
  } as unknown as KService
  if (st) svc = writeState(svc, st)
  if (lease) svc = writeLease(svc, { holder: 'run', renewedAt: lease, durationSeconds: 120 })
  return event(SERVICES, svc)
}

const route = (traffic: TrafficTarget[]) =>
  event(ROUTES, { metadata: { name: 'shop', namespace: 'default' }, status: { traffic } })

test.each([
  {
    name: 'a consistent rollout',
    history: () => [
      revision('shop-v1', true),
      revision('shop-v2', true),
      service(split(80, 20), state({}), 1),
      route(split(80, 20))
    ],
    violations: []
  },
  {
    name: 'spec traffic summing to 90',
    history: () => [service(split(70, 20))],
    violations: [/spec.traffic sums to 90/]
  },
  {
    name: 'traffic routed to a revision that is not Ready',
    history: () => [revision('shop-v1', true), revision('shop-v2', false), route(split(80, 20))],
    violations: [/20% routed to shop-v2, which is not Ready/]
  },
  {
    name: 'the action recording 20% while the traffic gives 50%',
    history: () => [service(split(50, 50), state({}), 1)],
    violations: [/state says 20% on the candidate, traffic gives it 50%/]
  },
  {
    name: 'promoted while the candidate tag still has traffic',
    history: () => [service(split(90, 10), state({ phase: 'promoted' }), 1)],
    violations: [/state is promoted but the candidate still has 10%/]
  },
  {
    name: 'a person moving traffic by hand (no rollout annotation touched)',
    history: () => [service(split(80, 20), state({}), 1), service(split(50, 50), state({}), 1)],
    violations: []
  },
  {
    name: 'the action moving traffic under its lease without updating the state',
    history: () => [service(split(80, 20), state({}), 1), service(split(50, 50), state({}), 2)],
    violations: [/state says 20% on the candidate, traffic gives it 50%/]
  }
])('$name', ({ history, violations }) => {
  const found = checkInvariants(history())
  expect(found).toHaveLength(violations.length)
  violations.forEach((v, i) => expect(found[i]).toMatch(v))
})
