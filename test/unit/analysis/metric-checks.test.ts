import { judgeMetric, parseMetricChecks, renderQuery } from '../../../src/analysis/metric-checks.js'

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
