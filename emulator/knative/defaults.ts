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
      if (!old) setRevisionSpecDefaults(obj.spec, true)
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
  setRevisionSpecDefaults(obj.spec.template.spec, !old)
}

/** RevisionSpec.SetDefaults with the default config-defaults and config-features. */
function setRevisionSpecDefaults(spec: any, create: boolean): void {
  if (!spec.timeoutSeconds) spec.timeoutSeconds = DEFAULT_TIMEOUT_SECONDS // 0 means the default
  spec.containerConcurrency ??= DEFAULT_CONTAINER_CONCURRENCY
  const containers: any[] = Array.isArray(spec.containers) ? spec.containers : []
  const taken = new Set(containers.map((c) => c?.name).filter(Boolean))
  let suffix = 0
  for (const c of containers) {
    if (!c || c.name) continue
    let name = DEFAULT_CONTAINER_NAME
    if (containers.length > 1 || taken.has(name)) {
      do name = `${DEFAULT_CONTAINER_NAME}-${suffix++}`
      while (taken.has(name))
    }
    c.name = name
  }
  // Mounts of volumes other than emptyDir and persistentVolumeClaim are read-only.
  const writable = new Set(
    (Array.isArray(spec.volumes) ? spec.volumes : [])
      .filter((v: any) => v?.emptyDir || v?.persistentVolumeClaim)
      .map((v: any) => v.name)
  )
  for (const c of containers) {
    if (!c || typeof c !== 'object') continue
    c.resources ??= {}
    // The serving container gets Knative's default readiness probe (a TCP check on its port).
    if (containers.length === 1 || (Array.isArray(c.ports) && c.ports.length)) {
      c.readinessProbe ??= {}
      const p = c.readinessProbe
      if (!p.tcpSocket && !p.httpGet && !p.exec && !p.grpc) p.tcpSocket = { port: 0 }
    }
    const p = c.readinessProbe
    if (p && typeof p === 'object') {
      if (!p.successThreshold) p.successThreshold = 1
      if (p.periodSeconds) {
        if (!p.failureThreshold) p.failureThreshold = 3
        if (!p.timeoutSeconds) p.timeoutSeconds = 1
      }
    }
    for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
      if (probe?.grpc && probe.grpc.service === undefined) probe.grpc.service = ''
    }
    // Knative defaults this only in CREATE; the emulator also on UPDATE so that a template
    // re-applied without it still matches its existing revision (the controller compares
    // specs whole, see reconcile-configuration.ts).
    if (create || spec.enableServiceLinks === undefined) spec.enableServiceLinks ??= false
    for (const m of Array.isArray(c.volumeMounts) ? c.volumeMounts : []) {
      if (m && !writable.has(m.name)) m.readOnly = true
    }
  }
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
