// The post step's way to each cluster the main step was rolling out in: a target without a
// place in `waves` is on the `kubeconfig` input's cluster; a pipeline unit's cluster is found
// by its place, its kubeconfig read as the main step read it (sources.ts), from the same
// inputs and environment, which the runner gives the post step again. One client per cluster.

import { parseInputs, type InputReader, type Inputs } from '../inputs.js'
import { clientFor, type ClientDeps } from '../knative/client-for.js'
import type { PostTarget } from '../rollout/post-state.js'
import type { ServingClient } from '../rollout/ports.js'
import { stagesOf } from './plan.js'

export interface PostClient {
  client: ServingClient
  /** The cluster's name in `waves`, for the log. */
  cluster?: string
}

export function postClients(
  get: InputReader,
  deps: ClientDeps & { env: NodeJS.ProcessEnv }
): (target: PostTarget) => Promise<PostClient> {
  const made = new Map<string, Promise<PostClient>>()
  let inputs: Inputs | undefined
  return (target) => {
    const key = target.wave === undefined ? '' : `${target.wave}/${target.cluster}`
    let client = made.get(key)
    if (!client) {
      client = key
        ? unitClient(() => (inputs ??= parseInputs(get)), target.wave!, target.cluster!, deps)
        : // Only what reaching the cluster needs: the main step validated the rest.
          clientFor(
            { kubeconfig: get('kubeconfig'), tlsInsecure: get('tls-insecure') === 'true' },
            deps
          ).then((c) => ({ client: c }))
      made.set(key, client)
    }
    return client
  }
}

async function unitClient(
  parsed: () => Inputs,
  wave: number,
  index: number,
  deps: ClientDeps & { env: NodeJS.ProcessEnv }
): Promise<PostClient> {
  const inputs = parsed()
  const where = `waves[${wave}].clusters[${index}]`
  const cluster = stagesOf(inputs)[wave]?.clusters[index]
  if (!cluster) throw new Error(`${where} is not in waves`)
  // Loaded for a pipeline only: sources.ts loads client-node (start-up, issue 10).
  const { stageKubeconfig } = await import('./sources.js')
  const kubeconfig = await stageKubeconfig(cluster, {
    where,
    base: inputs.kubeconfig,
    env: deps.env,
    workspace: deps.env.GITHUB_WORKSPACE || undefined
  })
  if (kubeconfig && kubeconfig !== inputs.kubeconfig) deps.onSecret?.(kubeconfig)
  const client = await clientFor({ kubeconfig, tlsInsecure: inputs.tlsInsecure }, deps)
  return { client, cluster: cluster.name }
}
