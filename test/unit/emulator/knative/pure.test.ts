// The pure pieces under the controller: names, durations, condition sets, status.traffic.

import { ConditionSet } from '../../../../emulator/knative/conditions.js'
import { childName, parseGoDuration, revisionNameFor } from '../../../../emulator/knative/names.js'
import { present } from '../../../../emulator/knative/index.js'
import { buildTraffic } from '../../../../emulator/knative/route-traffic.js'
import type { KObject } from '../../../../emulator/store.js'
import { type } from '../../../helpers/knative-cluster.js'

describe('names', () => {
  test.each<[string, () => string, string | RegExp]>([
    ['generated revision name', () => revisionNameFor('hello', 2), 'hello-00002'],
    [
      'a long parent is cut and hashed (kmeta.ChildName)',
      () => revisionNameFor('a'.repeat(60), 1),
      /^a{25}[0-9a-f]{32}-00001$/
    ],
    ['short enough stays as is', () => childName('x', '-deployment'), 'x-deployment']
  ])('%s', (_name, actual, expected) => {
    if (typeof expected === 'string') expect(actual()).toBe(expected)
    else expect(actual()).toMatch(expected)
  })

  test.each<[string, number | undefined]>([
    ['380s', 380e9],
    ['1m30s', 90e9],
    ['1.5s', 1.5e9],
    ['-5s', -5e9],
    ['0', 0],
    ['soon', undefined],
    ['5', undefined]
  ])('Go duration %s', (text, ns) => {
    expect(parseGoDuration(text)).toBe(ns)
  })
})

describe('condition sets', () => {
  const deps = ['ConfigurationsReady', 'RoutesReady']
  test.each<[string, (cs: ConditionSet) => void, [string, string, string?][]]>([
    [
      'all dependents True makes Ready True',
      (cs) => (cs.markTrue('ConfigurationsReady'), cs.markTrue('RoutesReady')),
      [
        ['ConfigurationsReady', 'True'],
        ['Ready', 'True'],
        ['RoutesReady', 'True']
      ]
    ],
    [
      'False beats a later Unknown',
      (cs) => (
        cs.markFalse('ConfigurationsReady', 'RevisionFailed', 'x'),
        cs.markUnknown('RoutesReady', 'OutOfDate', 'y')
      ),
      [
        ['ConfigurationsReady', 'False', 'RevisionFailed'],
        ['Ready', 'False', 'RevisionFailed'],
        ['RoutesReady', 'Unknown', 'OutOfDate']
      ]
    ],
    [
      'MarkTrue with an unhappy dependent copies it',
      (cs) => (cs.markUnknown('RoutesReady', 'OutOfDate', 'y'), cs.markTrue('ConfigurationsReady')),
      [
        ['ConfigurationsReady', 'True'],
        ['Ready', 'Unknown', 'OutOfDate'],
        ['RoutesReady', 'Unknown', 'OutOfDate']
      ]
    ]
  ])('%s', (_name, marks, expected) => {
    const cs = new ConditionSet([], deps, 't1').initialize()
    marks(cs)
    expect(
      cs.result().map((c) => [c.type, c.status, c.reason].filter((x) => x !== undefined))
    ).toEqual(expected)
  })

  test('lastTransitionTime moves only when a condition changes', () => {
    const first = new ConditionSet([], deps, 't1').initialize()
    first.markTrue('ConfigurationsReady')
    const second = new ConditionSet(first.result(), deps, 't2').initialize()
    second.markTrue('ConfigurationsReady')
    second.markTrue('RoutesReady')
    expect(second.result().map((c) => [c.type, c.lastTransitionTime])).toEqual([
      ['ConfigurationsReady', 't1'],
      ['Ready', 't2'],
      ['RoutesReady', 't2']
    ])
  })
})

