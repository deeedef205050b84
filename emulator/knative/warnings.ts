// The admission warnings Knative's webhook returns (FieldErrors at apis.WarningLevel), which
// the API server sends back as `Warning` headers, whatever the write's outcome:
// - pkg/apis/serving/k8s_validation.go, warnDefaultContainerSecurityContext: each container
//   whose securityContext leaves an insecure Kubernetes default unset (secure-pod-defaults
//   is disabled by default), and `capabilities.drop: [all]` spelled in lower case;
// - pkg/apis/serving/v1/revision_validation.go, validateQueueSidecarResourceAnnotations:
//   the deprecated queue-proxy resource-percentage annotation.
// One string per warning, as knative.dev/pkg's FieldError.Error() writes it: the same message
// at several paths is one warning with the paths sorted and joined (apis/field_error.go merge).

import type { Kind } from './defaults.js'
import type { KObject } from '../store.js'

type Obj = Record<string, any>

const INSECURE_DEFAULT =
  'Kubernetes default value is insecure, Knative may default this to secure in a future release'
const QUEUE_PERCENTAGE_DEPRECATED =
  'Queue proxy resource percentage annotation is deprecated. Please use the available annotations to explicitly set resource values per service'
const QUEUE_PERCENTAGE_KEYS = [
  'queue.sidecar.serving.knative.dev/resource-percentage',
  'queue.sidecar.serving.knative.dev/resourcePercentage'
]

interface Warning {
  message: string
  path: string
  details?: string
}

/** The warnings for a Service, Configuration or Revision the webhook validates. */
export function admissionWarnings(kind: Kind, obj: KObject): string[] {
  if (kind === 'Route') return []
  const warnings: Warning[] = []
  if (kind === 'Revision') {
    revisionSpecWarnings(obj.spec, 'spec', warnings)
  } else {
    const template = obj.spec?.template
    if (isObj(template)) {
      revisionSpecWarnings(template.spec, 'spec.template.spec', warnings)
      queueAnnotationWarnings(template.metadata?.annotations, 'spec.template', warnings)
    }
  }
  return merged(warnings)
}

function revisionSpecWarnings(spec: unknown, at: string, out: Warning[]): void {
  if (!isObj(spec)) return
  const pod = isObj(spec.securityContext) ? spec.securityContext : {}
  for (const list of ['containers', 'initContainers']) {
    const containers = Array.isArray(spec[list]) ? spec[list] : []
    containers.forEach((c: unknown, i: number) => {
      const sc = isObj(c) && isObj(c.securityContext) ? c.securityContext : {}
      securityContextWarnings(pod, sc, `${at}.${list}[${i}].securityContext`, out)
    })
  }
}

function securityContextWarnings(pod: Obj, sc: Obj, at: string, out: Warning[]): void {
  const insecure = (field: string) =>
    out.push({ message: INSECURE_DEFAULT, path: `${at}.${field}` })
  if (pod.runAsNonRoot == null && sc.runAsNonRoot == null) insecure('runAsNonRoot')
  if (sc.allowPrivilegeEscalation == null) insecure('allowPrivilegeEscalation')
  if (sc.seccompProfile == null && pod.seccompProfile == null) insecure('seccompProfile')
  else if (!sc.seccompProfile?.type && !pod.seccompProfile?.type) insecure('seccompProfile.type')
  if (sc.capabilities == null) insecure('capabilities')
  else if (sc.capabilities.drop == null) insecure('capabilities.drop')
  else if (Array.isArray(sc.capabilities.drop) && sc.capabilities.drop[0] === 'all') {
    out.push({
      message: 'invalid value: all',
      path: `${at}.capabilities.drop`,
      details: "Must be spelled as 'ALL'"
    })
  }
}

function queueAnnotationWarnings(annotations: unknown, at: string, out: Warning[]): void {
  if (!isObj(annotations)) return
  const key = QUEUE_PERCENTAGE_KEYS.find((k) => annotations[k] !== undefined)
  if (key)
    out.push({ message: QUEUE_PERCENTAGE_DEPRECATED, path: `${at}.metadata.annotations[${key}]` })
}

/** FieldError merge: one warning per message and details, its paths sorted; sorted by message. */
function merged(warnings: Warning[]): string[] {
  const byKey = new Map<string, { message: string; details?: string; paths: Set<string> }>()
  for (const w of warnings) {
    const key = `${w.message}-${w.details ?? ''}`
    const entry = byKey.get(key) ?? { message: w.message, details: w.details, paths: new Set() }
    entry.paths.add(w.path)
    byKey.set(key, entry)
  }
  return [...byKey.values()]
    .sort((a, b) => compare(a.message, b.message) || compare(a.details ?? '', b.details ?? ''))
    .map((e) => {
      const text = `${e.message}: ${[...e.paths].sort(compare).join(', ')}`
      return e.details ? `${text}\n${e.details}` : text
    })
}

/** Go's string order (bytes), not the locale's. */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
