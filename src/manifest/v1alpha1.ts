// Knative's legacy v1alpha1 Service: validation with the v0.10+ webhook messages, and the
// conversion to v1 that Knative's own ConvertUp performed (docs/knative-semantics.md,
// "Legacy v1alpha1"). Modes: runLatest, pinned, release (1–2 revisions, `@latest`,
// rolloutPercent 0..99), manual (refused), or an inline template/traffic. Pure.

import type { Container, KService, RevisionTemplate, TrafficTarget } from '../knative/types.js'
import { FieldError } from './field-error.js'
import { dns1035LabelErrors, goList } from './names.js'
import { clone, isObject, isSet, show, type Obj } from './shape.js'
import { validateContainer, validateRevisionName, validateTraffic } from './v1.js'

/** `release.revisions` entry meaning "the latest ready revision". */
export const LATEST_KEYWORD = '@latest'

/** Knative's CannotConvertError: the object is valid v1alpha1 but has no v1 form. */
export class ConversionError extends Error {
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message)
    this.name = 'ConversionError'
  }
}

const MODES = ['runLatest', 'release', 'pinned'] as const
// Fields v1alpha1 kept for compatibility; the inline (v1beta1-style) form refuses them.
const DEPRECATED_CONFIG_FIELDS = ['revisionTemplate', 'build'] as const
const DEPRECATED_REVISION_FIELDS = [
  'container',
  'concurrencyModel',
  'servingState',
  'buildRef',
  'generation'
] as const

/** Validates a v1alpha1 Service's spec, as Knative's v0.10+ webhook did; paths under `spec.`. */
export function validateV1alpha1Service(obj: unknown): FieldError | undefined {
  if (!isObject(obj)) return FieldError.generic(`invalid value: ${show(obj)}`, [])
  const metadata = isObject(obj.metadata) ? obj.metadata : {}
  const parent = typeof metadata.name === 'string' ? metadata.name : ''
  const spec = isObject(obj.spec) ? obj.spec : {}
  return validateSpec(spec, parent)?.via('spec')
}

function validateSpec(spec: Obj, parent: string): FieldError | undefined {
  const errors: (FieldError | undefined)[] = []
  const set: string[] = []
  if (isSet(spec.runLatest)) {
    set.push('runLatest')
    errors.push(validateRunLatest(spec.runLatest, parent)?.via('runLatest'))
  }
  if (isSet(spec.release)) {
    set.push('release')
    errors.push(validateRelease(spec.release, parent)?.via('release'))
  }
  if (isSet(spec.manual)) {
    set.push('manual')
    errors.push(FieldError.disallowed('manual'))
  }
  if (isSet(spec.pinned)) {
    set.push('pinned')
    errors.push(validatePinned(spec.pinned, parent)?.via('pinned'))
  }
  if (set.length > 0 && Array.isArray(spec.traffic) && spec.traffic.length > 0) {
    errors.push(FieldError.oneOfBoth('traffic', ...set))
  }
  const inline = inlineConfiguration(spec)
  if (inline) {
    set.push('template')
    errors.push(validateConfiguration(inline, parent, true))
    errors.push(validateInlineTraffic(spec.traffic))
  }
  if (set.length > 1) errors.push(FieldError.oneOfBoth(...set))
  else if (set.length === 0) errors.push(FieldError.oneOfNeither(...MODES, 'template'))
  return FieldError.combine(...errors)
}

/** The ConfigurationSpec inlined in the Service spec, when any of it is set. */
function inlineConfiguration(spec: Obj): Obj | undefined {
  const fields = ['template', ...DEPRECATED_CONFIG_FIELDS].filter((k) => isSet(spec[k]))
  return fields.length ? Object.fromEntries(fields.map((k) => [k, spec[k]])) : undefined
}

function validateRunLatest(mode: unknown, parent: string): FieldError | undefined {
  if (!isObject(mode)) return FieldError.invalidValue(show(mode), '')
  return validateConfiguration(mode.configuration, parent, false)?.via('configuration')
}

function validatePinned(mode: unknown, parent: string): FieldError | undefined {
  if (!isObject(mode)) return FieldError.invalidValue(show(mode), '')
  const name = mode.revisionName
  return FieldError.combine(
    !isSet(name) || name === ''
      ? FieldError.missing('revisionName')
      : typeof name !== 'string'
        ? FieldError.invalidValue(show(name), 'revisionName')
        : undefined,
    validateConfiguration(mode.configuration, parent, false)?.via('configuration')
  )
}

