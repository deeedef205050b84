// The Route's finalizer. Knative's routing-state labeler (pkg/reconciler/labeler) is a
// Route reconciler that finalizes: knative.dev's generated reconciler
// (pkg/client/injection/reconciler/serving/v1/route) puts `routes.serving.knative.dev` on
// every Route, so deleting one (or its Service) leaves it with a deletionTimestamp until
// the labeler has taken its routing labels off the Revisions (FinalizeKind) and removed
// the finalizer.

import { cascade } from '../api/delete.js'
import { ROUTES } from '../resources.js'
import type { KObject, Store } from '../store.js'
import { labelRoutingState } from './labeler.js'
import { ACTOR } from './writes.js'

export const ROUTE_FINALIZER = 'routes.serving.knative.dev'

/**
 * The Route to reconcile, with the finalizer on it; or undefined for a Route being
 * deleted, which is finalized here instead.
 */
export function holdRoute(store: Store, route: KObject, now: string): KObject | undefined {
  const finalizers = route.metadata.finalizers ?? []
  const withFinalizers = (list: string[]): KObject => ({
    ...route,
    metadata: { ...route.metadata, finalizers: list }
  })
  if (route.metadata.deletionTimestamp) {
    if (finalizers.includes(ROUTE_FINALIZER)) {
      const rest = finalizers.filter((f) => f !== ROUTE_FINALIZER)
      store.update(ROUTES, withFinalizers(rest), { actor: ACTOR })
    }
    labelRoutingState(store, route.metadata.namespace, now)
    // Gone now: the garbage collector takes what it owned (its placeholder Services).
    if (!store.get(ROUTES, route.metadata.namespace, route.metadata.name))
      cascade(store, route.metadata.uid, route.metadata.namespace)
    return undefined
  }
  if (finalizers.includes(ROUTE_FINALIZER)) return route
  return store.update(ROUTES, withFinalizers([...finalizers, ROUTE_FINALIZER]), { actor: ACTOR })
}
