// The validating webhook (validation.webhook.serving.knative.dev) per kind: what
// Service.Validate, Configuration.Validate, Route.Validate and Revision.Validate check.

import { FieldError } from '../../src/manifest/field-error.js'
import type { KObject } from '../store.js'
import { shortDiff } from './diff.js'
import type { Kind } from './defaults.js'
import {
  validateCreatorAndModifier,
  validateName,
  validateNoAutoscaling,
  validateRolloutDuration,
  validateServiceLabel
} from './validate-metadata.js'
import { validateRevisionSpec, validateTemplate, verifyNameChange } from './validate-template.js'
import { validateTrafficList } from './validate-traffic.js'

export function validate(
  kind: Kind,
  obj: KObject,
  old: KObject | undefined
): FieldError | undefined {
  switch (kind) {
    case 'Service':
      return FieldError.combine(
        parentMetadata(obj, 'Service'),
        validateTemplate(obj.spec?.template, obj.metadata)?.via('spec.template'),
        validateTrafficList(obj.spec?.traffic ?? [], true)?.via('spec.traffic'),
        old && audit(obj, old),
        old && verifyNameChange(obj.spec?.template, old.spec?.template)?.via('spec.template')
      )
    case 'Configuration':
      return FieldError.combine(
        parentMetadata(obj, 'Configuration'),
        validateTemplate(obj.spec?.template, obj.metadata)?.via('spec.template'),
        old && !obj.metadata.ownerReferences?.length ? audit(obj, old) : undefined,
        old && verifyNameChange(obj.spec?.template, old.spec?.template)?.via('spec.template')
      )
    case 'Route':
      return FieldError.combine(
        parentMetadata(obj, 'Route'),
        routeSpec(obj),
        old && !obj.metadata.ownerReferences?.length ? audit(obj, old) : undefined
      )
    case 'Revision':
      return FieldError.combine(
        validateName(obj.metadata)?.via('metadata'),
        validateRevisionSpec(obj.spec)?.via('spec'),
        old && immutableSpec(obj, old)
      )
  }
}

/**
 * serving.ValidateObjectMetadata (name, no autoscaling annotations) for all three; the
 * service label's owner (Route, Configuration); rollout duration (Service, Route).
 */
function parentMetadata(
  obj: KObject,
  kind: 'Service' | 'Configuration' | 'Route'
): FieldError | undefined {
  return FieldError.combine(
    validateName(obj.metadata),
    validateNoAutoscaling(obj.metadata.annotations),
    kind !== 'Service' ? validateServiceLabel(obj.metadata)?.via('labels') : undefined,
    kind !== 'Configuration'
      ? validateRolloutDuration(obj.metadata.annotations)?.via('annotations')
      : undefined
  )?.via('metadata')
}

function routeSpec(obj: KObject): FieldError | undefined {
  const traffic = obj.spec?.traffic ?? []
  if (!traffic.length) return FieldError.missing('spec')
  return validateTrafficList(traffic, false)?.via('spec.traffic')
}

function audit(obj: KObject, old: KObject): FieldError | undefined {
  return validateCreatorAndModifier(
    old.spec,
    obj.spec,
    old.metadata.annotations,
    obj.metadata.annotations
  )?.via('metadata.annotations')
}

function immutableSpec(obj: KObject, old: KObject): FieldError | undefined {
  const diff = shortDiff('RevisionSpec', old.spec, obj.spec)
  return diff
    ? FieldError.generic('Immutable fields changed (-old +new)', ['spec'], diff)
    : undefined
}
