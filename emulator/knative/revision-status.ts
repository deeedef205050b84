// What a Revision's status is at a moment, from what the emulated cluster has observed:
// the image resolution, the container's declared behaviour (env), and elapsed time.
// Pure: time comes in as numbers.

import { parseGoDuration } from './names.js'
import { replicaSetName } from './pods.js'
import { ConditionSet } from './conditions.js'
import { digestReference } from './image.js'
import { A } from './labels.js'
import type { KObject } from '../store.js'
import { rfc3339 } from '../time.js'
import {
  activityOf,
  KNATIVE_AUTOSCALING,
  minScaleOf,
  NO_TRAFFIC,
  type AutoscalingSettings
} from './autoscaler.js'

export type ImageState =
  | { state: 'pending' }
  | { state: 'resolved'; digests: string[] }
  | { state: 'failed'; image: string; error: string }

export interface RevisionObservation {
  nowMs: number
  /** When the controller first saw the revision: its deployment started then. */
  startedMs: number
  image: ImageState
  /** The revision's last request through the ingress, if any. */
  lastRequestMs?: number
  autoscaling?: AutoscalingSettings
}

export interface RevisionOutcome {
  status: any
  /** The revision is serving: it gets a pod. */
  running: boolean
  /** When the status will change by itself (ready delay or progress deadline), in ms. */
  wakeAtMs?: number
}

const DEFAULT_PROGRESS_DEADLINE_MS = 600_000
const DEPLOYING = 'Deploying'

/** The first container carries the behaviour env (the user container). */
export function behaviourEnv(rev: KObject, name: string): string | undefined {
  const env: { name: string; value?: string }[] = rev.spec?.containers?.[0]?.env ?? []
  return env.find((e) => e.name === name)?.value
}

export function revisionStatus(rev: KObject, obs: RevisionObservation): RevisionOutcome {
  const now = rfc3339(obs.nowMs)
  const cs = new ConditionSet(
    rev.status?.conditions,
    ['ResourcesAvailable', 'ContainerHealthy'],
    now,
    ['Active']
  )
  cs.initialize()
  if (!cs.get('Active')) cs.markUnknown('Active', '', '')
  const status: any = { ...(rev.status ?? {}), observedGeneration: rev.metadata.generation }
  const finish = (running: boolean, wakeAtMs?: number): RevisionOutcome => ({
    status: { ...status, conditions: cs.result() },
    running,
    wakeAtMs
  })

  if (obs.image.state === 'pending') {
    cs.markUnknown('ResourcesAvailable', 'ResolvingDigests', '')
    return finish(false)
  }
  if (obs.image.state === 'failed') {
    cs.markFalse(
      'ContainerHealthy',
      'ContainerMissing',
      `Unable to fetch image "${obs.image.image}": failed to resolve image to digest: ${obs.image.error}`
    )
    return finish(false)
  }
  const digests = obs.image.digests
  status.containerStatuses = (rev.spec?.containers ?? []).map((c: any, i: number) => ({
    name: c.name,
    imageDigest: digestReference(c.image, digests[i])
  }))

  const exitCode = behaviourEnv(rev, 'EMULATOR_EXIT_CODE')
  if (exitCode !== undefined && exitCode !== '') {
    const text = behaviourEnv(rev, 'EMULATOR_EXIT_MESSAGE') ?? ''
    const message =
      text || (exitCode === '0' ? 'container exited with no error' : `exit status ${exitCode}`)
    cs.markFalse('ContainerHealthy', `ExitCode${exitCode}`, `Container failed with: ${message}`)
    Object.assign(status, { actualReplicas: 0, desiredReplicas: 1 })
    return finish(false)
  }

  const readyDelay = Number(behaviourEnv(rev, 'EMULATOR_READY_DELAY_MS') ?? 0) || 0
  const deadlineNs = parseGoDuration(rev.metadata.annotations?.[A.progressDeadline] ?? '')
  const deadline = deadlineNs !== undefined ? deadlineNs / 1e6 : DEFAULT_PROGRESS_DEADLINE_MS
  const elapsed = obs.nowMs - obs.startedMs
  if (readyDelay > deadline && elapsed >= deadline) {
    // Copied from the Deployment's Progressing=False condition.
    cs.markFalse(
      'ResourcesAvailable',
      'ProgressDeadlineExceeded',
      `ReplicaSet "${replicaSetName(rev)}" has timed out progressing.`
    )
    Object.assign(status, { actualReplicas: 0, desiredReplicas: 1 })
    return finish(false)
  }
  if (elapsed < readyDelay) {
    cs.markUnknown('ResourcesAvailable', DEPLOYING, '')
    cs.markUnknown('ContainerHealthy', DEPLOYING, '')
    cs.markUnknown('Active', DEPLOYING, '')
    Object.assign(status, { actualReplicas: 0, desiredReplicas: 1 })
    return finish(false, obs.startedMs + Math.min(readyDelay, deadline))
  }
  cs.markTrue('ResourcesAvailable')
  cs.markTrue('ContainerHealthy')
  const { running, wakeAtMs } = markActivity(cs, status, rev, obs, obs.startedMs + readyDelay)
  return finish(running, wakeAtMs)
}

/** A ready revision: active with its replicas, or scaled to zero (autoscaler.ts). */
function markActivity(
  cs: ConditionSet,
  status: any,
  rev: KObject,
  obs: RevisionObservation,
  readyMs: number
): { running: boolean; wakeAtMs?: number } {
  const minScale = minScaleOf(rev)
  const settings = obs.autoscaling ?? KNATIVE_AUTOSCALING
  const activity = activityOf(obs.nowMs, readyMs, obs.lastRequestMs, minScale, settings)
  if (!activity.active) {
    // Scaled to zero: still Ready (Active is not a dependent), no pod.
    cs.markFalse('Active', NO_TRAFFIC.reason, NO_TRAFFIC.message)
    Object.assign(status, { actualReplicas: 0, desiredReplicas: 0 })
    return { running: false }
  }
  cs.markTrue('Active')
  const replicas = Math.max(1, minScale)
  Object.assign(status, { actualReplicas: replicas, desiredReplicas: replicas })
  return { running: true, wakeAtMs: activity.inactiveAtMs }
}
