import {
  judgeMetric,
  MetricsConfigError,
  parseMetricChecks,
  renderQuery
} from '../../../src/analysis/metric-checks.js'

describe('parseMetricChecks', () => {
  test.each([
    ['empty input means no checks', '', []],
    [
      'a built-in check takes its query from the catalogue',
      '- name: request-success-rate\n  thresholdRange: { min: 99 }',
      [{ name: 'request-success-rate', min: 99, interval: '1m' }]
    ],
    [
      'a custom check keeps its query and interval',
      '- name: checkout-errors\n  query: sum(x{r="{{ revision }}"})\n  interval: 30s\n  thresholdRange: { max: 0.5 }',
      [{ name: 'checkout-errors', query: 'sum(x{r="{{ revision }}"})', interval: '30s', max: 0.5 }]
    ]
  ])('%s', (_name, yaml, expected) => {
    expect(parseMetricChecks(yaml)).toEqual(expected.map((e) => expect.objectContaining(e)))
  })

  test.each([
    ['not a list', 'name: x', 'metrics: must be a YAML list'],
    [
      'a custom check without a query',
      '- name: mine\n  thresholdRange: { min: 1 }',
      'metrics[0] (mine): needs a query'
    ],
    [
      'no threshold',
      '- name: request-duration',
      'metrics[0].thresholdRange: give min, max or both'
    ],
    [
      'min above max',
      '- name: request-duration\n  thresholdRange: { min: 5, max: 1 }',
      'min 5 is above max 1'
    ],
    [
      'a bad interval',
      '- name: request-duration\n  interval: 1 minute\n  thresholdRange: { max: 500 }',
      'metrics[0].interval: "1 minute"'
    ],
    [
      'a threshold that is not a number',
      '- name: request-duration\n  thresholdRange: { max: fast }',
      'thresholdRange.max: "fast" is not a number'
    ],
    ['bad YAML', '- name: [unclosed', 'metrics: not valid YAML']
  ])('refuses %s', (_name, yaml, message) => {
    expect(() => parseMetricChecks(yaml)).toThrow(message)
  })
})

describe('renderQuery', () => {
  test('fills the revision, namespace, service and interval, escaping quotes', () => {
    const [check] = parseMetricChecks(
      '- name: c\n  query: \'x{a="{{ revision }}",b="{{namespace}}",c="{{ service }}"}[{{ interval }}] {{ unknown }}\'\n  thresholdRange: { max: 1 }'
    )
    expect(renderQuery(check, { revision: 'shop-0002', namespace: 'prod', service: 'sh"op' })).toBe(
      'x{a="shop-0002",b="prod",c="sh\\"op"}[1m] {{ unknown }}'
    )
  })
})

describe('judgeMetric', () => {
  const [rate] = parseMetricChecks('- name: request-success-rate\n  thresholdRange: { min: 99 }')
  const [duration] = parseMetricChecks('- name: request-duration\n  thresholdRange: { max: 500 }')
  test.each([
    ['no series is inconclusive, not a failure', rate, undefined, 'inconclusive'],
    ['NaN (0/0 with no traffic) is inconclusive', rate, NaN, 'inconclusive'],
    ['below the minimum fails', rate, 97.5, 'fail'],
    ['at the minimum passes', rate, 99, 'pass'],
    ['above the maximum fails', duration, 501, 'fail'],
    ['under the maximum passes', duration, 120, 'pass']
  ])('%s', (_name, check, value, verdict) => {
    expect(judgeMetric(check, value).verdict).toBe(verdict)
  })
})

