// Route (pkg/reconciler/route): resolve the traffic, publish URLs and conditions. On a
// target error status.traffic keeps its previous value, so the data plane keeps serving
// the old split.

import { CONFIGURATIONS, REVISIONS, ROUTES } from '../resources.js'
import type { EmulatorSettings } from '../settings.js'
import type { KObject, Store } from '../store.js'
import { ConditionSet } from './conditions.js'
import { L } from './labels.js'
import { buildTraffic } from './route-traffic.js'
import { reconcilePlaceholders } from './placeholder-services.js'
import { parseKnativeVersion } from '../knative-version.js'
import { writeStatus } from './writes.js'
import { rolloutDurationMs, stepRollout, type RolloutState } from './gradual-rollout.js'
import { rfc3339 } from '../time.js'

export const ROUTE_DEPENDENTS = ['AllTrafficAssigned', 'CertificateProvisioned', 'IngressReady']

export function routeDomain(route: KObject, settings: EmulatorSettings): string {
  const clusterLocal = route.metadata.labels?.[L.visibility] === 'cluster-local'
  return clusterLocal ? 'svc.cluster.local' : settings.domain
}

/**
 * Returns when the Route must be reconciled again by itself (the next gradual-rollout step).
 * `rollouts` keeps each Route's gradual rollouts between reconciles (Knative keeps them on
 * the Ingress).
 */
export function reconcileRoute(
  store: Store,
  route: KObject,
  settings: EmulatorSettings,
  nowMs: number,
  rollouts: Map<string, RolloutState> = new Map()
): number | undefined {
  const now = rfc3339(nowMs)
  let wakeAtMs: number | undefined
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
    },
    { ownedOnly: parseKnativeVersion(settings.knativeVersion).minor >= 21 }
  )
  if (result.error) {
    const { failure, reason, message } = result.error
    if (failure) cs.markFalse('AllTrafficAssigned', reason, message)
    else cs.markUnknown('AllTrafficAssigned', reason, message)
  } else {
    const key = `${namespace}/${name}`
    const rolled = stepRollout(
      route.status?.traffic,
      result.traffic,
      rollouts.get(key) ?? {},
      rolloutDurationMs(route),
      nowMs
    )
    if (rolled.inProgress) rollouts.set(key, rolled.state)
    else rollouts.delete(key)
    wakeAtMs = rolled.wakeAtMs
    const hosts = [
      name,
      ...new Set(result.traffic.flatMap((t) => (t.tag ? [`${t.tag}-${name}`] : [])))
    ]
    reconcilePlaceholders(
      store,
      route,
      new Map(hosts.map((h) => [h, `${h}.${namespace}.${domain}`]))
    )
    status.traffic = rolled.traffic
    status.address = { url: `http://${name}.${namespace}.svc.cluster.local` }
    cs.markTrue('AllTrafficAssigned')
    cs.markTrue('CertificateProvisioned', 'TLSNotEnabled', 'external-domain-tls is not enabled')
    // The emulator's ingress reads status.traffic directly, so it is ready at once, but
    // for a gradual rollout in progress.
    if (rolled.inProgress) {
      cs.markUnknown(
        'IngressReady',
        'RolloutInProgress',
        'A gradual rollout of the latest revision(s) is in progress.'
      )
    } else cs.markTrue('IngressReady')
  }
  writeStatus(store, ROUTES, route, {
    ...status,
    observedGeneration: route.metadata.generation,
    conditions: cs.result()
  })
  return wakeAtMs
}