describe('status.traffic construction', () => {
  const ready = (name: string, service?: string): KObject => ({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Revision',
    metadata: {
      name,
      generation: 1,
      labels: service ? { 'serving.knative.dev/service': service } : {}
    },
    status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True' }] }
  })
  const config = {
    apiVersion: 'v1',
    kind: 'Configuration',
    metadata: { name: 'gray' },
    status: { latestReadyRevisionName: 'gray-00001' }
  }
  const lookup = {
    configuration: (n: string) => (n === 'gray' ? config : undefined),
    revision: (n: string) => (['gray-00001', 'foo-00001'].includes(n) ? ready(n) : undefined)
  }
  const hosts = {
    tagUrl: (t: string) => `http://${t}-r.default.example.com`,
    tagLabel: (t: string) => `${t}-r`,
    tagHost: (t: string) => `${t}-r.default.example.com`
  }
  const route = (traffic: unknown[], labels = {}): KObject => ({
    apiVersion: 'v1',
    kind: 'Route',
    metadata: { name: 'r', labels },
    spec: { traffic }
  })

  test.each<[string, unknown[], unknown]>([
    [
      'same untagged revision entries merge',
      [
        { revisionName: 'foo-00001', percent: 50, latestRevision: false },
        { revisionName: 'foo-00001', percent: 50, latestRevision: false }
      ],
      { traffic: [{ revisionName: 'foo-00001', latestRevision: false, percent: 100 }] }
    ],
    [
      'same-revision-targets: different tags stay apart',
      [
        { tag: 'gray', configurationName: 'gray', percent: 50, latestRevision: true },
        { tag: 'also-gray', revisionName: 'gray-00001', percent: 50, latestRevision: false }
      ],
      {
        traffic: [
          {
            tag: 'gray',
            revisionName: 'gray-00001',
            latestRevision: true,
            percent: 50,
            url: 'http://gray-r.default.example.com'
          },
          {
            tag: 'also-gray',
            revisionName: 'gray-00001',
            latestRevision: false,
            percent: 50,
            url: 'http://also-gray-r.default.example.com'
          }
        ]
      }
    ],
    [
      'a missing configuration',
      [{ configurationName: 'nope', percent: 100 }],
      {
        error: {
          failure: true,
          reason: 'ConfigurationMissing',
          message: 'Configuration "nope" referenced in traffic not found.'
        }
      }
    ],
    [
      'a failure outranks an earlier not-ready',
      [
        { revisionName: 'foo-00001', percent: 50 },
        { revisionName: 'gone', percent: 50 }
      ],
      {
        error: {
          failure: true,
          reason: 'RevisionMissing',
          message: 'Revision "gone" referenced in traffic not found.'
        }
      }
    ],
    [
      'a tag host label over 63 characters',
      [{ tag: 'x'.repeat(62), revisionName: 'foo-00001', percent: 100 }],
      {
        error: {
          failure: true,
          reason: 'ErrorConfig',
          message: `domain name error: invalid domain name "${'x'.repeat(62)}-r.default.example.com": url: Invalid value: "${'x'.repeat(62)}-r": must be no more than 63 characters`
        }
      }
    ]
  ])('%s', (_name, traffic, expected) => {
    expect(buildTraffic(route(traffic), lookup as any, hosts)).toEqual(expected)
  })

  test('a Service-owned route may not take another service revision', () => {
    expect(
      buildTraffic(
        route([{ revisionName: 'foo-00001', percent: 100 }], {
          'serving.knative.dev/service': 's'
        }),
        lookup as any,
        hosts
      )
    ).toEqual({
      error: {
        failure: true,
        reason: 'RevisionNotOwned',
        message: 'Revision "foo-00001" does not belong to Service "s".'
      }
    })
  })
})

// pkg/reconciler/route/traffic/traffic.go (knative-v1.21.0): deferTargetError keeps the
// first target error unless a later one is a failure, which always overwrites it; and
// addRevisionTarget asks whose a pinned Revision is before whether it is ready (1.21 only).
describe('which target error the Route reports (traffic.go deferTargetError)', () => {
  const revision = (name: string, ready: string, service = 's'): KObject => ({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Revision',
    metadata: { name, generation: 1, labels: { 'serving.knative.dev/service': service } },
    status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: ready }] }
  })
  const revisions = [
    revision('s-slow-1', 'Unknown'),
    revision('s-slow-2', 'Unknown'),
    revision('s-broken-1', 'False'),
    revision('s-broken-2', 'False'),
    revision('other-slow', 'Unknown', 'other')
  ]
  const lookup = {
    configuration: () => undefined,
    revision: (n: string) => revisions.find((r) => r.metadata.name === n)
  }
  const hosts = { tagUrl: String, tagLabel: String, tagHost: String }
  const route = (names: string[]): KObject => ({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Route',
    metadata: { name: 's', labels: { 'serving.knative.dev/service': 's' } },
    spec: { traffic: names.map((revisionName) => ({ revisionName, percent: 0 })) }
  })
  const notReady = (name: string) => ({
    failure: false,
    reason: 'RevisionMissing',
    message: `Revision "${name}" is not yet ready.`
  })
  const failed = (name: string) => ({
    failure: true,
    reason: 'RevisionMissing',
    message: `Revision "${name}" failed to become ready.`
  })
  test.each<[string, string[], boolean, unknown]>([
    ['two not ready: the first', ['s-slow-1', 's-slow-2'], true, notReady('s-slow-1')],
    ['a failure after a not-ready wins', ['s-slow-1', 's-broken-1'], true, failed('s-broken-1')],
    [
      'a not-ready after a failure does not',
      ['s-broken-1', 's-slow-1'],
      true,
      failed('s-broken-1')
    ],
    ['two failures: the last overwrites', ['s-broken-1', 's-broken-2'], true, failed('s-broken-2')],
    [
      "1.21: another Service's Revision, not ready, is not owned (checked first)",
      ['s-slow-1', 'other-slow'],
      true,
      {
        failure: true,
        reason: 'RevisionNotOwned',
        message: 'Revision "other-slow" belongs to Service "other", not Service "s".'
      }
    ],
    [
      "before 1.21: another Service's Revision is only not ready",
      ['other-slow', 's-slow-1'],
      false,
      notReady('other-slow')
    ]
  ])('%s', (_name, names, ownedOnly, error) => {
    expect(buildTraffic(route(names), lookup, hosts, { ownedOnly })).toEqual({ error })
  })
})

describe('present', () => {
  const stored: KObject = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 's' },
    spec: { traffic: [] }
  }
  test.each<[string, string, string]>([
    ['v1 as stored', 'v1', 'serving.knative.dev/v1'],
    [
      'v1alpha1 keeps the inline shape under its apiVersion',
      'v1alpha1',
      'serving.knative.dev/v1alpha1'
    ]
  ])('%s', (_name, version, apiVersion) => {
    expect(present(type('services'), version, stored)).toEqual({ ...stored, apiVersion })
  })
})
