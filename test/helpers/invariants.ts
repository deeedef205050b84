// The promise the action keeps under faults, kills, cancellations and races, checked over
// the emulator's complete write history (every object version ever stored):
//   1. traffic always sums to 100 (Service spec and Route status),
//   2. traffic never reaches a revision that is not Ready (what the ingress serves comes
//      from Route status: every revision there with percent > 0 was Ready at that moment),
//   3. the recorded rollout state matches the traffic it was written with.
// Traffic a person changes by hand (a write that touches none of the rollout's annotations)
// is not the action's statement, so 3 is checked on the action's writes: those that change
// the state, or change the traffic while renewing the lease. Service status is checked too,
// since it is what clients (and the action's own status wait) read.
// Returns the violations, each naming the write (resourceVersion) that broke the promise.

import type { KObject, StoreEvent } from '../../emulator/store.js'
import { REVISIONS, ROUTES, SERVICES } from '../../emulator/resources.js'
import { readState, STATE_PREFIX } from '../../src/rollout/state.js'
import type { KService, TrafficTarget } from '../../src/knative/types.js'

const sum = (t: TrafficTarget[] = []) => t.reduce((s, x) => s + (x.percent ?? 0), 0)
const isReady = (rev: KObject) =>
  rev.status?.conditions?.some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'
  ) && rev.status?.observedGeneration === rev.metadata.generation

export function checkInvariants(history: readonly StoreEvent[]): string[] {
  const violations: string[] = []
  const revisions = new Map<string, KObject>()
  const services = new Map<string, KObject>()
  for (const event of history) {
    const obj = event.object
    const id = `${event.resource.split('.')[0]} ${obj.metadata.namespace}/${obj.metadata.name} @${event.resourceVersion}`
    if (event.resource === REVISIONS) {
      if (event.type === 'DELETED')
        revisions.delete(`${obj.metadata.namespace}/${obj.metadata.name}`)
      else revisions.set(`${obj.metadata.namespace}/${obj.metadata.name}`, obj)
    }
    if (event.type === 'DELETED') continue
    if (event.resource === SERVICES) {
      const key = `${obj.metadata.namespace}/${obj.metadata.name}`
      const before = services.get(key)
      services.set(key, obj)
      const traffic: TrafficTarget[] | undefined = obj.spec?.traffic
      if (traffic && sum(traffic) !== 100)
        violations.push(`${id}: spec.traffic sums to ${sum(traffic)}`)
      const shown: TrafficTarget[] = obj.status?.traffic ?? []
      if (shown.length && sum(shown) !== 100)
        violations.push(`${id}: status.traffic sums to ${sum(shown)}`)
      if (writtenByTheAction(before, obj))
        violations.push(
          ...stateMatchesTraffic(obj as unknown as KService).map((v) => `${id}: ${v}`)
        )
    }
    if (event.resource === ROUTES) {
      const served: TrafficTarget[] = obj.status?.traffic ?? []
      if (served.length && sum(served) !== 100)
        violations.push(`${id}: status.traffic sums to ${sum(served)}`)
      for (const t of served) {
        if (!t.percent) continue
        const rev = revisions.get(`${obj.metadata.namespace}/${t.revisionName}`)
        if (!rev || !isReady(rev))
          violations.push(`${id}: ${t.percent}% routed to ${t.revisionName}, which is not Ready`)
      }
    }
  }
  return violations
}

const LEASE = `${STATE_PREFIX}lease`

/** The rollout's annotations on `obj` (with or without the lease), as comparable text. */
function ours(obj: KObject, lease: boolean): string {
  return JSON.stringify(
    Object.entries(obj.metadata.annotations ?? {})
      .filter(([k]) => k.startsWith(STATE_PREFIX) && (lease || k !== LEASE))
      .sort()
  )
}

/** The action's own write: it changed the state, or moved traffic while renewing its lease. */
function writtenByTheAction(before: KObject | undefined, after: KObject): boolean {
  if (!before || ours(before, false) !== ours(after, false)) return true
  const trafficChanged =
    JSON.stringify(before.spec?.traffic) !== JSON.stringify(after.spec?.traffic)
  return trafficChanged && ours(before, true) !== ours(after, true)
}

function stateMatchesTraffic(service: KService): string[] {
  const state = readState(service)
  const traffic = service.spec?.traffic
  if (!state || !traffic) return []
  const byTag = (tag: string) => traffic.find((t) => t.tag === tag)
  const current = byTag('current')
  const candidate = byTag('candidate')
  const problems: string[] = []
  if (current && current.revisionName !== state.current) {
    problems.push(
      `state says current=${state.current}, traffic's current tag is ${current.revisionName}`
    )
  }
  if (state.phase === 'progressing' || state.phase === 'paused') {
    const actual = candidate?.percent ?? 0
    if (candidate && candidate.revisionName !== state.candidate) {
      problems.push(
        `state says candidate=${state.candidate}, traffic's candidate tag is ${candidate.revisionName}`
      )
    }
    if (actual !== state.percent)
      problems.push(`state says ${state.percent}% on the candidate, traffic gives it ${actual}%`)
  }
  if (
    ['rolled-back', 'aborted', 'promoted'].includes(state.phase) &&
    (candidate?.percent ?? 0) !== 0
  ) {
    problems.push(`state is ${state.phase} but the candidate still has ${candidate?.percent}%`)
  }
  return problems
}
