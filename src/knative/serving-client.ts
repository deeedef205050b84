// The ServingClient port over the Kubernetes API (kube-http.ts): Knative Services and
// Revisions through the custom-objects paths, with bounded retries, optimistic concurrency
// and list+watch waits. How the cluster is reached (a plain kubeconfig, or client-node for
// plugins and proxies) is the KubeAccess it is given: client-for.ts picks it.

import type { IncomingHttpHeaders } from 'node:http'
import type { Clock, ServingClient } from '../rollout/ports.js'
import type { Logger } from '../log.js'
import { condition, type KService, type Revision } from './types.js'
import { KubeApiError, toKubeApiError, type KubeRequest } from './errors.js'
import { kubeHttp, type KubeAccess, type Query } from './kube-http.js'
import { backoffDelay, DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js'
import { waitForObject, type ObjectList } from './watch.js'
import { parseWarningHeader } from './warnings.js'
import { escapeUntrusted } from '../report/untrusted.js'

const GROUP = 'serving.knative.dev'
const VERSION = 'v1'
/**
 * The field manager every write names, so managedFields tell our changes apart. Never a
 * `kubectl*` name: Flux's kustomize-controller adopts those managers' fields and reverts them.
 */
export const FIELD_MANAGER = 'knative-rollout'

/** How long a Service just read or written may stand in for reading it again. */
const FRESH_MS = 1_000

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
  /** A watch connection without data for this long is resumed (client-node's default, 30 s). */
  watchInactivityMs?: number
  /** Jitter source; Math.random by default. */
  random?: () => number
  /** Told each credential a kubeconfig plugin hands back, to mask it. */
  onSecret?: (value: string) => void
  /** Told each warning the API server sent on a dry-run write (untrusted text), and whose. */
  onWarning?: (warning: string, service: ServiceRef) => void
}

/** The Service a dry-run write was for. */
export interface ServiceRef {
  namespace: string
  name: string
}

/** Between re-reads after a 409: 10–20 ms, then doubling; the 5 attempts span ≤ 300 ms. */
const CONFLICT_BACKOFF: RetryPolicy = { ...DEFAULT_RETRY, baseDelayMs: 20, maxDelayMs: 160 }

