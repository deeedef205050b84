// Service → Configuration + Route (pkg/reconciler/service): materialise both children,
// then mirror their readiness into ConfigurationsReady / RoutesReady.

import type { TrafficTarget } from '../../src/knative/types.js'
import { CONFIGURATIONS, ROUTES, SERVICES } from '../resources.js'
import type { KObject, Store } from '../store.js'
import { ConditionSet } from './conditions.js'
import { A, L, V1 } from './labels.js'
import { checkNameAvailability } from './reconcile-configuration.js'
import { apply, isControlledBy, ownerRef, writeStatus } from './writes.js'

const OUT_OF_DATE = 'OutOfDate'

function without(
  map: Record<string, string> | undefined,
  ...keys: string[]
): Record<string, string> {
  const out = { ...(map ?? {}) }
  for (const k of keys) delete out[k]
  return out
}

export function desiredConfiguration(svc: KObject): KObject {
  return {
    apiVersion: V1,
    kind: 'Configuration',
    metadata: {
      name: svc.metadata.name,
      namespace: svc.metadata.namespace,
      labels: {
        ...svc.metadata.labels,
        [L.service]: svc.metadata.name,
        [L.serviceUID]: svc.metadata.uid ?? ''
      },
      annotations: {
        ...without(
          svc.metadata.annotations,
          A.lastApplied,
          A.rolloutDuration,
          A.rolloutDurationAlias
        ),
        [A.routes]: svc.metadata.name
      },
      ownerReferences: [ownerRef(svc)]
    },
    spec: { template: structuredClone(svc.spec?.template ?? {}) }
  }
}

export function desiredRoute(svc: KObject): KObject {
  const traffic = ((svc.spec?.traffic ?? []) as TrafficTarget[]).map((tt) =>
    tt.revisionName ? { ...tt } : { ...tt, configurationName: svc.metadata.name }
  )
  return {
    apiVersion: V1,
    kind: 'Route',
    metadata: {
      name: svc.metadata.name,
      namespace: svc.metadata.namespace,
      labels: { ...svc.metadata.labels, [L.service]: svc.metadata.name },
      annotations: without(svc.metadata.annotations, A.lastApplied),
      ownerReferences: [ownerRef(svc)]
    },
    spec: { traffic }
  }
}

/** Mirrors a child's Ready condition into the Service's dependent condition. */
function mirror(cs: ConditionSet, type: string, child: KObject): void {
  const ready = child.status?.conditions?.find((c: any) => c.type === 'Ready')
  if (ready?.status === 'True') cs.markTrue(type)
  else if (ready?.status === 'False') cs.markFalse(type, ready.reason ?? '', ready.message ?? '')
  else cs.markUnknown(type, ready?.reason ?? '', ready?.message ?? '')
}

export function reconcileService(store: Store, svc: KObject, now: string): void {
  const { name, namespace } = svc.metadata
  const cs = new ConditionSet(
    svc.status?.conditions,
    ['ConfigurationsReady', 'RoutesReady'],
    now
  ).initialize()
  const status: any = { ...(svc.status ?? {}) }
  if (status.observedGeneration !== svc.metadata.generation) {
    cs.markUnknown('Ready', 'NewObservedGenFailure', 'unsuccessfully observed a new generation')
  }
  const finish = (): void => {
    writeStatus(store, SERVICES, svc, {
      ...status,
      observedGeneration: svc.metadata.generation,
      conditions: cs.result()
    })
  }

  const existingConfig = store.get(CONFIGURATIONS, namespace, name)
  if (existingConfig && !isControlledBy(existingConfig, svc)) {
    cs.markFalse(
      'ConfigurationsReady',
      'NotOwned',
      `There is an existing Configuration "${name}" that we do not own.`
    )
    return finish()
  }
  const config = apply(store, CONFIGURATIONS, existingConfig, desiredConfiguration(svc))
  if (config.metadata.generation !== config.status?.observedGeneration) {
    cs.markUnknown(
      'ConfigurationsReady',
      OUT_OF_DATE,
      'The Configuration is still working to reflect the latest desired specification.'
    )
    // With a BYO name the Route must wait: traffic never points at a Revision not yet created.
    if (config.spec?.template?.metadata?.name) return finish()
  } else {
    for (const key of ['latestCreatedRevisionName', 'latestReadyRevisionName']) {
      const value = config.status?.[key]
      if (value === undefined) delete status[key]
      else status[key] = value
    }
    mirror(cs, 'ConfigurationsReady', config)
  }
  if (checkNameAvailability(config, store)) {
    const byo = config.spec.template.metadata.name
    cs.markFalse(
      'RoutesReady',
      'RevisionNameTaken',
      `The revision name "${byo}" is taken by a conflicting Revision, so traffic will not be migrated`
    )
    return finish()
  }

  const existingRoute = store.get(ROUTES, namespace, name)
  if (existingRoute && !isControlledBy(existingRoute, svc)) {
    cs.markFalse(
      'RoutesReady',
      'NotOwned',
      `There is an existing Route "${name}" that we do not own.`
    )
    return finish()
  }
  const route = apply(store, ROUTES, existingRoute, desiredRoute(svc))
  if (route.metadata.generation !== route.status?.observedGeneration) {
    cs.markUnknown(
      'RoutesReady',
      OUT_OF_DATE,
      'The Route is still working to reflect the latest desired specification.'
    )
  } else {
    for (const key of ['url', 'address', 'traffic']) {
      if (route.status?.[key] !== undefined) status[key] = route.status[key]
    }
    mirror(cs, 'RoutesReady', route)
    if (!trafficMigrated(route, config)) {
      cs.markUnknown(
        'RoutesReady',
        'TrafficNotMigrated',
        'Traffic is not yet migrated to the latest revision.'
      )
    }
  }
  finish()
}

/** checkRoutesNotReady: a Ready Route whose status.traffic does not match its spec yet. */
function trafficMigrated(route: KObject, config: KObject): boolean {
  const ready = route.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True'
  if (!ready) return true
  const want: TrafficTarget[] = route.spec?.traffic ?? []
  const got: TrafficTarget[] = route.status?.traffic ?? []
  if (want.length !== got.length) return false
  return want.every((w, i) => {
    const rev =
      w.configurationName === config.metadata.name
        ? config.status?.latestReadyRevisionName
        : w.revisionName
    return (
      (w.tag ?? '') === (got[i].tag ?? '') &&
      rev === got[i].revisionName &&
      (w.percent ?? 0) === (got[i].percent ?? 0)
    )
  })
}
