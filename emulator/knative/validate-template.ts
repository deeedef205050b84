// Revision template rules: the pod spec essentials, timeoutSeconds and containerConcurrency
// bounds, the bring-your-own revision name, and "no change without a name change".
// Paths are relative to the template (or to the Revision for its spec).

import { FieldError } from '../../src/manifest/field-error.js'
import type { ObjectMeta } from '../store.js'
import { shortDiff } from './diff.js'
import { validateAutoscalingAnnotations, validateProgressDeadline } from './validate-annotations.js'
import { validatePodSpec } from './validate-pod-spec.js'
import { dns1035NameErrors, goList } from '../../src/manifest/names.js'

export const MAX_TIMEOUT_SECONDS = 600
export const MAX_CONTAINER_CONCURRENCY = 1000

/** RevisionSpec.Validate, paths relative to the spec. */
export function validateRevisionSpec(spec: any): FieldError | undefined {
  const errors: (FieldError | undefined)[] = [validatePodSpec(spec ?? {})]
  const timeout = spec?.timeoutSeconds
  if (typeof timeout === 'number' && (timeout < 0 || timeout > MAX_TIMEOUT_SECONDS)) {
    errors.push(FieldError.outOfBounds(timeout, 0, MAX_TIMEOUT_SECONDS, 'timeoutSeconds'))
  }
  const cc = spec?.containerConcurrency
  if (typeof cc === 'number' && (cc < 0 || cc > MAX_CONTAINER_CONCURRENCY)) {
    errors.push(FieldError.outOfBounds(cc, 0, MAX_CONTAINER_CONCURRENCY, 'containerConcurrency'))
  }
  return FieldError.combine(...errors)
}

/** RevisionTemplateSpec.Validate; `parent` is the owning Service's or Configuration's metadata. */
export function validateTemplate(template: any, parent: ObjectMeta): FieldError | undefined {
  return FieldError.combine(
    validateRevisionSpec(template?.spec)?.via('spec'),
    validateAutoscalingAnnotations(template?.metadata?.annotations)?.via('metadata.annotations'),
    validateProgressDeadline(template?.metadata?.annotations)?.via('metadata.annotations'),
    validateRevisionName(
      template?.metadata?.name ?? '',
      template?.metadata?.generateName ?? '',
      parent
    )
  )
}

function validateRevisionName(
  name: string,
  generateName: string,
  parent: ObjectMeta
): FieldError | undefined {
  if (generateName) {
    const problems = dns1035NameErrors(generateName, true)
    if (problems.length) {
      return FieldError.invalidValue(
        `not a DNS 1035 label prefix: ${goList(problems)}`,
        'metadata.generateName'
      )
    }
  }
  if (!name) return undefined
  const problems = dns1035NameErrors(name, false)
  if (problems.length)
    return FieldError.invalidValue(`not a DNS 1035 label: ${goList(problems)}`, 'metadata.name')
  if (parent.name) {
    const prefix = `${parent.name}-`
    if (!name.startsWith(prefix)) {
      return FieldError.invalidValue(`"${name}" must have prefix "${prefix}"`, 'metadata.name')
    }
  } else if (parent.generateName) {
    // A parent named at creation by generateName cannot predict its children's names.
    return FieldError.disallowed('metadata.name')
  }
  return undefined
}

/** VerifyNameChange: a kept BYO name with any other template change is an error. */
export function verifyNameChange(next: any, old: any): FieldError | undefined {
  const name = next?.metadata?.name
  if (!name || !old || old.metadata?.name !== name) return undefined
  const diff = shortDiff('RevisionTemplateSpec', old, next)
  if (!diff) return undefined
  return FieldError.generic(
    'Saw the following changes without a name change (-old +new)',
    ['metadata.name'],
    diff
  )
}
