// The Route's placeholder Kubernetes Services (pkg/reconciler/route/resources/service.go
// MakeK8sPlaceholderService): one named as the Route and one `<tag>-<route>` per tag, each
// an ExternalName of that host's domain, labelled `serving.knative.dev/route`, owned by
// the Route, so no one else can take the name `<route>.<ns>.svc.cluster.local`. Knative then
// points each at its ingress's load balancer; the emulator's ingress has none, so they stay
// placeholders. A tag that goes takes its Service with it.

import { K8S_SERVICES } from '../resources.js'
import type { KObject, Store } from '../store.js'
import { L } from './labels.js'
import { ACTOR, ownerRef } from './writes.js'

const VISIBILITY = 'networking.knative.dev/visibility'

/** `hosts`: the Route's host name (`<route>` or `<tag>-<route>`) → its domain name. */
export function reconcilePlaceholders(
  store: Store,
  route: KObject,
  hosts: ReadonlyMap<string, string>
): void {
  const { namespace, name } = route.metadata
  for (const [host, domain] of hosts) {
    const wanted = placeholder(route, host, domain)
    const live = store.get(K8S_SERVICES, namespace, host)
    if (!live) store.create(K8S_SERVICES, wanted, ACTOR)
    else if (live.metadata.ownerReferences?.some((r) => r.uid === route.metadata.uid))
      store.update(
        K8S_SERVICES,
        { ...live, metadata: { ...live.metadata, ...wanted.metadata }, spec: wanted.spec },
        { actor: ACTOR }
      )
  }
  // A read-only look (no copy of each): this runs on every Route reconcile, and a
  // namespace of 100 Services holds hundreds of placeholders (bench/scale.bench.ts).
  for (const svc of store.scan(K8S_SERVICES, namespace)) {
    const mine = svc.metadata.ownerReferences?.some((r) => r.uid === route.metadata.uid)
    if (mine && svc.metadata.labels?.[L.route] === name && !hosts.has(svc.metadata.name))
      store.delete(K8S_SERVICES, namespace, svc.metadata.name, ACTOR)
  }
}

function placeholder(route: KObject, host: string, domain: string): KObject {
  const labels = Object.fromEntries(
    Object.entries(route.metadata.labels ?? {}).filter(([k]) => k !== VISIBILITY)
  )
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: host,
      namespace: route.metadata.namespace,
      labels: { ...labels, [L.route]: route.metadata.name },
      annotations: { ...(route.metadata.annotations ?? {}) },
      ownerReferences: [ownerRef(route)]
    },
    spec: {
      type: 'ExternalName',
      externalName: domain,
      sessionAffinity: 'None',
      ports: [{ name: 'http2', appProtocol: 'kubernetes.io/h2c', port: 80, targetPort: 80 }]
    }
  }
}