function validateRelease(mode: unknown, parent: string): FieldError | undefined {
  if (!isObject(mode)) return FieldError.invalidValue(show(mode), '')
  const errors: (FieldError | undefined)[] = []
  const revisions = mode.revisions ?? []
  const count = Array.isArray(revisions) ? revisions.length : 0
  if (!Array.isArray(revisions)) errors.push(FieldError.invalidValue(show(revisions), 'revisions'))
  else if (count === 0) errors.push(FieldError.missing('revisions'))
  if (count > 2) errors.push(FieldError.outOfBounds(count, 1, 2, 'revisions'))
  if (Array.isArray(revisions)) {
    revisions.forEach((r, i) => {
      if (r === LATEST_KEYWORD) return
      if (typeof r !== 'string') {
        errors.push(FieldError.invalidValue(show(r), `revisions[${i}]`))
        return
      }
      const msgs = dns1035LabelErrors(r)
      if (msgs.length) {
        errors.push(
          FieldError.invalidValue(`not a DNS 1035 label: ${goList(msgs)}`, `revisions[${i}]`)
        )
      }
    })
  }
  const percent = mode.rolloutPercent ?? 0
  if (typeof percent !== 'number' || !Number.isInteger(percent)) {
    errors.push(FieldError.invalidValue(show(percent), 'rolloutPercent'))
  } else {
    if (count < 2 && percent !== 0) {
      errors.push(
        FieldError.generic('may not set rolloutPercent for a single revision', ['rolloutPercent'])
      )
    }
    if (percent < 0 || percent > 99) {
      errors.push(FieldError.outOfBounds(percent, 0, 99, 'rolloutPercent'))
    }
  }
  errors.push(validateConfiguration(mode.configuration, parent, false)?.via('configuration'))
  return FieldError.combine(...errors)
}

/** A v1alpha1 ConfigurationSpec; paths relative to it. */
function validateConfiguration(
  config: unknown,
  parent: string,
  inline: boolean
): FieldError | undefined {
  if (isSet(config) && !isObject(config)) return FieldError.invalidValue(show(config), '')
  const cs = isObject(config) ? config : {}
  if (!['template', ...DEPRECATED_CONFIG_FIELDS].some((k) => isSet(cs[k]))) {
    return FieldError.missing('')
  }
  const errors: (FieldError | undefined)[] = []
  if (inline) {
    for (const k of DEPRECATED_CONFIG_FIELDS)
      if (isSet(cs[k])) errors.push(FieldError.disallowed(k))
  }
  const hasOld = isSet(cs.revisionTemplate)
  const hasNew = isSet(cs.template)
  if (hasOld && hasNew) errors.push(FieldError.oneOfBoth('revisionTemplate', 'template'))
  else if (!hasOld && !hasNew) errors.push(FieldError.oneOfNeither('revisionTemplate', 'template'))
  else {
    const field = hasNew ? 'template' : 'revisionTemplate'
    errors.push(validateTemplate(cs[field], parent, inline)?.via(field))
  }
  return FieldError.combine(...errors)
}

/** A v1alpha1 RevisionTemplateSpec; paths relative to it. */
function validateTemplate(
  template: unknown,
  parent: string,
  inline: boolean
): FieldError | undefined {
  if (!isObject(template)) return FieldError.invalidValue(show(template), '')
  const metadata = isObject(template.metadata) ? template.metadata : {}
  return FieldError.combine(
    validateRevisionName(metadata.name, parent),
    validateRevisionSpec(template.spec, inline)?.via('spec')
  )
}

function validateRevisionSpec(spec: unknown, inline: boolean): FieldError | undefined {
  if (!isObject(spec) || Object.keys(spec).length === 0) return FieldError.missing('')
  const errors: (FieldError | undefined)[] = []
  if (inline) {
    for (const k of DEPRECATED_REVISION_FIELDS)
      if (isSet(spec[k])) errors.push(FieldError.disallowed(k))
  }
  const { container, containers } = spec
  const hasMany = Array.isArray(containers) && containers.length > 0
  if (isSet(containers) && !Array.isArray(containers)) {
    errors.push(FieldError.invalidValue(show(containers), 'containers'))
  } else if (hasMany && isSet(container)) {
    errors.push(FieldError.oneOfBoth('container', 'containers'))
  } else if (hasMany) {
    const list = containers as unknown[]
    if (list.length > 1) errors.push(FieldError.oneOfBoth('containers'))
    else errors.push(validateContainer(list[0])?.via('containers[0]'))
  } else if (isSet(container)) {
    errors.push(validateContainer(container)?.via('container'))
  } else {
    errors.push(FieldError.oneOfNeither('container', 'containers'))
  }
  return FieldError.combine(...errors)
}

/** Inline traffic: v1 rules, plus the deprecated `name` (refused inline, and never with `tag`). */
function validateInlineTraffic(traffic: unknown): FieldError | undefined {
  if (!Array.isArray(traffic)) return validateTraffic(traffic)
  const errors: (FieldError | undefined)[] = []
  const v1 = traffic.map((t, i) => {
    if (!isObject(t) || !isSet(t.name)) return t
    errors.push(FieldError.disallowed(`traffic[${i}].name`))
    if (isSet(t.tag)) errors.push(FieldError.oneOfBoth(`traffic[${i}].name`, `traffic[${i}].tag`))
    const { name: _name, ...rest } = t
    return rest
  })
  return FieldError.combine(...errors, validateTraffic(v1))
}

// ---------------------------------------------------------------------------------------
// Conversion

/**
 * The v1 form of a v1alpha1 Service (Knative's ServiceSpec.ConvertUp). Throws
 * ConversionError for `manual` ("manual mode cannot be migrated forward.") and `build`, and
 * for shapes with no template. Call `validateV1alpha1Service` first for the full diagnosis.
 * Status is not converted; server-set metadata is kept as given.
 */
