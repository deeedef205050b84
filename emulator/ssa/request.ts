// The managed-fields side of one write request: who the manager is (`fieldManager`, else the
// User-Agent), the PatchOptions checks the API server makes, and recording an Update on the
// object before admission (so, as on a real cluster since Kubernetes 1.18, fields a
// mutating webhook sets, such as Knative's default spec.traffic, are nobody's).

import { ApiError } from '../api-error.js'
import type { KObject } from '../store.js'
import { baseEntries, encodeEntries, managerFromUserAgent, recordUpdate } from './managed-fields.js'

export interface WriteOptions {
  query: URLSearchParams
  userAgent?: string
}

const invalidOptions = (kind: string, field: string, detail: string) =>
  new ApiError(422, 'Invalid', `${kind}.meta.k8s.io "" is invalid: ${field}: ${detail}`, {
    group: 'meta.k8s.io',
    kind,
    causes: [{ reason: 'FieldValueInvalid', message: detail, field }]
  })

/** The manager of an Update: `fieldManager`, or the User-Agent's product token. */
export function updateManager(req: WriteOptions): string {
  return req.query.get('fieldManager') || managerFromUserAgent(req.userAgent)
}

/** `fieldManager` is required for apply, and `force` only makes sense there. */
export function checkPatchOptions(req: WriteOptions, isApply: boolean): void {
  if (isApply && !req.query.get('fieldManager')) {
    throw invalidOptions(
      'PatchOptions',
      'fieldManager',
      'Required value: is required for apply patch'
    )
  }
  if (!isApply && req.query.has('force')) {
    throw invalidOptions(
      'PatchOptions',
      'force',
      'Forbidden: may not be specified for non-apply patch'
    )
  }
}

export const isForce = (req: WriteOptions) => req.query.get('force') === 'true'

/**
 * Set `next.metadata.managedFields` for an Update by this request's manager. `before` is
 * the live object in the client's version, undefined on create.
 */
export function recordManagedFields(
  next: KObject,
  before: KObject | undefined,
  req: WriteOptions,
  now: Date
): void {
  const base = baseEntries(next.metadata.managedFields, before?.metadata.managedFields)
  const entries = recordUpdate(base, before ?? {}, next, updateManager(req), next.apiVersion, now)
  const encoded = encodeEntries(entries)
  if (encoded.length > 0) next.metadata.managedFields = encoded
  else delete next.metadata.managedFields
}
