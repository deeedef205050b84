// The admission chain the API server runs before it stores a Knative object: v1alpha1
// conversion, then defaulting, then validation, as Knative's webhooks do.

import { convertV1alpha1Service, validateV1alpha1Service } from '../../src/manifest/v1alpha1.js'
import { ApiError } from '../api-error.js'
import { SERVING_GROUP } from '../resources.js'
import type { EmulatorSettings } from '../settings.js'
import type { KObject } from '../store.js'
import { setDefaults, type Kind } from './defaults.js'
import { V1 } from './labels.js'
import { validate } from './validate.js'
import { admissionWarnings } from './warnings.js'
import type { AdmissionRequest } from '../api/types.js'

export const VALIDATION_WEBHOOK = 'validation.webhook.serving.knative.dev'

export type { AdmissionRequest }

const KINDS: Record<string, Kind> = {
  services: 'Service',
  configurations: 'Configuration',
  routes: 'Route',
  revisions: 'Revision'
}

/** Defaulting then validation; returns the v1 object to store, or throws the webhook's denial. */
export function admit(req: AdmissionRequest, _settings: EmulatorSettings): KObject {
  const kind = req.resource.group === SERVING_GROUP ? KINDS[req.resource.plural] : undefined
  if (!kind) return req.object
  if (req.subresource === 'status') return { ...structuredClone(req.object), apiVersion: V1 }
  const obj = toV1(kind, req.version, structuredClone(req.object))
  const old = req.operation === 'UPDATE' ? req.oldObject : undefined
  setDefaults(kind, obj, old, req.user)
  const error = validate(kind, obj, old)
  if (error) throw deny(error.message)
  for (const warning of admissionWarnings(kind, obj)) req.warn?.(warning)
  return obj
}

function toV1(kind: Kind, version: string, obj: KObject): KObject {
  if (version !== 'v1alpha1') return obj
  if (kind !== 'Service') return { ...obj, apiVersion: V1 } // the other kinds share v1's shape
  upgradeViaDefaulting(obj)
  const error = validateV1alpha1Service(obj)
  if (error) throw deny(error.message)
  try {
    return convertV1alpha1Service(obj) as unknown as KObject
  } catch (e) {
    // manual mode cannot be migrated forward
    throw deny(e instanceof Error ? e.message : String(e))
  }
}

const DEPRECATED_MODES = ['runLatest', 'release', 'pinned'] as const

/**
 * Knative's defaulting webhook runs with upgrade-via-defaulting on: a v1alpha1 spec with a
 * deprecated mode is converted to v1 and back, which leaves only the inline template and
 * traffic the mode describes. Reads at v1alpha1 show that inline form, so a GitOps
 * controller's next apply of a `release` block merges into it; the mode wins, as it does in
 * Knative's conversion, instead of the write being refused as "both". Several modes at once
 * are left for validation to refuse.
 */
function upgradeViaDefaulting(obj: KObject): void {
  const spec = obj.spec as Record<string, unknown> | undefined
  if (!spec) return
  const modes = DEPRECATED_MODES.filter((m) => spec[m] !== undefined && spec[m] !== null)
  if (modes.length !== 1 || spec.manual !== undefined) return
  delete spec.template
  delete spec.traffic
}

const deny = (message: string) =>
  ApiError.denied(VALIDATION_WEBHOOK, `validation failed: ${message}`)
