// The traffic list rules (route_validation.go) with Knative's exact messages. Paths are
// relative to `spec.traffic`, including the odd `tag[i]` for tag syntax.

import { FieldError } from '../../src/manifest/field-error.js'
import type { TrafficTarget } from '../../src/knative/types.js'
import { dns1035LabelErrors, goList, qualifiedNameErrors } from '../../src/manifest/names.js'

/** inService: a Service's traffic, where configurationName is implied and disallowed. */
export function validateTrafficList(
  traffic: TrafficTarget[],
  inService: boolean
): FieldError | undefined {
  const errors: (FieldError | undefined)[] = []
  const tagIndex = new Map<string, number>()
  let sum = 0
  traffic.forEach((tt, i) => {
    errors.push(validateTarget(tt, inService)?.via(`[${i}]`))
    sum += tt.percent ?? 0
    if (!tt.tag) return
    const problems = dns1035LabelErrors(tt.tag)
    if (problems.length) {
      errors.push(FieldError.invalidValue(`not a DNS 1035 label: ${goList(problems)}`, `tag[${i}]`))
    }
    const first = tagIndex.get(tt.tag)
    if (first === undefined) tagIndex.set(tt.tag, i)
    else
      errors.push(
        FieldError.generic(`Multiple definitions for "${tt.tag}"`, [`[${i}].tag`, `[${first}].tag`])
      )
  })
  if (sum !== 100) errors.push(FieldError.generic(`Traffic targets sum to ${sum}, want 100`, ['']))
  return FieldError.combine(...errors)
}

function validateTarget(tt: TrafficTarget, inService: boolean): FieldError | undefined {
  const errors: (FieldError | undefined)[] = []
  const rev = tt.revisionName ?? ''
  const config = tt.configurationName ?? ''
  if (inService && config) errors.push(FieldError.disallowed('configurationName'))
  else if (rev && config) errors.push(FieldError.oneOfBoth('revisionName', 'configurationName'))
  else if (rev) errors.push(keyName(rev, 'revisionName'))
  else if (config) errors.push(keyName(config, 'configurationName'))
  else if (!inService) errors.push(FieldError.oneOfNeither('revisionName', 'configurationName'))

  if (tt.percent !== undefined && tt.percent !== null && (tt.percent < 0 || tt.percent > 100)) {
    errors.push(FieldError.outOfBounds(tt.percent, 0, 100, 'percent'))
  }
  if (tt.url) errors.push(FieldError.disallowed('url'))
  // The senses of "pin a revision" and "float to the latest" must match.
  if (
    tt.latestRevision !== undefined &&
    tt.latestRevision !== null &&
    !!rev === tt.latestRevision
  ) {
    errors.push(
      FieldError.generic(
        `may not set revisionName "${rev}" when latestRevision is ${tt.latestRevision}`,
        ['latestRevision']
      )
    )
  }
  return FieldError.combine(...errors)
}

function keyName(value: string, path: string): FieldError | undefined {
  const problems = qualifiedNameErrors(value)
  return problems.length
    ? FieldError.generic(`invalid key name "${value}"`, [path], problems.join(', '))
    : undefined
}
