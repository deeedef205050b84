// Namespaces, read-only: `default` plus every namespace an object lives in. The emulator
// has no namespace lifecycle (objects may be created in any namespace), so GET of any
// name answers an Active namespace; kubectl only needs them to exist.

import { RESOURCES, storeKey, type ResourceType } from '../resources.js'
import type { KObject, Store } from '../store.js'

function namespaceObject(name: string, resourceVersion: string, created: Date): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: `namespace-${name}`,
      resourceVersion,
      creationTimestamp: created.toISOString().replace(/\.\d+Z$/, 'Z'),
      labels: { 'kubernetes.io/metadata.name': name }
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' }
  }
}

export function namespaceNames(store: Store): string[] {
  const names = new Set(['default'])
  for (const type of RESOURCES)
    for (const obj of store.list(storeKey(type))) names.add(obj.metadata.namespace ?? 'default')
  return [...names].sort()
}

export function getNamespace(store: Store, name: string, created: Date): KObject {
  return namespaceObject(name, store.resourceVersion, created)
}

export function listNamespaces(
  store: Store,
  created: Date
): {
  apiVersion: string
  kind: string
  metadata: { resourceVersion: string }
  items: KObject[]
} {
  return {
    apiVersion: 'v1',
    kind: 'NamespaceList',
    metadata: { resourceVersion: store.resourceVersion },
    items: namespaceNames(store).map((n) => namespaceObject(n, store.resourceVersion, created))
  }
}

/** How `kubectl get ns` prints them. */
export const NAMESPACE_TYPE: ResourceType = {
  group: '',
  versions: ['v1'],
  plural: 'namespaces',
  singular: 'namespace',
  kind: 'Namespace',
  shortNames: ['ns'],
  categories: [],
  namespaced: false,
  verbs: ['get', 'list'],
  hasStatus: false,
  printerColumns: [{ name: 'Status', type: 'string', jsonPath: '.status.phase' }]
}
