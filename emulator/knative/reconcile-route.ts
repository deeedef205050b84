// Route (pkg/reconciler/route): resolve the traffic, publish URLs and conditions. On a
// target error status.traffic keeps its previous value, so the data plane keeps serving
// the old split.

import { CONFIGURATIONS, REVISIONS, ROUTES } from '../resources.js'
import type { EmulatorSettings } from '../settings.js'
import type { KObject, Store } from '../store.js'
import { ConditionSet } from './conditions.js'
import { L } from './labels.js'
import { buildTraffic } from './route-traffic.js'
import { writeStatus } from './writes.js'

export const ROUTE_DEPENDENTS = ['AllTrafficAssigned', 'CertificateProvisioned', 'IngressReady']

export function routeDomain(route: KObject, settings: EmulatorSettings): string {
  const clusterLocal = route.metadata.labels?.[L.visibility] === 'cluster-local'
  return clusterLocal ? 'svc.cluster.local' : settings.domain
}

export function reconcileRoute(
  store: Store,
  route: KObject,
  settings: EmulatorSettings,
  now: string
): void {
  const { name, namespace } = route.metadata
  const domain = routeDomain(route, settings)
  const cs = new ConditionSet(route.status?.conditions, ROUTE_DEPENDENTS, now).initialize()
  if (route.status?.observedGeneration !== route.metadata.generation) {
    cs.markUnknown('Ready', 'NewObservedGenFailure', 'unsuccessfully observed a new generation')
  }
  const status: any = { ...(route.status ?? {}), url: `http://${name}.${namespace}.${domain}` }
  const result = buildTraffic(
    route,
    {
      configuration: (n) => store.get(CONFIGURATIONS, namespace, n),
      revision: (n) => store.get(REVISIONS, namespace, n)
    },
    {
      tagLabel: (tag) => `${tag}-${name}`,
      tagHost: (tag) => `${tag}-${name}.${namespace}.${domain}`,
      tagUrl: (tag) => `http://${tag}-${name}.${namespace}.${domain}`
    }
  )
  if (result.error) {
    const { failure, reason, message } = result.error
    if (failure) cs.markFalse('AllTrafficAssigned', reason, message)
    else cs.markUnknown('AllTrafficAssigned', reason, message)
  } else {
    status.traffic = result.traffic
    status.address = { url: `http://${name}.${namespace}.svc.cluster.local` }
    cs.markTrue('AllTrafficAssigned')
    cs.markTrue('CertificateProvisioned', 'TLSNotEnabled', 'external-domain-tls is not enabled')
    // The emulator's ingress reads status.traffic directly, so it is ready at once.
    cs.markTrue('IngressReady')
  }
  writeStatus(store, ROUTES, route, {
    ...status,
    observedGeneration: route.metadata.generation,
    conditions: cs.result()
  })
}
