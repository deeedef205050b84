// The ServingClient port on @kubernetes/client-node: Knative Services and Revisions through
// the custom-objects API, with bounded retries, optimistic concurrency and list+watch waits.

import {
  CustomObjectsApi,
  Observable,
  type ConfigurationOptions,
  type RequestContext,
  type ResponseContext
} from '@kubernetes/client-node'
import type { Clock, ServingClient } from '../rollout/ports.js'
import type { Logger } from '../log.js'
import { condition, type KService, type Revision } from './types.js'
import { KubeApiError, toKubeApiError, type KubeRequest } from './errors.js'
import { loadKubeConfig } from './kubeconfig.js'
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js'
import { waitForObject, type ObjectList } from './watch.js'

const GROUP = 'serving.knative.dev'
const VERSION = 'v1'
/**
 * The field manager every write names, so managedFields tell our changes apart. Never a
 * `kubectl*` name: Flux's kustomize-controller adopts those managers' fields and reverts them.
 */
export const FIELD_MANAGER = 'knative-rollout'

export interface ServingClientOptions {
  /** Kubeconfig content (secret); otherwise KUBECONFIG, ~/.kube/config or in-cluster. */
  kubeconfig?: string
  tlsInsecure?: boolean
  clock: Clock
  log: Logger
  retry?: Partial<RetryPolicy>
  /** How many times a 409 Conflict on update is answered by re-reading and re-applying. */
  maxConflictRetries?: number
  /** One API request (not a watch) that has not answered within this is retried (default 30 s). */
  requestTimeoutMs?: number
  /** client-node's watch inactivity timeout (its default is 30 s). */
  watchInactivityMs?: number
  /** Jitter source; Math.random by default. */
  random?: () => number
}

