// Route status.traffic from its spec (pkg/reconciler/route/traffic/traffic.go): config
// targets resolved to their latest ready Revision, entries with the same (tag, revision,
// latestRevision) merged, tag URLs added, and the target error reported as Knative's
// deferTargetError keeps it: the first one, unless a later one is a failure. Pure.

import type { TrafficTarget } from '../../src/knative/types.js'
import type { KObject } from '../store.js'
import { L } from './labels.js'

export interface TargetError {
  /** A failure (False) outranks a not-yet-ready (Unknown). */
  failure: boolean
  reason: string
  message: string
}

export interface Lookup {
  configuration(name: string): KObject | undefined
  revision(name: string): KObject | undefined
}

export interface RouteHosts {
  /** `http://<tag>-<route>.<ns>.<domain>` for a tag. */
  tagUrl(tag: string): string
  /** The tag's host label, to check the 63-character limit. */
  tagLabel(tag: string): string
  tagHost(tag: string): string
}

const readyStatus = (obj: KObject) =>
  obj.status?.conditions?.find((c: any) => c.type === 'Ready')?.status
const isReady = (obj: KObject) =>
  readyStatus(obj) === 'True' && obj.status?.observedGeneration === obj.metadata.generation

/**
 * `ownedOnly`: a Service's Route may pin only that Service's Revisions (RevisionNotOwned,
 * Knative 1.21, #16294); earlier releases route to any Revision in the namespace.
 */
export function buildTraffic(
  route: KObject,
  lookup: Lookup,
  hosts: RouteHosts,
  { ownedOnly = true }: { ownedOnly?: boolean } = {}
): { traffic: TrafficTarget[]; error?: undefined } | { error: TargetError } {
  const service = ownedOnly ? route.metadata.labels?.[L.service] : undefined
  const out: TrafficTarget[] = []
  let error: TargetError | undefined
  for (const tt of (route.spec?.traffic ?? []) as TrafficTarget[]) {
    const resolved = resolveTarget(tt, lookup, service)
    if ('error' in resolved) {
      // deferTargetError: "A TargetError with IsFailure()=true will always overwrite a
      // previous TargetError", so the last failure wins, else the first not-ready.
      if (!error || resolved.error.failure) error = resolved.error
      continue
    }
    const entry: TrafficTarget = {}
    if (tt.tag) entry.tag = tt.tag
    entry.revisionName = resolved.revision
    entry.latestRevision = tt.latestRevision ?? !tt.revisionName
    entry.percent = tt.percent ?? 0
    if (tt.tag) entry.url = hosts.tagUrl(tt.tag)
    const same = out.find(
      (e) =>
        e.tag === entry.tag &&
        e.revisionName === entry.revisionName &&
        e.latestRevision === entry.latestRevision
    )
    if (same) same.percent = (same.percent ?? 0) + (entry.percent ?? 0)
    else out.push(entry)
  }
  if (error) return { error }
  for (const tag of out.map((e) => e.tag).filter((t): t is string => !!t)) {
    const label = hosts.tagLabel(tag)
    if (label.length > 63) {
      return {
        error: {
          failure: true,
          reason: 'ErrorConfig',
          message: `domain name error: invalid domain name "${hosts.tagHost(tag)}": url: Invalid value: "${label}": must be no more than 63 characters`
        }
      }
    }
  }
  return { traffic: out }
}

function resolveTarget(
  tt: TrafficTarget,
  lookup: Lookup,
  service: string | undefined
): { revision: string } | { error: TargetError } {
  let name = tt.revisionName
  if (!name && tt.configurationName) {
    const config = lookup.configuration(tt.configurationName)
    if (!config) {
      return missing('Configuration', tt.configurationName)
    }
    name = config.status?.latestReadyRevisionName
    if (!name) {
      const failed = readyStatus(config) === 'False'
      return {
        error: {
          failure: failed,
          reason: 'RevisionMissing',
          message: failed
            ? `Configuration "${tt.configurationName}" does not have any ready Revision.`
            : `Configuration "${tt.configurationName}" is waiting for a Revision to become ready.`
        }
      }
    }
  }
  if (!name) return missing('Revision', '')
  const rev = lookup.revision(name)
  if (!rev) return missing('Revision', name)
  // addRevisionTarget asks whose a pinned Revision is before whether it is ready.
  const owner = rev.metadata.labels?.[L.service]
  if (tt.revisionName && service && owner !== service) {
    return {
      error: {
        failure: true,
        reason: 'RevisionNotOwned',
        message: owner
          ? `Revision "${name}" belongs to Service "${owner}", not Service "${service}".`
          : `Revision "${name}" does not belong to Service "${service}".`
      }
    }
  }
  if (!isReady(rev)) {
    const failed = readyStatus(rev) === 'False'
    return {
      error: {
        failure: failed,
        reason: 'RevisionMissing',
        message: failed
          ? `Revision "${name}" failed to become ready.`
          : `Revision "${name}" is not yet ready.`
      }
    }
  }
  return { revision: name }
}

function missing(kind: 'Revision' | 'Configuration', name: string): { error: TargetError } {
  return {
    error: {
      failure: true,
      reason: `${kind}Missing`,
      message: `${kind} "${name}" referenced in traffic not found.`
    }
  }
}
