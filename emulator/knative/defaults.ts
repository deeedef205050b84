// The defaulting webhook (webhook.serving.knative.dev), which always runs before
// validation: traffic defaults, revision template defaults and the audit annotations.
// Mutates the object it is given (a fresh copy owned by the admission call).

import type { KObject } from '../store.js'
import type { TrafficTarget } from '../../src/knative/types.js'
import { semanticEqual } from './diff.js'
import { A } from './labels.js'

export const DEFAULT_CONTAINER_NAME = 'user-container'
export const DEFAULT_TIMEOUT_SECONDS = 300
export const DEFAULT_CONTAINER_CONCURRENCY = 0

export type Kind = 'Service' | 'Configuration' | 'Route' | 'Revision'

export function setDefaults(
  kind: Kind,
  obj: KObject,
  old: KObject | undefined,
  user: string
): void {
  obj.spec ??= {}
  switch (kind) {
    case 'Service':
      setTemplateDefaults(obj, old)
      if (!obj.spec.traffic?.length) obj.spec.traffic = [{ latestRevision: true, percent: 100 }]
      obj.spec.traffic.forEach(setTargetDefaults)
      setUserInfo(obj, old, user)
      return
    case 'Configuration':
      setTemplateDefaults(obj, old)
      if (!obj.metadata.ownerReferences?.length) setUserInfo(obj, old, user)
      return
    case 'Route':
      ;(obj.spec.traffic ?? []).forEach(setTargetDefaults)
      if (!obj.metadata.ownerReferences?.length) setUserInfo(obj, old, user)
      return
    case 'Revision':
      // Revision specs are immutable, so only a new Revision is defaulted.
      if (!old) setRevisionSpecDefaults(obj.spec)
      return
  }
}

function setTargetDefaults(tt: TrafficTarget): void {
  tt.latestRevision ??= !tt.revisionName
  tt.percent ??= 0
}

/**
 * Skipped on an update that keeps the same BYO template name, so that a change in the
 * defaults alone never trips "changed without a name change".
 */
function setTemplateDefaults(obj: KObject, old: KObject | undefined): void {
  const name = obj.spec.template?.metadata?.name
  if (old && name && old.spec?.template?.metadata?.name === name) return
  obj.spec.template ??= {}
  obj.spec.template.spec ??= {}
  setRevisionSpecDefaults(obj.spec.template.spec)
}

function setRevisionSpecDefaults(spec: any): void {
  spec.timeoutSeconds ??= DEFAULT_TIMEOUT_SECONDS
  spec.containerConcurrency ??= DEFAULT_CONTAINER_CONCURRENCY
  const containers: any[] = Array.isArray(spec.containers) ? spec.containers : []
  containers.forEach((c, i) => {
    if (c && !c.name)
      c.name = containers.length === 1 ? DEFAULT_CONTAINER_NAME : `${DEFAULT_CONTAINER_NAME}-${i}`
  })
}

/** serving.SetUserInfo: creator on create; lastModifier on create and on spec changes. */
function setUserInfo(obj: KObject, old: KObject | undefined, user: string): void {
  const annotations = (obj.metadata.annotations ??= {})
  if (!old) {
    annotations[A.creator] = user
    annotations[A.lastModifier] = user
  } else if (!semanticEqual(old.spec, obj.spec)) {
    annotations[A.lastModifier] = user
  }
}
