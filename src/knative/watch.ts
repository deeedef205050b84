// Waits until one named object satisfies a predicate: list it, then watch from the list's
// resourceVersion, checking every event. Watches end for ordinary reasons (the server's
// timeout, the 30 s inactivity timeout, a dropped connection): they are resumed
// from the last resourceVersion seen; a 410 (history compacted) means list again.

import type { KubeHttp } from './kube-http.js'
import { WaitTimeoutError, type Clock } from '../rollout/ports.js'
import type { Logger } from '../log.js'
import {
  describeRequest,
  fromWatchStatus,
  KubeApiError,
  toKubeApiError,
  type KubeRequest
} from './errors.js'
import { backoffDelay, gaveUp, type RetryPolicy } from './retry.js'

export interface Named {
  metadata: { name: string; resourceVersion?: string }
}

export interface ObjectList<T> {
  metadata?: { resourceVersion?: string }
  items: T[]
}

export interface WaitTarget<T> {
  /** Collection path, e.g. /apis/serving.knative.dev/v1/namespaces/default/services */
  path: string
  resource: string
  namespace: string
  name: string
  /** Lists the collection with a metadata.name field selector (retrying on its own). */
  list: (signal: AbortSignal) => Promise<ObjectList<T>>
  /** Summarises the last state seen, for the timeout message. */
  describe: (last: T | undefined) => string
}

export interface WatchDeps {
  api: KubeHttp
  clock: Clock
  log: Logger
  policy: RetryPolicy
  random: () => number
  /** The inactivity timeout of one watch connection. */
  inactivityMs: number
}

/** A watch that ends sooner than this without an event counts as closed "at once". */
const QUICK_CLOSE_MS = 1_000

type Outcome<T> =
  | { kind: 'match'; object: T }
  | { kind: 'closed'; events: number }
  | { kind: 'expired' }
  | { kind: 'error'; error: KubeApiError }
  | { kind: 'aborted' }

export function waitForObject<T extends Named>(
  deps: WatchDeps,
  target: WaitTarget<T>,
  until: (object: T) => boolean,
  timeoutMs: number,
  signal?: AbortSignal
): Promise<T> {
  const stop = new AbortController()
  const request: KubeRequest = {
    verb: 'watch',
    resource: target.resource,
    name: target.name,
    namespace: target.namespace,
    server: deps.api.server
  }
  let last: T | undefined

  return new Promise<T>((resolve, reject) => {
    let finished = false
    const finish = (error: unknown, value?: T): void => {
      if (finished) return
      finished = true
      signal?.removeEventListener('abort', onAbort)
      stop.abort(error ?? new Error('wait finished'))
      if (error !== undefined) reject(error)
      else resolve(value!)
    }
    const onAbort = (): void => finish(signal!.reason)
    if (signal?.aborted) return finish(signal.reason)
    signal?.addEventListener('abort', onAbort, { once: true })

    deps.clock.sleep(timeoutMs, stop.signal).then(
      () =>
        finish(
          new WaitTimeoutError(
            `timed out after ${formatMs(timeoutMs)} waiting for ${target.resource} "${target.name}" in namespace "${target.namespace}"; ${target.describe(last)}`,
            last
          )
        ),
      () => undefined // the wait ended first
    )

    const seen = (object: T): boolean => {
      last = object
      return until(object)
    }
    loop(seen).then(
      (value) => finish(undefined, value),
      (error) => finish(error)
    )
  })

  async function loop(seen: (object: T) => boolean): Promise<T> {
    let resourceVersion: string | undefined
    let failures = 0
    let emptySessions = 0
    while (!stop.signal.aborted) {
      if (resourceVersion === undefined) {
        const list = await target.list(stop.signal)
        const found = list.items.find((item) => item.metadata.name === target.name)
        if (found && seen(found)) return found
        resourceVersion = list.metadata?.resourceVersion ?? found?.metadata.resourceVersion ?? '0'
      }
      const session = { resourceVersion }
      const started = deps.clock.now()
      const outcome = await watchOnce(session, seen)
      resourceVersion = session.resourceVersion
      switch (outcome.kind) {
        case 'match':
          return outcome.object
        case 'aborted':
          break
        case 'expired':
          deps.log.debug(
            `${describeRequest(request)}: resourceVersion expired (410); listing again`
          )
          resourceVersion = undefined
          break
        case 'closed':
          failures = 0
          // A server that closes watches at once, again and again, must not become a busy
          // loop; a watch that was merely quiet for a while is resumed at once.
          emptySessions =
            outcome.events === 0 && deps.clock.now() - started < QUICK_CLOSE_MS
              ? emptySessions + 1
              : 0
          deps.log.debug(
            `${describeRequest(request)}: watch ended after ${outcome.events} events; resuming`
          )
          if (emptySessions > 1)
            await deps.clock.sleep(
              backoffDelay(emptySessions - 1, deps.policy, deps.random),
              stop.signal
            )
          break
        case 'error':
          if (!outcome.error.retryable) throw outcome.error
          failures++
          if (failures >= deps.policy.attempts) throw gaveUp(outcome.error, failures)
          deps.log.debug(`${outcome.error.message}; reconnecting`)
          await deps.clock.sleep(
            outcome.error.retryAfterMs ?? backoffDelay(failures, deps.policy, deps.random),
            stop.signal
          )
          break
      }
    }
    throw stop.signal.reason
  }

  /** One watch connection; `session.resourceVersion` follows the events it delivers. */
  function watchOnce(
    session: { resourceVersion: string },
    seen: (object: T) => boolean
  ): Promise<Outcome<T>> {
    return new Promise((resolve) => {
      let settled = false
      let events = 0
      let connection: AbortController | undefined
      const settle = (outcome: Outcome<T>): void => {
        if (settled) return
        settled = true
        stop.signal.removeEventListener('abort', onStop)
        connection?.abort()
        resolve(outcome)
      }
      const onStop = (): void => settle({ kind: 'aborted' })
      stop.signal.addEventListener('abort', onStop, { once: true })

      const onEvent = (type: string, object: unknown): void => {
        if (settled) return
        events++
        if (type === 'ERROR') {
          const status = object as { code?: number }
          if (status?.code === 410) settle({ kind: 'expired' })
          else settle({ kind: 'error', error: fromWatchStatus(status ?? {}, request) })
          return
        }
        const item = object as T
        const rv = item?.metadata?.resourceVersion
        if (rv) session.resourceVersion = rv
        if ((type === 'ADDED' || type === 'MODIFIED') && item.metadata.name === target.name) {
          try {
            if (seen(item)) settle({ kind: 'match', object: item })
          } catch (err) {
            settle({ kind: 'error', error: toKubeApiError(err, request) })
          }
        }
      }
      const onDone = (err: unknown): void => {
        const e = err as { name?: string; statusCode?: number } | null
        if (!e) settle({ kind: 'closed', events })
        // The inactivity timeout: nothing happened for a while; resume.
        else if (e.name === 'TimeoutError') settle({ kind: 'closed', events })
        else if (e.statusCode === 410) settle({ kind: 'expired' })
        else settle({ kind: 'error', error: toKubeApiError(err, request) })
      }
      deps.api
        .watch(
          target.path,
          {
            fieldSelector: `metadata.name=${target.name}`,
            resourceVersion: session.resourceVersion,
            allowWatchBookmarks: true
          },
          deps.inactivityMs,
          onEvent,
          onDone
        )
        .then(
          (controller) => {
            connection = controller
            if (settled) controller.abort()
          },
          (err) => settle({ kind: 'error', error: toKubeApiError(err, request) })
        )
    })
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}
