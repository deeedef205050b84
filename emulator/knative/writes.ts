// The controller's writes to the store, all under the `controller` actor.

import type { KObject, Store } from '../store.js'

export const ACTOR = 'controller'

export function writeStatus(
  store: Store,
  resource: string,
  obj: KObject,
  status: unknown
): KObject {
  return store.update(resource, { ...obj, status }, { subresource: 'status', actor: ACTOR })
}

/** Creates `desired`, or overwrites labels / annotations / spec of `current` when they differ. */
export function apply(
  store: Store,
  resource: string,
  current: KObject | undefined,
  desired: KObject
): KObject {
  if (!current) return store.create(resource, desired, ACTOR)
  const next: KObject = {
    ...current,
    metadata: {
      ...current.metadata,
      labels: desired.metadata.labels,
      annotations: desired.metadata.annotations,
      ownerReferences: desired.metadata.ownerReferences
    },
    spec: desired.spec
  }
  return store.update(resource, next, { actor: ACTOR })
}

/** metav1.IsControlledBy */
export function isControlledBy(obj: KObject, owner: KObject): boolean {
  return !!obj.metadata.ownerReferences?.some((r) => r.controller && r.uid === owner.metadata.uid)
}

export function ownerRef(owner: KObject) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true
  }
}