describe('parseMetricChecks: every field, exactly', () => {
  const [builtInDuration] = parseMetricChecks(
    '- name: request-duration\n  thresholdRange: { max: 1 }'
  )
  test('no input means no checks', () => {
    expect(parseMetricChecks(undefined)).toEqual([])
  })

  test.each([
    ['whitespace only means no checks', '  \n ', []],
    [
      'a blank query falls back to the built-in one; the interval defaults to 1m',
      "- name: request-duration\n  query: '  '\n  thresholdRange: { max: 500 }",
      [
        {
          name: 'request-duration',
          query: builtInDuration.query,
          interval: '1m',
          min: undefined,
          max: 500
        }
      ]
    ],
    [
      'thresholds written as strings are read as numbers; min equal to max is a range',
      "- name: c\n  query: q\n  interval: 1h30m\n  thresholdRange: { min: '2', max: 2 }",
      [{ name: 'c', query: 'q', interval: '1h30m', min: 2, max: 2 }]
    ],
    [
      'a null bound is no bound',
      '- name: c\n  query: q\n  thresholdRange: { min: null, max: 0 }',
      [{ name: 'c', query: 'q', interval: '1m', min: undefined, max: 0 }]
    ],
    [
      'each entry is parsed, in order',
      '- name: a\n  query: qa\n  thresholdRange: { min: 1 }\n- name: b\n  query: qb\n  thresholdRange: { max: 3 }',
      [
        { name: 'a', query: 'qa', interval: '1m', min: 1, max: undefined },
        { name: 'b', query: 'qb', interval: '1m', min: undefined, max: 3 }
      ]
    ]
  ])('%s', (_name, yaml, expected) => {
    expect(parseMetricChecks(yaml)).toEqual(expected)
  })

  test('the built-in queries are the ones for Knative’s queue-proxy', () => {
    const [rate, duration] = parseMetricChecks(
      '- name: request-success-rate\n  thresholdRange: { min: 99 }\n- name: request-duration\n  thresholdRange: { max: 500 }'
    )
    expect(rate.query).toContain('revision_app_request_count{namespace_name="{{ namespace }}"')
    expect(rate.query).toContain('kn_serving_invocation_duration_seconds_count')
    expect(duration.query).toMatch(/^histogram_quantile\(0\.99, /)
    expect(duration.query).toContain('kn_queueproxy_app_duration_seconds_bucket')
  })

  test.each([
    ['an entry that is not a mapping', '- just-a-name', 'metrics[0]: must be a mapping'],
    [
      'an empty entry',
      '- name: a\n  query: q\n  thresholdRange: { max: 1 }\n-',
      'metrics[1]: must be a mapping'
    ],
    [
      'a name with capitals',
      '- name: Errors\n  query: q\n  thresholdRange: { max: 1 }',
      'metrics[0].name: "Errors" must be a lowercase name like request-success-rate'
    ],
    [
      'a name ending in a dash',
      '- name: errors-\n  query: q\n  thresholdRange: { max: 1 }',
      'metrics[0].name: "errors-" must be a lowercase name'
    ],
    [
      'no name',
      '- query: q\n  thresholdRange: { max: 1 }',
      'metrics[0].name: "" must be a lowercase name'
    ],
    [
      'a custom check without a query names the built-in ones',
      '- name: mine\n  thresholdRange: { min: 1 }',
      'metrics[0] (mine): needs a query; the built-in checks are request-success-rate, request-duration'
    ],
    [
      'an interval with a unit Prometheus lacks',
      '- name: c\n  query: q\n  interval: 5x\n  thresholdRange: { max: 1 }',
      'metrics[0].interval: "5x" is not a Prometheus duration such as 30s or 1m'
    ],
    [
      'an interval with trailing text',
      '- name: c\n  query: q\n  interval: 30s later\n  thresholdRange: { max: 1 }',
      'metrics[0].interval: "30s later" is not a Prometheus duration'
    ],
    [
      'a minimum that is not a number',
      '- name: c\n  query: q\n  thresholdRange: { min: lots }',
      'metrics[0].thresholdRange.min: "lots" is not a number'
    ],
    [
      'an infinite threshold',
      '- name: c\n  query: q\n  thresholdRange: { max: .inf }',
      'metrics[0].thresholdRange.max: "Infinity" is not a number'
    ],
    [
      'the second entry is named by its index',
      '- name: a\n  query: q\n  thresholdRange: { max: 1 }\n- name: b\n  query: q',
      'metrics[1].thresholdRange: give min, max or both'
    ],
    [
      'min above max names both',
      '- name: c\n  query: q\n  thresholdRange: { min: 5, max: 1 }',
      'metrics[0].thresholdRange: min 5 is above max 1'
    ]
  ])('refuses %s', (_name, yaml, message) => {
    expect(() => parseMetricChecks(yaml)).toThrow(MetricsConfigError)
    expect(() => parseMetricChecks(yaml)).toThrow(message)
  })

  test('a YAML error is a MetricsConfigError that keeps its cause', () => {
    let error: unknown
    try {
      parseMetricChecks('- name: [unclosed')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(MetricsConfigError)
    expect((error as Error).message).toMatch(/^metrics: not valid YAML/)
    expect((error as Error).cause).toBeInstanceOf(Error)
  })
})

describe('renderQuery: label values escaped for PromQL', () => {
  test('backslashes are doubled before quotes are escaped', () => {
    const [check] = parseMetricChecks(
      '- name: c\n  query: \'x{r="{{revision}}",n="{{ namespace }}"}[{{ interval }}]\'\n  interval: 5m\n  thresholdRange: { max: 1 }'
    )
    expect(renderQuery(check, { revision: 'a\\"b', namespace: 'n\\', service: 's' })).toBe(
      'x{r="a\\\\\\"b",n="n\\\\"}[5m]'
    )
  })
})

describe('judgeMetric: the verdict and the sentence', () => {
  const check = (min?: number, max?: number) => ({
    name: 'c',
    query: 'q',
    interval: '1m',
    min,
    max
  })
  test.each([
    ['no data', check(1), undefined, { verdict: 'inconclusive', reason: 'c: no data yet' }],
    ['NaN', check(1), NaN, { verdict: 'inconclusive', reason: 'c: no data yet' }],
    [
      'below the minimum, shown to 4 digits',
      check(99),
      98.765432,
      { verdict: 'fail', value: 98.765432, reason: 'c 98.77 is below the minimum 99' }
    ],
    [
      'above the maximum',
      check(undefined, 0.5),
      0.50001,
      { verdict: 'fail', value: 0.50001, reason: 'c 0.5 is above the maximum 0.5' }
    ],
    [
      'at the maximum passes',
      check(undefined, 0.5),
      0.5,
      { verdict: 'pass', value: 0.5, reason: 'c 0.5 within range' }
    ],
    [
      'within both bounds',
      check(1, 3),
      2,
      { verdict: 'pass', value: 2, reason: 'c 2 within range' }
    ],
    [
      'below a range with both bounds',
      check(1, 3),
      0,
      { verdict: 'fail', value: 0, reason: 'c 0 is below the minimum 1' }
    ],
    [
      'above a range with both bounds',
      check(1, 3),
      4,
      { verdict: 'fail', value: 4, reason: 'c 4 is above the maximum 3' }
    ],
    [
      'infinity is data, above any maximum',
      check(undefined, 10),
      Infinity,
      { verdict: 'fail', value: Infinity, reason: 'c Infinity is above the maximum 10' }
    ]
  ])('%s', (_name, c, value, expected) => {
    expect(judgeMetric(c, value)).toEqual({ name: 'c', ...expected })
  })
})
