// The action's post step: GitHub runs it even when the main step crashed or timed out. If
// that run still holds the lease, it died mid-rollout: a candidate with traffic is put back
// to 0% (phase aborted); a candidate at 0% is left for a re-run to resume. Either way the
// lease is released so the next run need not wait for it to expire. Which Services the main
// step was on: post-state.ts.

import type { Logger } from '../log.js'
import { mergeUserTags } from '../traffic.js'
import type { Clock, ServingClient } from './ports.js'
import { readLease, readState, withEvent, writeLease, writeState } from './state.js'
import { inFlight } from './decide.js'

export interface SafetyNetTarget {
  namespace: string
  service: string
  /** The run id the main step held the lease under. */
  holder: string
}

export type SafetyNetAction = 'nothing' | 'released' | 'rolled-back'

export async function safetyNet(
  client: ServingClient,
  clock: Clock,
  log: Logger,
  target: SafetyNetTarget
): Promise<SafetyNetAction> {
  let action = 'nothing' as SafetyNetAction
  await client.updateService(target.namespace, target.service, (live) => {
    action = 'nothing'
    if (readLease(live)?.holder !== target.holder) return undefined
    const open = inFlight(readState(live))
    if (!open || open.percent === 0) {
      action = 'released'
      return writeLease(live, undefined)
    }
    action = 'rolled-back'
    const reason = `the run holding the rollout died at ${open.percent}%; the post step put ${open.candidate} back to 0%`
    const state = withEvent(
      { ...open, phase: 'aborted', percent: 0, reason },
      { at: clock.now(), event: `aborted: ${reason}`, by: target.holder }
    )
    const traffic = mergeUserTags(live.spec.traffic, {
      current: open.current,
      candidate: open.candidate,
      percent: 0
    })
    return writeLease(writeState({ ...live, spec: { ...live.spec, traffic } }, state), undefined)
  })
  if (action === 'rolled-back')
    log.warn(
      `${target.namespace}/${target.service}: the main step died mid-rollout; the candidate is back at 0%`
    )
  if (action === 'released')
    log.info(`${target.namespace}/${target.service}: released the lease the main step left`)
  return action
}
