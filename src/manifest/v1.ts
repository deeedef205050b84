// Knative Serving v1 Service validation, with the webhook's exact messages and paths
// (docs/knative-semantics.md, "Validation"). It checks what a manifest can get wrong
// before it reaches a cluster; defaulting is not applied (an absent `traffic` is fine, the
// webhook defaults it to 100% latest). Pure.

import { FieldError } from './field-error.js'
import { dns1035LabelErrors, goList, qualifiedNameErrors } from './names.js'
import { isObject, isSet, show, type Obj } from './shape.js'

/** A v1 Service: `metadata.name`, `spec.template`, `spec.traffic`. */
export function validateV1Service(obj: unknown): FieldError | undefined {
  if (!isObject(obj)) return FieldError.generic(`invalid value: ${show(obj)}`, [])
  const metadata = isObject(obj.metadata) ? obj.metadata : {}
  const name = typeof metadata.name === 'string' ? metadata.name : ''
  const spec = isObject(obj.spec) ? obj.spec : undefined
  return FieldError.combine(
    validateServiceName(metadata)?.via('metadata'),
    spec
      ? FieldError.combine(
          validateV1Template(spec.template, name)?.via('template'),
          validateTraffic(spec.traffic)
        )?.via('spec')
      : FieldError.missing('spec')
  )
}

function validateServiceName(metadata: Obj): FieldError | undefined {
  const { name, generateName } = metadata
  if (!isSet(name) || name === '') {
    return isSet(generateName) && generateName !== ''
      ? undefined
      : FieldError.generic('name or generateName is required', ['name'])
  }
  if (typeof name !== 'string') return FieldError.invalidValue(show(name), 'name')
  const msgs = dns1035LabelErrors(name)
  return msgs.length
    ? FieldError.generic(`not a DNS 1035 label: ${goList(msgs)}`, ['name'])
    : undefined
}

/**
 * A BYO revision name (`template.metadata.name`): a DNS-1035 label starting with
 * `<parent>-`. Paths are relative to the template.
 */
export function validateRevisionName(name: unknown, parent: string): FieldError | undefined {
  if (!isSet(name) || name === '') return undefined
  if (typeof name !== 'string') return FieldError.invalidValue(show(name), 'metadata.name')
  const msgs = dns1035LabelErrors(name)
  if (msgs.length) {
    return FieldError.invalidValue(`not a DNS 1035 label: ${goList(msgs)}`, 'metadata.name')
  }
  const prefix = `${parent}-`
  if (parent && !name.startsWith(prefix)) {
    return FieldError.invalidValue(`"${name}" must have prefix "${prefix}"`, 'metadata.name')
  }
  return undefined
}

/** `spec.template` of a v1 Service; paths relative to the template. */
export function validateV1Template(template: unknown, parent: string): FieldError | undefined {
  if (!isSet(template)) return FieldError.missing('')
  if (!isObject(template)) return FieldError.invalidValue(show(template), '')
  const metadata = isObject(template.metadata) ? template.metadata : {}
  const spec = template.spec
  let specErr: FieldError | undefined
  if (!isObject(spec)) specErr = FieldError.missing('spec.containers')
  else specErr = validateContainers(spec.containers)?.via('spec')
  return FieldError.combine(validateRevisionName(metadata.name, parent), specErr)
}

function validateContainers(containers: unknown): FieldError | undefined {
  if (!isSet(containers) || (Array.isArray(containers) && containers.length === 0)) {
    return FieldError.missing('containers')
  }
  if (!Array.isArray(containers)) return FieldError.invalidValue(show(containers), 'containers')
  return FieldError.combine(
    ...containers.map((c, i) => validateContainer(c)?.via(`containers[${i}]`))
  )
}

