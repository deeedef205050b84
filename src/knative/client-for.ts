// The one way the entries (run.ts, post.ts, the pipeline, the CLI) make a ServingClient for
// a cluster: a plain kubeconfig without client-node; client-node, loaded here only when a
// kubeconfig needs it (credential plugins, proxies, in-cluster; issue 10: start-up), for any
// other. A bad kubeconfig fails here, before the client exists.

import type { Clock, ServingClient } from '../rollout/ports.js'
import type { Logger } from '../log.js'
import { plainAccess } from './plain-kubeconfig.js'
import { servingClientOn, type ServingClientOptions } from './serving-client.js'

export interface Cluster {
  /** Kubeconfig content (secret); otherwise KUBECONFIG, ~/.kube/config or in-cluster. */
  kubeconfig?: string
  tlsInsecure?: boolean
}

export interface ClientDeps {
  clock: Clock
  log: Logger
  /** Told each credential a kubeconfig plugin hands back, to mask it. */
  onSecret?: (value: string) => void
  /** Told each warning the API server sent on a dry-run write (untrusted text), and whose. */
  onWarning?: ServingClientOptions['onWarning']
}

export async function clientFor(cluster: Cluster, deps: ClientDeps): Promise<ServingClient> {
  const { kubeconfig, tlsInsecure } = cluster
  const options: ServingClientOptions = { kubeconfig, tlsInsecure, ...deps }
  const access =
    plainAccess(cluster) ??
    (await import('./kubeconfig.js')).clientNodeAccess(cluster, deps.onSecret)
  return servingClientOn(access, options)
}