export function convertV1alpha1Service(obj: unknown): KService {
  if (!isObject(obj)) throw new ConversionError('', `not an object: ${show(obj)}`)
  const metadata = clone(isObject(obj.metadata) ? obj.metadata : {}) as KService['metadata']
  const spec = isObject(obj.spec) ? obj.spec : {}
  const { template, traffic } = convertSpec(spec)
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata,
    spec: traffic ? { template, traffic } : { template }
  }
}

function convertSpec(spec: Obj): { template: RevisionTemplate; traffic?: TrafficTarget[] } {
  const mode = (name: string) => (isObject(spec[name]) ? (spec[name] as Obj) : undefined)
  const runLatest = mode('runLatest')
  if (runLatest) {
    return {
      template: convertConfiguration(runLatest.configuration, 'runLatest.configuration'),
      traffic: [{ percent: 100, latestRevision: true }]
    }
  }
  const release = mode('release')
  if (release) {
    return {
      template: convertConfiguration(release.configuration, 'release.configuration'),
      traffic: releaseTraffic(release)
    }
  }
  const pinned = mode('pinned')
  if (pinned) {
    return {
      template: convertConfiguration(pinned.configuration, 'pinned.configuration'),
      traffic: [{ revisionName: String(pinned.revisionName ?? ''), percent: 100 }]
    }
  }
  if (isSet(spec.manual))
    throw new ConversionError('manual', 'manual mode cannot be migrated forward.')
  const inline = inlineConfiguration(spec)
  if (!inline) {
    throw new ConversionError('', 'expected exactly one of runLatest, release, pinned, template')
  }
  const traffic = Array.isArray(spec.traffic) ? spec.traffic.map(convertTarget) : undefined
  return { template: convertConfiguration(inline, 'template'), traffic }
}

/** release → current (100 − rolloutPercent), candidate (rolloutPercent), latest (0). */
function releaseTraffic(release: Obj): TrafficTarget[] {
  const revisions = Array.isArray(release.revisions) ? release.revisions.map(String) : []
  const percent = typeof release.rolloutPercent === 'number' ? release.rolloutPercent : 0
  const target = (tag: string, revision: string, p: number): TrafficTarget =>
    revision === LATEST_KEYWORD
      ? { tag, latestRevision: true, percent: p }
      : { tag, revisionName: revision, percent: p }
  const traffic = [
    target('current', revisions[0] ?? '', revisions.length > 1 ? 100 - percent : 100)
  ]
  if (revisions.length > 1) traffic.push(target('candidate', revisions[1], percent))
  traffic.push({ tag: 'latest', latestRevision: true, percent: 0 })
  return traffic
}

function convertTarget(t: unknown): TrafficTarget {
  if (!isObject(t)) return {}
  const out: TrafficTarget = {}
  const tag = isSet(t.name) && t.name !== '' ? t.name : t.tag
  if (isSet(tag) && tag !== '') out.tag = String(tag)
  if (isSet(t.revisionName) && t.revisionName !== '') out.revisionName = String(t.revisionName)
  if (isSet(t.configurationName) && t.configurationName !== '') {
    out.configurationName = String(t.configurationName)
  }
  if (typeof t.latestRevision === 'boolean') out.latestRevision = t.latestRevision
  if (typeof t.percent === 'number') out.percent = t.percent
  return out
}

function convertConfiguration(config: unknown, path: string): RevisionTemplate {
  const cs = isObject(config) ? config : {}
  if (isSet(cs.build))
    throw new ConversionError(`${path}.build`, 'build cannot be migrated forward.')
  const template = cs.template ?? cs.revisionTemplate
  if (!isObject(template)) {
    throw new ConversionError(path, `missing field(s): ${path}.template`)
  }
  const spec = isObject(template.spec) ? template.spec : {}
  const out: RevisionTemplate = { spec: convertRevisionSpec(spec, `${path}.template.spec`) }
  if (isObject(template.metadata)) out.metadata = clone(template.metadata)
  return out
}

function convertRevisionSpec(spec: Obj, path: string): RevisionTemplate['spec'] {
  const { container, containers, concurrencyModel, ...rest } = clone(spec)
  for (const k of DEPRECATED_REVISION_FIELDS) delete rest[k]
  const list = Array.isArray(containers) ? containers : []
  if (isSet(container) && list.length > 0) {
    throw new ConversionError(
      path,
      `expected exactly one, got both: ${path}.container, ${path}.containers`
    )
  }
  const converted = (isSet(container) ? [container] : list) as Container[]
  if (converted.length === 0) {
    throw new ConversionError(
      path,
      `expected exactly one, got neither: ${path}.container, ${path}.containers`
    )
  }
  // v1alpha1 defaulted concurrencyModel Single to containerConcurrency 1.
  if (concurrencyModel === 'Single' && !isSet(rest.containerConcurrency))
    rest.containerConcurrency = 1
  return { ...rest, containers: converted }
}
