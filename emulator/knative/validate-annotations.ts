// Revision template annotations the webhook checks: autoscaling.knative.dev/* (Knative's
// autoscaling.ValidateAnnotations with the default autoscaler config) and
// serving.knative.dev/progress-deadline. Paths are relative to metadata.annotations.

import { FieldError } from '../../src/manifest/field-error.js'
import { AUTOSCALING_GROUP as G, A } from './labels.js'
import { parseGoDuration } from './names.js'

type Err = FieldError | undefined
type Annotations = Record<string, string>

const SECOND = 1e9
const WINDOW_MIN = 6 * SECOND
const WINDOW_MAX = 3600 * SECOND
const INT32_MAX = 2147483647
const KPA = `kpa.${G}`
const HPA = `hpa.${G}`

/** The first key of a kmap.KeyPriority that is present, with its value. */
function get(m: Annotations, ...keys: string[]): [string, string] | undefined {
  for (const k of keys) if (k in m) return [k, m[k]]
  return undefined
}
const keys = (name: string, alias?: string) =>
  alias ? [`${G}/${name}`, `${G}/${alias}`] : [`${G}/${name}`]

/** strconv.ParseFloat's accepted text, as far as annotations go. */
function parseFloat64(v: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(v)) return v.startsWith('-') ? -Infinity : Infinity
  if (/^nan$/i.test(v)) return NaN
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) return undefined
  return Number(v)
}

/** strconv.ParseInt(v, 10, 32): undefined for bad syntax, 'range' outside int32. */
function parseInt32(v: string): number | 'range' | undefined {
  if (!/^[+-]?\d+$/.test(v)) return undefined
  const n = Number(v)
  return n > INT32_MAX || n < -INT32_MAX - 1 ? 'range' : n
}

const bounds = (v: string, lo: string | number, hi: string | number, k: string) =>
  FieldError.generic(`expected ${lo} <= ${v} <= ${hi}`, [k])

function intGE0(m: Annotations, k: string[]): [number, Err] {
  const found = get(m, ...k)
  if (!found) return [0, undefined]
  const [key, v] = found
  const n = parseInt32(v)
  if (n === 'range') return [0, bounds(v, 0, INT32_MAX, key)]
  if (n === undefined) return [0, FieldError.invalidValue(v, key)]
  if (n < 0) return [0, bounds(v, 0, INT32_MAX, key)]
  return [n, undefined]
}

export function validateAutoscalingAnnotations(m: Annotations = {}): Err {
  return FieldError.combine(
    validateClass(m),
    validateMinMax(m),
    validateFloats(m),
    validateWindow(m),
    validateDuration(
      m,
      keys('scale-to-zero-pod-retention-period', 'scaleToZeroPodRetentionPeriod')
    ),
    validateDuration(m, keys('scale-down-delay', 'scaleDownDelay'), true),
    validateMetric(m),
    validateAlgorithm(m),
    validateInitialScale(m)
  )
}

function validateClass(m: Annotations): Err {
  const v = m[`${G}/class`]
  if (v !== undefined && v.endsWith(G) && v !== KPA && v !== HPA)
    return FieldError.invalidValue(v, `${G}/class`)
  return undefined
}

function validateMinMax(m: Annotations): Err {
  const [min, minErr] = intGE0(m, keys('min-scale', 'minScale'))
  const [max, maxErr] = intGE0(m, keys('max-scale', 'maxScale'))
  const errors: Err[] = [minErr, maxErr]
  if (max !== 0 && max < min) {
    errors.push(
      FieldError.generic(`max-scale=${max} is less than min-scale=${min}`, [
        `${G}/max-scale`,
        `${G}/min-scale`
      ])
    )
  }
  const activation = get(m, `${G}/activation-scale`)
  if (activation) {
    const [k, v] = activation
    const n = parseInt32(v)
    if (typeof n !== 'number') errors.push(FieldError.invalidValue(v, k))
    else if (min > n)
      errors.push(FieldError.generic(`min-scale=${min} is greater than activation-scale=${n}`, [k]))
    else if (max < n && max !== 0)
      errors.push(FieldError.generic(`max-scale=${max} is less than activation-scale=${n}`, [k]))
    else if (n < 2)
      errors.push(FieldError.generic(`activation-scale=${n} must be greater than 1`, [k]))
  }
  return FieldError.combine(...errors)
}

