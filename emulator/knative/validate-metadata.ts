// Object metadata rules of the webhook: names, autoscaling annotations in the wrong place,
// the rollout-duration annotation and the creator / lastModifier audit annotations.
// Paths are relative to `metadata` unless stated.

import { FieldError } from '../../src/manifest/field-error.js'
import type { ObjectMeta } from '../store.js'
import { semanticEqual } from './diff.js'
import { A, AUTOSCALING_GROUP, L } from './labels.js'
import { dns1035NameErrors, goList } from '../../src/manifest/names.js'
import { parseGoDuration } from './names.js'

const SECOND_NS = 1e9

/** knative/pkg apis.ValidateObjectMetadata, paths relative to metadata. */
export function validateName(meta: ObjectMeta): FieldError | undefined {
  if (meta.generateName) {
    const problems = dns1035NameErrors(meta.generateName, true)
    if (problems.length) {
      return FieldError.generic(`not a DNS 1035 label prefix: ${goList(problems)}`, [
        'generateName'
      ])
    }
  }
  if (meta.name) {
    const problems = dns1035NameErrors(meta.name, false)
    if (problems.length)
      return FieldError.generic(`not a DNS 1035 label: ${goList(problems)}`, ['name'])
  }
  if (!meta.name && !meta.generateName)
    return FieldError.generic('name or generateName is required', ['name'])
  return undefined
}

/** Service and Configuration metadata may not carry autoscaling annotations. */
export function validateNoAutoscaling(
  annotations: Record<string, string> = {}
): FieldError | undefined {
  return FieldError.combine(
    ...Object.keys(annotations)
      .filter((k) => k.startsWith(AUTOSCALING_GROUP))
      .map((k) =>
        FieldError.generic(
          `invalid key name "${k}"`,
          ['annotations'],
          'autoscaling annotations must be put under "spec.template.metadata.annotations" to work'
        )
      )
  )
}

/** serving.ValidateRolloutDurationAnnotation, paths relative to metadata.annotations. */
export function validateRolloutDuration(
  annotations: Record<string, string> = {}
): FieldError | undefined {
  const key = [A.rolloutDuration, A.rolloutDurationAlias].find((k) => annotations[k])
  if (!key) return undefined
  const value = annotations[key]
  const ns = parseGoDuration(value)
  if (ns === undefined) return FieldError.invalidValue(value, key)
  if (Math.round(ns / SECOND_NS) * SECOND_NS !== ns) {
    return FieldError.generic(`rollout-duration=${value} is not at second precision`, [key])
  }
  if (ns < 0) return FieldError.generic(`rollout-duration=${value} must be positive`, [key])
  return undefined
}

/**
 * Route and Configuration validateLabels (v1/route_validation.go, configuration_validation.go):
 * a `serving.knative.dev/service` label needs an owner reference to that Service. Paths
 * relative to metadata.labels. (No release from 1.18 checks the visibility label's value.)
 */
export function validateServiceLabel(meta: ObjectMeta): FieldError | undefined {
  const service = meta.labels?.[L.service]
  if (service === undefined) return undefined
  const owned = meta.ownerReferences?.some((r) => r.kind === 'Service' && r.name === service)
  return owned ? undefined : FieldError.missing(L.service)
}

/**
 * apis.ValidateCreatorAndModifier: creator never changes; lastModifier changes only with
 * the spec. Paths relative to metadata.annotations.
 */
export function validateCreatorAndModifier(
  oldSpec: unknown,
  newSpec: unknown,
  oldAnnotations: Record<string, string> = {},
  newAnnotations: Record<string, string> = {}
): FieldError | undefined {
  const errors: (FieldError | undefined)[] = []
  if ((oldAnnotations[A.creator] ?? '') !== (newAnnotations[A.creator] ?? '')) {
    errors.push(FieldError.generic('annotation value is immutable', [A.creator]))
  }
  if (
    semanticEqual(oldSpec, newSpec) &&
    (oldAnnotations[A.lastModifier] ?? '') !== (newAnnotations[A.lastModifier] ?? '')
  ) {
    errors.push(FieldError.invalidValue(newAnnotations[A.lastModifier] ?? '', A.lastModifier))
  }
  return FieldError.combine(...errors)
}