/** The client on `access` (client.ts and client-for.ts load the kubeconfig into one). */
export function servingClientOn(access: KubeAccess, options: ServingClientOptions): ServingClient {
  const server = access.server
  if (options.tlsInsecure) {
    options.log.warn(
      `tls-insecure: the certificate of the Kubernetes API server at ${server} is not verified; anyone on the network path could read the credentials and change what is deployed. Use it for test clusters only`
    )
  }
  const api = kubeHttp(access)
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry }
  const random = options.random ?? Math.random
  const { clock, log } = options
  const maxConflicts = options.maxConflictRetries ?? 5
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000

  const collection = (plural: string, namespace: string): string =>
    `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(namespace)}/${plural}`
  const services = (namespace: string): string => collection('services', namespace)
  const writeQuery: Query = { fieldManager: FIELD_MANAGER }

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
    op: (signal: AbortSignal) => Promise<unknown>,
    signal?: AbortSignal
  ): Promise<T> {
    return withRetry(
      async () => {
        // A hung API server must cost far less than node's own socket timeouts.
        const timeout = AbortSignal.timeout(requestTimeoutMs)
        try {
          return (await op(signal ? AbortSignal.any([signal, timeout]) : timeout)) as T
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
      return await call<T>(request('get', plural, namespace, name), (s) =>
        api.request(
          'GET',
          `${collection(plural, namespace)}/${encodeURIComponent(name)}`,
          {},
          undefined,
          s
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
        (s) =>
          api.request(
            'GET',
            collection(plural, namespace),
            { fieldSelector: `metadata.name=${name}` },
            undefined,
            s
          ),
        signal
      )
  }

  // The one Service this client last saw, and how: a getService just read it, or our own
  // write (create or update) returned it. Only the next call may use it, and only while it
  // is fresh: updateService writes over a Service read just before instead of reading it
  // again, and a wait right after our write starts its watch from what the write returned
  // instead of listing. The write's resourceVersion precondition keeps the first safe (a
  // stale copy is a 409, answered by reading again); the watch replays every change since.
  let last: { key: string; via: 'read' | 'write'; at: number; service: KService } | undefined
  const keyOf = (namespace: string, name: string) => `${namespace}/${name}`
  /** The Service seen last, if it is `namespace/name`, came `via` and is fresh; forgotten either way. */
  function takeLast(namespace: string, name: string, via: 'read' | 'write'): KService | undefined {
    const seen = last
    last = undefined
    if (!seen || seen.key !== keyOf(namespace, name) || seen.via !== via) return undefined
    return clock.now() - seen.at <= FRESH_MS ? seen.service : undefined
  }
  function remember(via: 'read' | 'write', service: KService | undefined): KService | undefined {
    const { namespace, name } = service?.metadata ?? {}
    last =
      service && name
        ? { key: keyOf(namespace ?? 'default', name), via, at: clock.now(), service }
        : undefined
    return service
  }

  const watchDeps = {
    api,
    clock,
    log,
    policy,
    random,
    inactivityMs: options.watchInactivityMs ?? 30_000
  }
  // Both waits are the same list+watch loop over a different resource.
  const waitFor =
    <T extends KService | Revision>(plural: 'services' | 'revisions') =>
    (
      namespace: string,
      name: string,
      until: (obj: T) => boolean,
      timeoutMs: number,
      signal?: AbortSignal
    ): Promise<T> => {
      // Right after our own write, what it returned is the newest state: the watch starts
      // from its resourceVersion (a 410 lists again, as always). A Revision may carry its
      // Service's name: only a Service wait starts so.
      const written = takeLast(namespace, name, 'write')
      let first = plural === 'services' ? (written as T | undefined) : undefined
      const listed = list<T>(plural, namespace, name)
      const listOnce = (s: AbortSignal): Promise<ObjectList<T>> => {
        if (!first) return listed(s)
        const items = [first]
        first = undefined
        return Promise.resolve({
          metadata: { resourceVersion: items[0].metadata.resourceVersion },
          items
        })
      }
      return waitForObject<T>(
        watchDeps,
        {
          path: collection(plural, namespace),
          resource: `${plural}.${GROUP}`,
          namespace,
          name,
          list: listOnce,
          describe: describeState
        },
        until,
        timeoutMs,
        signal
      )
    }

  return {
    getService: async (namespace, name) => {
      last = undefined
      return remember('read', await get<KService>('services', namespace, name))
    },
    getRevision: (namespace, name) => {
      last = undefined
      return get<Revision>('revisions', namespace, name)
    },

    async createService(service) {
      last = undefined
      const namespace = service.metadata.namespace ?? 'default'
      const created = await call<KService>(
        request('create', 'services', namespace, service.metadata.name),
        (s) => api.request('POST', services(namespace), writeQuery, service, s)
      )
      return remember('write', created)!
    },

    async updateService(namespace, name, mutate) {
      const req = request('update', 'services', namespace, name)
      // A Service read just before is written over without reading it again; anything the
      // mutation decides on it without a write to check it (no write, a refusal) is decided
      // again on a fresh read, and its 409 does not count as a conflict.
      let remembered = takeLast(namespace, name, 'read')
      for (let attempt = 1; ; attempt++) {
        const current = remembered ?? (await get<KService>('services', namespace, name))
        const fromMemory = remembered !== undefined
        remembered = undefined
        if (!current) {
          throw new KubeApiError(
            `cannot update services.${GROUP} "${name}" in namespace "${namespace}": it does not exist`,
            404,
            'NotFound',
            req
          )
        }
        let next: KService | undefined
        try {
          next = mutate(structuredClone(current))
        } catch (err) {
          if (fromMemory) {
            attempt--
            continue
          }
          throw err
        }
        if (next === undefined) {
          if (!fromMemory) return current
          attempt--
          continue
        }
        // The precondition: the write fails with 409 if anyone wrote since our read.
        const body = {
          ...next,
          metadata: { ...next.metadata, resourceVersion: current.metadata.resourceVersion }
        }
        try {
          const written = await call<KService>(req, (s) =>
            api.request(
              'PUT',
              `${services(namespace)}/${encodeURIComponent(name)}`,
              writeQuery,
              body,
              s
            )
          )
          return remember('write', written)!
        } catch (err) {
          if (fromMemory && err instanceof KubeApiError && err.code === 409) {
            attempt--
            continue
          }
          if (!(err instanceof KubeApiError) || err.code !== 409 || attempt >= maxConflicts)
            throw err
          log.debug(
            `services.${GROUP} "${name}" changed since it was read (409 Conflict); reading it again`
          )
          // Another writer is active (the controller's status writes come in bursts): wait a
          // little longer each time, so the attempts outlast a burst instead of all losing to it.
          await clock.sleep(backoffDelay(attempt, CONFLICT_BACKOFF, random))
        }
      }
    },

    async dryRunService(service) {
      // The server's answer only: nothing is stored, so the Service seen last stays as it is.
      const namespace = service.metadata.namespace ?? 'default'
      const name = service.metadata.name
      const query = { ...writeQuery, dryRun: 'All' }
      // The answer's warnings (admission, dropped fields); a retried call keeps the last's.
      let warnings: string[] = []
      const heard = (h: IncomingHttpHeaders) => (warnings = parseWarningHeader(h.warning))
      const path = services(namespace)
      // A dry run needs the verb's own RBAC permission, so errors name the plain verb.
      const stored = !service.metadata.resourceVersion
        ? await call<KService>(request('create', 'services', namespace, name), (s) =>
            api.request('POST', path, query, service, s, heard)
          )
        : await call<KService>(request('update', 'services', namespace, name), (s) =>
            api.request('PUT', `${path}/${encodeURIComponent(name)}`, query, service, s, heard)
          )
      for (const warning of new Set(warnings)) {
        log.warn(
          `the Kubernetes API server warns about services.${GROUP} "${name}": ${escapeUntrusted(warning, 500)}`
        )
        options.onWarning?.(warning, { namespace, name })
      }
      return stored
    },

    waitForService: waitFor<KService>('services'),
    waitForRevision: waitFor<Revision>('revisions')
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
