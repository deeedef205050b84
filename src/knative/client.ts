// createServingClient: the ServingClient (serving-client.ts) on a kubeconfig, synchronously.
// A plain kubeconfig is read without client-node; any other, and every invalid one, by
// client-node (kubeconfig.ts), which this file imports. The entries use client-for.ts
// instead, which loads client-node only when a kubeconfig needs it (issue 10: start-up).

import type { ServingClient } from '../rollout/ports.js'
import { clientNodeAccess } from './kubeconfig.js'
import { plainAccess } from './plain-kubeconfig.js'
import { servingClientOn, type ServingClientOptions } from './serving-client.js'

export { FIELD_MANAGER, type ServingClientOptions } from './serving-client.js'

export function createServingClient(options: ServingClientOptions): ServingClient {
  const access = plainAccess(options) ?? clientNodeAccess(options, options.onSecret)
  return servingClientOn(access, options)
}
