// Which Routes a Configuration's or Revision's change concerns: those whose traffic names it,
// as Knative's Route reconciler tracks its targets (pkg/reconciler/route). Reconciling every
// Route of the namespace on every change instead made a run of many Services quadratic
// (bench/scale.bench.ts).

import { CONFIGURATIONS, REVISIONS } from '../resources.js'
import type { KObject, StoreEvent } from '../store.js'
import { L } from './labels.js'

/** Whether `route`'s traffic (spec or status) names the Configuration or Revision of `e`. */
export function routeTargets(route: KObject, e: Pick<StoreEvent, 'resource' | 'object'>): boolean {
  const meta = e.object.metadata
  const configuration =
    e.resource === CONFIGURATIONS
      ? meta.name
      : e.resource === REVISIONS
        ? meta.labels?.[L.configuration]
        : undefined
  const revision = e.resource === REVISIONS ? meta.name : undefined
  const traffic = [...(route.spec?.traffic ?? []), ...(route.status?.traffic ?? [])] as {
    configurationName?: string
    revisionName?: string
  }[]
  return traffic.some(
    (t) =>
      (configuration !== undefined && t.configurationName === configuration) ||
      (revision !== undefined && t.revisionName === revision)
  )
}
