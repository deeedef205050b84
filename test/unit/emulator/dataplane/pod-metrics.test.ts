// One pod's queue-proxy endpoint, as a cluster's Prometheus scrapes it: OpenTelemetry
// releases keep the resource attributes (revision, namespace, ...) on `target_info` and
// off the series, since knative/serving configures no WithResourceAsConstantLabels
// (pkg/queue/sharedmain, knative.dev/pkg observability/metrics); OpenCensus labels each series.

import { metricGenerationOf, parseKnativeVersion } from '../../../../emulator/knative-version.js'
import { MetricsRegistry } from '../../../../emulator/dataplane/metrics.js'

const registry = (version: string) => {
  const r = new MetricsRegistry(() => metricGenerationOf(parseKnativeVersion(version)))
  const labels = { namespace: 'shop', service: 'web', configuration: 'web' }
  r.forRevision({ ...labels, revision: 'web-v1', pod: 'web-v1-pod' }).record(200, 'current', 30)
  r.forRevision({ ...labels, revision: 'web-v2', pod: 'web-v2-pod' }).record(503, 'candidate', 40)
  return r
}
const lines = (text: string | undefined, prefix: string) =>
  (text ?? '').split('\n').filter((l) => l.startsWith(prefix))

test('1.21: target_info carries the revision; the series carry only the status code', () => {
  const text = registry('1.21').podExposition('shop', 'web-v2-pod')
  expect(lines(text, 'target_info')).toEqual([
    'target_info{k8s_container_name="queue-proxy",k8s_namespace_name="shop",k8s_pod_name="web-v2-pod",kn_configuration_name="web",kn_revision_name="web-v2",kn_service_name="web",service_name="queue-proxy"} 1'
  ])
  expect(lines(text, 'kn_serving_invocation_duration_seconds_count')).toEqual([
    'kn_serving_invocation_duration_seconds_count{http_response_status_code="503"} 1'
  ])
  expect(lines(text, 'kn_serving_invocation_duration_seconds_bucket')[0]).toBe(
    'kn_serving_invocation_duration_seconds_bucket{http_response_status_code="503",le="0.005"} 0'
  )
})

test('1.18: OpenCensus series labelled with the revision, one pod only; no target_info', () => {
  const text = registry('1.18').podExposition('shop', 'web-v1-pod')
  expect(lines(text, 'target_info')).toEqual([])
  expect(lines(text, 'revision_app_request_count{')).toEqual([
    'revision_app_request_count{namespace_name="shop",service_name="web",configuration_name="web",revision_name="web-v1",pod_name="web-v1-pod",container_name="queue-proxy",response_code="200",response_code_class="2xx"} 1'
  ])
})

test('an unknown pod has no endpoint; /metrics still serves every revision labelled', () => {
  const r = registry('1.21')
  expect(r.podExposition('shop', 'nope')).toBeUndefined()
  expect(lines(r.exposition(), 'kn_serving_invocation_duration_seconds_count')).toHaveLength(2)
  expect(r.pods().map((p) => p.pod)).toEqual(['web-v1-pod', 'web-v2-pod'])
})
