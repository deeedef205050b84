// Which Routes a Configuration's or Revision's change sends the controller back to: those
// whose traffic names it (emulator/knative/route-targets.ts).

import { routeTargets } from '../../../../emulator/knative/route-targets.js'
import { L } from '../../../../emulator/knative/labels.js'
import { CONFIGURATIONS, REVISIONS, SERVICES } from '../../../../emulator/resources.js'
import type { KObject } from '../../../../emulator/store.js'

const route = (spec: object[], status: object[] = []): KObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Route',
  metadata: { name: 'shop', namespace: 'default' },
  spec: { traffic: spec },
  status: { traffic: status }
})
const object = (name: string, configuration?: string): KObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'X',
  metadata: {
    name,
    namespace: 'default',
    ...(configuration ? { labels: { [L.configuration]: configuration } } : {})
  }
})
const configuration = (name: string) => ({ resource: CONFIGURATIONS, object: object(name) })
const revision = (name: string, config: string) => ({
  resource: REVISIONS,
  object: object(name, config)
})

const latest = route([{ configurationName: 'shop', latestRevision: true, percent: 100 }])
const pinned = route(
  [
    { revisionName: 'shop-00001', percent: 90 },
    { revisionName: 'cart-00002', percent: 10, tag: 'candidate' }
  ],
  [{ revisionName: 'shop-00000', percent: 100 }]
)

test.each<[string, KObject, { resource: string; object: KObject }, boolean]>([
  ['its Configuration', latest, configuration('shop'), true],
  ["another Service's Configuration", latest, configuration('cart'), false],
  ['a Revision of its Configuration', latest, revision('shop-00003', 'shop'), true],
  ['a Revision of another Configuration', latest, revision('cart-00001', 'cart'), false],
  ['a Revision it names', pinned, revision('shop-00001', 'shop'), true],
  ["another Configuration's Revision it names", pinned, revision('cart-00002', 'cart'), true],
  ['a Revision its status still names', pinned, revision('shop-00000', 'shop'), true],
  [
    'a Revision of a Configuration it names only by Revision',
    pinned,
    revision('shop-00004', 'shop'),
    false
  ],
  ['a Configuration it names only by Revision', pinned, configuration('shop'), false],
  ['a Service of the same name', latest, { resource: SERVICES, object: object('shop') }, false]
])('%s', (_name, r, e, expected) => {
  expect(routeTargets(r, e)).toBe(expected)
})