export function createServingClient(options: ServingClientOptions): ServingClient {
  const kc = loadKubeConfig(options)
  const server = kc.getCurrentCluster()!.server
  if (options.tlsInsecure) {
    options.log.warn(
      `tls-insecure: the certificate of the Kubernetes API server at ${server} is not verified; anyone on the network path could read the credentials and change what is deployed. Use it for test clusters only`
    )
  }
  const api = kc.makeApiClient(CustomObjectsApi)
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry }
  const random = options.random ?? Math.random
  const { clock, log } = options
  const maxConflicts = options.maxConflictRetries ?? 5
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000

  const request = (
    verb: string,
    plural: string,
    namespace: string,
    name?: string
  ): KubeRequest => ({
    verb,
    resource: `${plural}.${GROUP}`,
    namespace,
    name,
    server
  })

  /** One API call: errors become KubeApiError, retryable ones (and timeouts) are retried. */
  function call<T>(
    req: KubeRequest,
    op: (options: ConfigurationOptions) => Promise<unknown>,
    signal?: AbortSignal
  ): Promise<T> {
    return withRetry(
      async () => {
        // undici's own timeouts are 5 minutes; a hung API server should cost far less.
        const timeout = AbortSignal.timeout(requestTimeoutMs)
        try {
          return (await op(withSignal(signal ? AbortSignal.any([signal, timeout]) : timeout))) as T
        } catch (err) {
          if (signal?.aborted) throw signal.reason
          throw toKubeApiError(err, req)
        }
      },
      { clock, log, policy, random, signal }
    )
  }

  async function get<T>(plural: string, namespace: string, name: string): Promise<T | undefined> {
    try {
      return await call<T>(request('get', plural, namespace, name), (o) =>
        api.getNamespacedCustomObject(
          { group: GROUP, version: VERSION, namespace, plural, name },
          o
        )
      )
    } catch (err) {
      if (err instanceof KubeApiError && err.code === 404) return undefined
      throw err
    }
  }

  function list<T>(
    plural: string,
    namespace: string,
    name: string
  ): (signal: AbortSignal) => Promise<ObjectList<T>> {
    return (signal) =>
      call<ObjectList<T>>(
        request('list', plural, namespace),
        (o) =>
          api.listNamespacedCustomObject(
            {
              group: GROUP,
              version: VERSION,
              namespace,
              plural,
              fieldSelector: `metadata.name=${name}`
            },
            o
          ),
        signal
      )
  }

  const watchDeps = {
    kc,
    server,
    clock,
    log,
    policy,
    random,
    inactivityMs: options.watchInactivityMs ?? 30_000
  }
  const collection = (plural: string, namespace: string): string =>
    `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(namespace)}/${plural}`

  // Both waits are the same list+watch loop over a different resource.
  const waitFor =
    <T extends KService | Revision>(plural: 'services' | 'revisions') =>
    (
      namespace: string,
      name: string,
      until: (obj: T) => boolean,
      timeoutMs: number,
      signal?: AbortSignal
    ): Promise<T> =>
      waitForObject<T>(
        watchDeps,
        {
          path: collection(plural, namespace),
          resource: `${plural}.${GROUP}`,
          namespace,
          name,
          list: list<T>(plural, namespace, name),
          describe: describeState
        },
        until,
        timeoutMs,
        signal
      )

  return {
    getService: (namespace, name) => get<KService>('services', namespace, name),
    getRevision: (namespace, name) => get<Revision>('revisions', namespace, name),

    createService(service) {
      const namespace = service.metadata.namespace ?? 'default'
      return call<KService>(request('create', 'services', namespace, service.metadata.name), (o) =>
        api.createNamespacedCustomObject(
          {
            group: GROUP,
            version: VERSION,
            namespace,
            plural: 'services',
            body: service,
            fieldManager: FIELD_MANAGER
          },
          o
        )
      )
    },

    async updateService(namespace, name, mutate) {
      const req = request('update', 'services', namespace, name)
      for (let attempt = 1; ; attempt++) {
        const current = await get<KService>('services', namespace, name)
        if (!current) {
          throw new KubeApiError(
            `cannot update services.${GROUP} "${name}" in namespace "${namespace}": it does not exist`,
            404,
            'NotFound',
            req
          )
        }
        const next = mutate(structuredClone(current))
        if (next === undefined) return current
        // The precondition: the write fails with 409 if anyone wrote since our read.
        const body = {
          ...next,
          metadata: { ...next.metadata, resourceVersion: current.metadata.resourceVersion }
        }
        try {
          return await call<KService>(req, (o) =>
            api.replaceNamespacedCustomObject(
              {
                group: GROUP,
                version: VERSION,
                namespace,
                plural: 'services',
                name,
                body,
                fieldManager: FIELD_MANAGER
              },
              o
            )
          )
        } catch (err) {
          if (!(err instanceof KubeApiError) || err.code !== 409 || attempt >= maxConflicts)
            throw err
          log.debug(
            `services.${GROUP} "${name}" changed since it was read (409 Conflict); reading it again`
          )
        }
      }
    },

    waitForService: waitFor<KService>('services'),
    waitForRevision: waitFor<Revision>('revisions')
  }
}

/** Per-call options that give the request an abort signal (the observable-style middleware client-node runs). */
function withSignal(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (ctx: RequestContext) => {
          ctx.setSignal(signal)
          return new Observable(Promise.resolve(ctx))
        },
        post: (response: ResponseContext) => new Observable(Promise.resolve(response))
      }
    ],
    middlewareMergeStrategy: 'append'
  }
}

/** "last seen: Ready=Unknown (Deploying: ...), observedGeneration 1 of generation 2" */
function describeState(last: KService | Revision | undefined): string {
  if (!last) return 'it was never seen (it does not exist)'
  const ready = condition(last, 'Ready')
  const readyText = ready
    ? `Ready=${ready.status}${ready.reason ? ` (${ready.reason}${ready.message ? `: ${ready.message}` : ''})` : ''}`
    : 'no Ready condition yet'
  const traffic =
    last.kind === 'Service' && last.status?.traffic
      ? `; traffic ${last.status.traffic.map((t) => `${t.tag ? `${t.tag}=` : ''}${t.revisionName ?? 'latest'} ${t.percent ?? 0}%`).join(', ')}`
      : ''
  return `last seen: ${readyText}, observedGeneration ${last.status?.observedGeneration ?? 'none'} of generation ${last.metadata.generation ?? '?'}${traffic}`
}
