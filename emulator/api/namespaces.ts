// Namespaces: the ones a cluster starts with (`settings.namespaces`), those created with
// POST /api/v1/namespaces (kubectl create namespace), and any an object already lives in.
// A create into any other namespace is refused as the API server's NamespaceLifecycle
// admission refuses it: 404 `namespaces "x" not found`. There is no namespace deletion.

import { ApiError } from '../api-error.js'
import { RESOURCES, storeKey, type ResourceType } from '../resources.js'
import type { EmulatorSettings } from '../settings.js'
import type { KObject, Store } from '../store.js'
import { isPlainObject, parseJson } from './http.js'
import { decodeProtobufMetadata } from './protobuf.js'
import { methodNotAllowed } from './routing.js'
import { rfc3339 } from '../time.js'

/** What a fresh cluster has. */
export const INITIAL_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system']

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

function namespaceObject(name: string, resourceVersion: string, created: Date): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: `namespace-${name}`,
      resourceVersion,
      creationTimestamp: rfc3339(created),
      labels: { 'kubernetes.io/metadata.name': name }
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' }
  }
}

export function namespaceNames(store: Store, settings: EmulatorSettings): string[] {
  const names = new Set(settings.namespaces)
  // Asked on every namespaced request: a look without copying each object (scale).
  for (const type of RESOURCES)
    for (const obj of store.scan(storeKey(type))) names.add(obj.metadata.namespace ?? 'default')
  return [...names].sort()
}

const notFound = (name: string) => ApiError.notFound('namespaces', name)

/** Throws the API server's 404 when objects cannot be created in `namespace`. */
export function requireNamespace(store: Store, settings: EmulatorSettings, namespace?: string) {
  if (namespace !== undefined && !namespaceNames(store, settings).includes(namespace))
    throw notFound(namespace)
}

/** GET one or all, or POST a new one; the reply is a Namespace or a NamespaceList. */
export function serveNamespaces(
  store: Store,
  settings: EmulatorSettings,
  method: string,
  name: string | undefined,
  body: Buffer,
  contentType: string | undefined,
  created: Date
): { status: number; body: KObject } {
  const rv = store.resourceVersion
  if (method === 'GET' && name !== undefined) {
    if (!namespaceNames(store, settings).includes(name)) throw notFound(name)
    return { status: 200, body: namespaceObject(name, rv, created) }
  }
  if (method === 'GET') {
    const items = namespaceNames(store, settings).map((n) => namespaceObject(n, rv, created))
    return {
      status: 200,
      body: {
        apiVersion: 'v1',
        kind: 'NamespaceList',
        metadata: { resourceVersion: rv } as never,
        items
      }
    }
  }
  if (method !== 'POST' || name !== undefined) throw methodNotAllowed()
  const obj = contentType?.startsWith('application/vnd.kubernetes.protobuf')
    ? decodeProtobufMetadata(body)
    : parseJson(body.toString('utf8'))
  const wanted = isPlainObject(obj) && isPlainObject(obj.metadata) ? obj.metadata.name : undefined
  if (typeof wanted !== 'string' || !wanted) {
    throw new ApiError(
      422,
      'Invalid',
      'Namespace "" is invalid: metadata.name: Required value: name or generateName is required'
    )
  }
  if (!DNS_LABEL.test(wanted) || wanted.length > 63) {
    throw new ApiError(
      422,
      'Invalid',
      `Namespace "${wanted}" is invalid: metadata.name: Invalid value: "${wanted}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`
    )
  }
  if (namespaceNames(store, settings).includes(wanted))
    throw ApiError.alreadyExists('namespaces', wanted)
  settings.namespaces.push(wanted)
  return { status: 201, body: namespaceObject(wanted, rv, created) }
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
  verbs: ['create', 'get', 'list'],
  hasStatus: false,
  printerColumns: [{ name: 'Status', type: 'string', jsonPath: '.status.phase' }]
}
