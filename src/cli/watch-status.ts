// `status --watch`: print the status, then watch the Service (knative/watch.ts through the
// client's waitForService) and print it again each time what it shows changes, until the
// signal (Ctrl-C) ends it, as `kubectl get -w` does.

import type { RunOutcome } from '../rollout/result.js'
import { isWaitTimeout, type ServingClient } from '../rollout/ports.js'

export interface WatchStatusDeps {
  /** The client every read goes through; its construction may throw (a bad kubeconfig). */
  client: () => Promise<ServingClient>
  /** One `status` run with this client (run.ts); without one it builds its own. */
  status: (client?: ServingClient) => Promise<RunOutcome>
  render: (outcome: RunOutcome) => string
  write: (text: string) => void
  signal: AbortSignal
  /** One watch's limit; at it the status is read again and the watch restarted. */
  waitMs?: number
}

/** Resolves with the last status once the signal aborts, or with a failed one at once. */
export async function watchStatus(deps: WatchStatusDeps): Promise<RunOutcome> {
  let client: ServingClient
  try {
    client = await deps.client()
  } catch {
    return deps.status() // which fails with the same error as its reason
  }
  // The resourceVersion the status was read at: a change is any later one.
  let seen: string | undefined
  const recording: ServingClient = Object.assign(Object.create(client) as ServingClient, {
    async getService(namespace: string, name: string) {
      const service = await client.getService(namespace, name)
      seen = service?.metadata.resourceVersion
      return service
    }
  })
  let shown: string | undefined
  for (;;) {
    const outcome = await deps.status(recording)
    const text = deps.render(outcome)
    if (text !== shown) deps.write(text)
    shown = text
    if (outcome.result === 'failed' || deps.signal.aborted) return outcome
    const at = seen
    try {
      await client.waitForService(
        outcome.namespace,
        outcome.service,
        (s) => s.metadata.resourceVersion !== at,
        deps.waitMs ?? 600_000,
        deps.signal
      )
    } catch (err) {
      if (deps.signal.aborted) return outcome
      if (!isWaitTimeout(err)) throw err
    }
  }
}
