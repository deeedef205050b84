// `--knative-version`: which release the emulator plays, and the one queue-proxy metric
// generation that release exports (pkg/queue/request_metric.go at each knative/serving tag).

import { parseCli, UsageError } from '../../../emulator/main.js'
import { metricGenerationOf, parseKnativeVersion } from '../../../emulator/knative-version.js'
import { revision, route, startDataPlane, type Running } from '../../helpers/dataplane-fixtures.js'

describe('metricGenerationOf (pkg/queue/request_metric.go at each tag)', () => {
  const rows: [string, string, string, boolean][] = [
    ['knative-v1.18.0: OpenCensus', '1.18', 'revision', false],
    ['knative-v1.18.2', '1.18.2', 'revision', false],
    [
      'knative-v1.19.0: kn.queueproxy.app.duration, whole seconds',
      '1.19',
      'kn_queueproxy_app_duration_seconds',
      true
    ],
    ['knative-v1.19.7', '1.19.7', 'kn_queueproxy_app_duration_seconds', true],
    [
      'knative-v1.19.8: renamed (#16290), still whole seconds',
      '1.19.8',
      'kn_serving_invocation_duration_seconds',
      true
    ],
    [
      'knative-v1.19.9: sub-second fix (#16359)',
      '1.19.9',
      'kn_serving_invocation_duration_seconds',
      false
    ],
    ['knative-v1.20.0', '1.20', 'kn_queueproxy_app_duration_seconds', true],
    ['knative-v1.20.1: renamed', '1.20.1', 'kn_serving_invocation_duration_seconds', true],
    ['knative-v1.20.2: precise', 'v1.20.2', 'kn_serving_invocation_duration_seconds', false],
    ['knative-v1.21.0', '1.21', 'kn_serving_invocation_duration_seconds', false]
  ]
  test.each(rows)('%s', (_name, version, family, wholeSeconds) => {
    expect(metricGenerationOf(parseKnativeVersion(version))).toEqual({ family, wholeSeconds })
  })

  test.each(['1.17', '1.22', '2.0', 'latest', '1.x'])('%s is refused, naming the choices', (v) => {
    expect(() => parseKnativeVersion(v)).toThrow(
      `the Knative version must be one of 1.18, 1.19, 1.20, 1.21 (optionally with a patch, e.g. 1.20.2), got "${v}"`
    )
  })

  test('the CLI takes --knative-version and refuses an unknown one as a usage error', () => {
    const cli = parseCli(['--kubeconfig', 'k', '--knative-version', '1.19'])
    expect(cli).toMatchObject({ help: false, options: { knativeVersion: '1.19' } })
    expect(() => parseCli(['--kubeconfig', 'k', '--knative-version', '0.26'])).toThrow(UsageError)
  })
})

describe('what /metrics serves per release: one family, never two', () => {
  let dp: Running
  beforeAll(async () => {
    dp = await startDataPlane([
      revision('slow-00001', { EMULATOR_LATENCY_MS: '30' }, { service: 'slow' }),
      route('slow', [{ revisionName: 'slow-00001', percent: 100 }])
    ])
    await dp.many('slow.default.example.com', 20)
  })
  afterAll(() => dp.close())

  const FAMILIES = [
    'revision_app_request_count',
    'revision_app_request_latencies',
    'revision_request_count',
    'revision_request_latencies',
    'kn_queueproxy_app_duration_seconds',
    'kn_serving_invocation_duration_seconds'
  ]
  const served = (text: string) => FAMILIES.filter((f) => text.includes(`# TYPE ${f} `))
  const line = (text: string, prefix: string) =>
    Number(
      text
        .split('\n')
        .find((l) => l.startsWith(prefix))!
        .split(' ')
        .pop()
    )

  const rows: [string, string[]][] = [
    ['1.18', FAMILIES.slice(0, 4)],
    ['1.19', ['kn_queueproxy_app_duration_seconds']],
    ['1.20.1', ['kn_serving_invocation_duration_seconds']],
    ['1.21', ['kn_serving_invocation_duration_seconds']]
  ]
  test.each(rows)('%s', (version, families) => {
    dp.settings.knativeVersion = version
    expect(served(dp.dataPlane.metrics())).toEqual(families)
  })

  test('1.19 truncates to whole seconds: 30 ms requests are all 0 s, in the first bucket', () => {
    dp.settings.knativeVersion = '1.19'
    const text = dp.dataPlane.metrics()
    expect(line(text, 'kn_queueproxy_app_duration_seconds_count{')).toBe(20)
    expect(line(text, 'kn_queueproxy_app_duration_seconds_sum{')).toBe(0)
    expect(line(text, 'kn_queueproxy_app_duration_seconds_bucket{')).toBe(20) // le="0.005"
  })

  test('1.21 records the sub-second duration', () => {
    dp.settings.knativeVersion = '1.21'
    const text = dp.dataPlane.metrics()
    expect(line(text, 'kn_serving_invocation_duration_seconds_sum{') / 20).toBeGreaterThan(0.02)
    expect(line(text, 'kn_serving_invocation_duration_seconds_bucket{')).toBe(0) // le="0.005"
  })
})
