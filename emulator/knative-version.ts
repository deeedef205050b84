// Which Knative Serving release the emulator plays (`--knative-version`), and what that
// changes: first of all the queue-proxy's metric generation, one family per release, read
// from pkg/queue/request_metric.go at each release tag (docs/knative-semantics.md,
// "Metrics, release by release"). `1.19` means 1.19.0; a patch can be given: `1.20.2`.

export const KNATIVE_MINORS = [18, 19, 20, 21] as const
export const DEFAULT_KNATIVE_VERSION = '1.21'

export interface KnativeRelease {
  minor: number
  patch: number
}

export class KnativeVersionError extends Error {}

export function parseKnativeVersion(text: string): KnativeRelease {
  const m = /^v?1\.(\d+)(?:\.(\d+))?$/.exec(text.trim())
  const minor = m ? Number(m[1]) : NaN
  if (!m || !(KNATIVE_MINORS as readonly number[]).includes(minor)) {
    const known = KNATIVE_MINORS.map((n) => `1.${n}`).join(', ')
    throw new KnativeVersionError(
      `the Knative version must be one of ${known} (optionally with a patch, e.g. 1.20.2), got "${text}"`
    )
  }
  return { minor, patch: m[2] === undefined ? 0 : Number(m[2]) }
}

/** The queue-proxy histogram a release exports, and how it measures. */
export interface MetricGeneration {
  /**
   * `revision`: OpenCensus `revision_request_*` / `revision_app_request_*` (ms).
   * Otherwise the OpenTelemetry histogram's Prometheus name (seconds).
   */
  family:
    'revision' | 'kn_queueproxy_app_duration_seconds' | 'kn_serving_invocation_duration_seconds'
  /**
   * The duration is truncated to whole seconds (`float64(latency / time.Second)`) until
   * 1.19.9 / 1.20.2 (#16359): a sub-second request is recorded as 0 s.
   */
  wholeSeconds: boolean
}

export function metricGenerationOf({ minor, patch }: KnativeRelease): MetricGeneration {
  if (minor <= 18) return { family: 'revision', wholeSeconds: false }
  // The rename to kn.serving.invocation.duration (#16290) reached 1.19.8 and 1.20.1; the
  // sub-second fix (#16359) 1.19.9 and 1.20.2; 1.21.0 has both.
  const renamed = minor >= 21 || (minor === 19 ? patch >= 8 : patch >= 1)
  const precise = minor >= 21 || (minor === 19 ? patch >= 9 : patch >= 2)
  return {
    family: renamed
      ? 'kn_serving_invocation_duration_seconds'
      : 'kn_queueproxy_app_duration_seconds',
    wholeSeconds: !precise
  }
}
