// The API server's warnings on a pipeline unit's dry-run write, for that unit's summary. One
// client serves every unit in a cluster, and run() collects warnings only from a client it
// makes itself, so the cluster's client tells them here by Service, and each unit takes its
// own when it ends (a pipeline runs one rollout per Service in a cluster at a time).

import type { ServiceRef } from '../knative/serving-client.js'
import type { RunOutcome } from '../rollout/result.js'

export class UnitWarnings {
  private readonly heard = new Map<string, string[]>()

  /** The client's onWarning. */
  readonly onWarning = (warning: string, service: ServiceRef): void => {
    const key = keyOf(service)
    this.heard.set(key, [...(this.heard.get(key) ?? []), warning])
  }

  /** `outcome` with the warnings heard for its Service since the last take, which are dropped. */
  take(outcome: RunOutcome, service: ServiceRef): RunOutcome {
    const key = keyOf(service)
    const heard = this.heard.get(key) ?? []
    this.heard.delete(key)
    if (!heard.length) return outcome
    return { ...outcome, warnings: [...(outcome.warnings ?? []), ...heard] }
  }
}

const keyOf = (s: ServiceRef) => JSON.stringify([s.namespace, s.name])
