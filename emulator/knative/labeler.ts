// The routing-state labeler (pkg/reconciler/labeler): Revisions that Routes send traffic
// to are `active` and annotated with those Routes; other Revisions of routed
// Configurations are `reserve`.

import type { TrafficTarget } from '../../src/knative/types.js'
import { REVISIONS, ROUTES } from '../resources.js'
import type { Store } from '../store.js'
import { A, L } from './labels.js'
import { ACTOR } from './writes.js'

export function labelRoutingState(store: Store, namespace: string | undefined, now: string): void {
  const routesOf = new Map<string, Set<string>>()
  const routedConfigs = new Set<string>()
  for (const route of store.scan(ROUTES, namespace)) {
    if (route.metadata.deletionTimestamp) continue // being finalized: it routes nothing
    for (const tt of (route.status?.traffic ?? []) as TrafficTarget[]) {
      if (!tt.revisionName) continue
      const set = routesOf.get(tt.revisionName) ?? new Set<string>()
      set.add(route.metadata.name)
      routesOf.set(tt.revisionName, set)
    }
    for (const tt of (route.spec?.traffic ?? []) as TrafficTarget[]) {
      if (tt.configurationName) routedConfigs.add(tt.configurationName)
    }
  }
  for (const rev of store.scan(REVISIONS, namespace)) {
    const labels = { ...(rev.metadata.labels ?? {}) }
    const annotations = { ...(rev.metadata.annotations ?? {}) }
    const routes = routesOf.get(rev.metadata.name)
    const current = labels[L.routingState]
    const wanted = routes
      ? 'active'
      : routedConfigs.has(labels[L.configuration] ?? '') || current === 'active'
        ? 'reserve'
        : current
    const routesValue = routes ? [...routes].sort().join(',') : undefined
    if (wanted === current && routesValue === annotations[A.routes]) continue
    if (wanted && wanted !== current) {
      labels[L.routingState] = wanted
      annotations[A.routingStateModified] = now
    }
    if (routesValue) annotations[A.routes] = routesValue
    else delete annotations[A.routes]
    store.update(
      REVISIONS,
      { ...rev, metadata: { ...rev.metadata, labels, annotations } },
      { actor: ACTOR }
    )
  }
}