/** One container; paths relative to it. Only the image is the action's business. */
export function validateContainer(container: unknown): FieldError | undefined {
  if (!isObject(container)) return FieldError.invalidValue(show(container), '')
  const image = container.image
  if (!isSet(image) || image === '') return FieldError.missing('image')
  if (typeof image !== 'string') return FieldError.invalidValue(show(image), 'image')
  return undefined
}

/**
 * `spec.traffic` of a Service (a Route's rules with a default configuration); paths
 * relative to the spec. An absent or empty list is valid: defaulting fills it.
 */
export function validateTraffic(traffic: unknown): FieldError | undefined {
  if (!isSet(traffic)) return undefined
  if (!Array.isArray(traffic)) return FieldError.invalidValue(show(traffic), 'traffic')
  if (traffic.length === 0) return undefined
  const errors: (FieldError | undefined)[] = []
  const firstByTag = new Map<string, number>()
  let sum = 0
  traffic.forEach((target, i) => {
    if (!isObject(target)) {
      errors.push(FieldError.invalidValue(show(target), `traffic[${i}]`))
      return
    }
    errors.push(validateTarget(target)?.via(`traffic[${i}]`))
    if (typeof target.percent === 'number') sum += target.percent
    const tag = target.tag
    if (typeof tag !== 'string' || tag === '') return
    const msgs = dns1035LabelErrors(tag)
    if (msgs.length) {
      // Knative's odd path for this one: traffic.tag[i], not traffic[i].tag.
      errors.push(
        FieldError.invalidValue(`not a DNS 1035 label: ${goList(msgs)}`, `traffic.tag[${i}]`)
      )
    }
    const first = firstByTag.get(tag)
    if (first === undefined) firstByTag.set(tag, i)
    else {
      errors.push(
        FieldError.generic(`Multiple definitions for "${tag}"`, [
          `traffic[${i}].tag`,
          `traffic[${first}].tag`
        ])
      )
    }
  })
  if (sum !== 100)
    errors.push(FieldError.generic(`Traffic targets sum to ${sum}, want 100`, ['traffic']))
  return FieldError.combine(...errors)
}

/** One target, in a Service; paths relative to the target. */
export function validateTarget(t: Obj): FieldError | undefined {
  const errors: (FieldError | undefined)[] = []
  const revisionName = t.revisionName ?? ''
  const { latestRevision, percent, tag } = t

  if (typeof revisionName !== 'string') {
    errors.push(FieldError.invalidValue(show(revisionName), 'revisionName'))
  } else if (latestRevision === true && revisionName !== '') {
    errors.push(
      FieldError.generic(`may not set revisionName "${revisionName}" when latestRevision is true`, [
        'latestRevision'
      ])
    )
  } else if (latestRevision === false && revisionName === '') {
    errors.push(
      FieldError.generic('may not set revisionName "" when latestRevision is false', [
        'latestRevision'
      ])
    )
  }
  if (isSet(latestRevision) && typeof latestRevision !== 'boolean') {
    errors.push(FieldError.invalidValue(show(latestRevision), 'latestRevision'))
  }

  if (isSet(t.configurationName) && t.configurationName !== '') {
    errors.push(FieldError.disallowed('configurationName'))
  } else if (typeof revisionName === 'string' && revisionName !== '') {
    const msgs = qualifiedNameErrors(revisionName)
    if (msgs.length) {
      errors.push(
        FieldError.generic(`invalid key name "${revisionName}"`, ['revisionName'], msgs.join(', '))
      )
    }
  }

  if (isSet(percent)) {
    if (typeof percent !== 'number' || !Number.isInteger(percent)) {
      errors.push(FieldError.invalidValue(show(percent), 'percent'))
    } else if (percent < 0 || percent > 100) {
      errors.push(FieldError.outOfBounds(percent, 0, 100, 'percent'))
    }
  }
  if (isSet(tag) && typeof tag !== 'string') errors.push(FieldError.invalidValue(show(tag), 'tag'))
  if (isSet(t.url)) errors.push(FieldError.disallowed('url'))
  return FieldError.combine(...errors)
}