function validateFloats(m: Annotations): Err {
  const errors: Err[] = []
  const check = (k: string[], ok: (f: number) => boolean, outOf: (v: string, k: string) => Err) => {
    const found = get(m, ...k)
    if (!found) return
    const f = parseFloat64(found[1])
    if (f === undefined) errors.push(FieldError.invalidValue(found[1], found[0]))
    else if (!ok(f)) errors.push(outOf(found[1], found[0]))
  }
  check(
    keys('panic-window-percentage', 'panicWindowPercentage'),
    (f) => f >= 1 && f <= 100,
    (v, k) => bounds(v, 1, 100, k)
  )
  check(
    keys('panic-threshold-percentage', 'panicThresholdPercentage'),
    (f) => f >= 110 && f <= 1000,
    (v, k) => bounds(v, 110, 1000, k)
  )
  check(
    keys('target'),
    (f) => f >= 0.01,
    (v, k) => FieldError.generic(`target ${v} should be at least 0.01`, [k])
  )
  check(
    keys('target-utilization-percentage', 'targetUtilizationPercentage'),
    (f) => f >= 1 && f <= 100,
    (v, k) => bounds(v, 1, 100, k)
  )
  check(
    keys('target-burst-capacity', 'targetBurstCapacity'),
    (f) => !(f < 0 && f !== -1),
    (v, k) => FieldError.invalidValue(v, k)
  )
  return FieldError.combine(...errors)
}

function validateWindow(m: Annotations): Err {
  const key = `${G}/window`
  const v = m[key]
  if (v === undefined) return undefined
  const d = parseGoDuration(v)
  if (d === undefined) return FieldError.invalidValue(v, key)
  if (d < WINDOW_MIN || d > WINDOW_MAX) return bounds(v, '6s', '1h0m0s', key)
  if (d % SECOND !== 0)
    return FieldError.generic('must be specified with at most second precision', [key])
  return undefined
}

function validateDuration(m: Annotations, k: string[], wholeSeconds = false): Err {
  const found = get(m, ...k)
  if (!found) return undefined
  const [key, v] = found
  const d = parseGoDuration(v)
  if (d === undefined) return FieldError.invalidValue(v, key)
  if (d < 0 || d > WINDOW_MAX) return bounds(v, '0s', '1h0m0s', key)
  if (wholeSeconds && Math.round(d / SECOND) * SECOND !== d)
    return FieldError.generic('must be specified with at most second precision', [key])
  return undefined
}

function validateMetric(m: Annotations): Err {
  const key = `${G}/metric`
  const metric = m[key]
  if (metric === undefined) return undefined
  const cls = m[`${G}/class`] ?? KPA
  if (cls === KPA && (metric === 'concurrency' || metric === 'rps')) return undefined
  if (cls === HPA && metric !== '') return undefined
  if (cls !== KPA && cls !== HPA) return undefined
  return FieldError.invalidValue(metric, key)
}

function validateAlgorithm(m: Annotations): Err {
  if (m[`${G}/class`] !== KPA) return undefined
  const found = get(m, ...keys('metric-aggregation-algorithm', 'metricAggregationAlgorithm'))
  if (!found || !found[1]) return undefined
  if (['linear', 'weightedExponential', 'weighted-exponential'].includes(found[1])) return undefined
  return FieldError.invalidValue(found[1], found[0])
}

function validateInitialScale(m: Annotations): Err {
  const found = get(m, ...keys('initial-scale', 'initialScale'))
  if (!found) return undefined
  const [k, v] = found
  if (!/^[+-]?\d+$/.test(v)) return FieldError.invalidValue(v, k)
  const n = Number(v)
  if (n < 0) return FieldError.invalidValue(v, `${k} must be greater than 0`)
  // allow-zero-initial-scale is false in the default config-autoscaler.
  if (n === 0) return FieldError.invalidValue(v, `${k}=0 not allowed by cluster`)
  return undefined
}

/** validateProgressDeadlineAnnotation. */
export function validateProgressDeadline(m: Annotations = {}): Err {
  const k = A.progressDeadline
  const v = m[k]
  if (!v) return undefined
  const d = parseGoDuration(v)
  if (d === undefined) return FieldError.invalidValue(v, k)
  if (Math.round(d / SECOND) * SECOND !== d)
    return FieldError.generic(`progress-deadline=${v} is not at second precision`, [k])
  if (d < 0) return FieldError.generic(`progress-deadline=${v} must be positive`, [k])
  return undefined
}
