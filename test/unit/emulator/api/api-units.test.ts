// The API server's pure pieces: patches, selectors, JSONPath, table ages, apply merging.

import { decideFaults, parseFaults } from '../../../../emulator/api/faults.js'
import { evaluate } from '../../../../emulator/api/jsonpath.js'
import { jsonPatch, mergePatch } from '../../../../emulator/api/patch.js'
import { parseFieldSelector, parseLabelSelector } from '../../../../emulator/api/selectors.js'
import { humanDuration, wantsTable } from '../../../../emulator/api/table.js'
import { NO_FAULTS } from '../../../../emulator/settings.js'
import type { KObject } from '../../../../emulator/store.js'

const obj = (
  name: string,
  labels: Record<string, string> = {},
  namespace = 'default'
): KObject => ({
  apiVersion: 'v1',
  kind: 'X',
  metadata: { name, namespace, labels }
})

describe('JSON merge patch (RFC 7386)', () => {
  test.each([
    ['replaces a scalar', { a: 1 }, { a: 2 }, { a: 2 }],
    ['merges nested objects', { a: { b: 1, c: 2 } }, { a: { b: 3 } }, { a: { b: 3, c: 2 } }],
    ['null deletes a key', { a: 1, b: 2 }, { b: null }, { a: 1 }],
    ['replaces arrays whole', { a: [1, 2, 3] }, { a: [4] }, { a: [4] }],
    ['adds missing objects', {}, { a: { b: { c: 1 } } }, { a: { b: { c: 1 } } }],
    ['a non-object patch replaces the target', { a: 1 }, [1], [1]]
  ])('%s', (_name, target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected)
  })
})

describe('JSON patch (RFC 6902)', () => {
  const doc = { a: { b: 1 }, list: ['x', 'y'], 'k/e~y': 1 }
  test.each([
    ['add to an object', [{ op: 'add', path: '/a/c', value: 2 }], { ...doc, a: { b: 1, c: 2 } }],
    [
      'add appends with -',
      [{ op: 'add', path: '/list/-', value: 'z' }],
      { ...doc, list: ['x', 'y', 'z'] }
    ],
    [
      'add inserts at an index',
      [{ op: 'add', path: '/list/0', value: 'w' }],
      { ...doc, list: ['w', 'x', 'y'] }
    ],
    ['remove from an array', [{ op: 'remove', path: '/list/0' }], { ...doc, list: ['y'] }],
    ['replace', [{ op: 'replace', path: '/a/b', value: 5 }], { ...doc, a: { b: 5 } }],
    ['escaped pointer', [{ op: 'replace', path: '/k~1e~0y', value: 2 }], { ...doc, 'k/e~y': 2 }],
    ['move', [{ op: 'move', from: '/a/b', path: '/moved' }], { ...doc, a: {}, moved: 1 }],
    ['copy', [{ op: 'copy', from: '/a', path: '/b' }], { ...doc, b: { b: 1 } }],
    ['a passing test changes nothing', [{ op: 'test', path: '/a', value: { b: 1 } }], doc]
  ])('%s', (_name, patch, expected) => {
    expect(jsonPatch(doc, patch)).toEqual(expected)
  })

  test.each([
    ['a failing test', [{ op: 'test', path: '/a/b', value: 2 }], 422],
    ['replace of a missing path', [{ op: 'replace', path: '/nope', value: 1 }], 422],
    ['remove of a missing key', [{ op: 'remove', path: '/a/zz' }], 422],
    ['an index out of range', [{ op: 'add', path: '/list/5', value: 1 }], 422],
    ['an unknown op', [{ op: 'frob', path: '/a' }], 400],
    ['a body that is not a list', { op: 'add' }, 400]
  ])('%s is rejected with %#', (_name, patch, code) => {
    expect(() => jsonPatch(doc, patch)).toThrow(expect.objectContaining({ code }))
  })

  test('does not modify its input', () => {
    const input = structuredClone(doc)
    jsonPatch(input, [{ op: 'remove', path: '/list/0' }])
    expect(input).toEqual(doc)
  })
})

describe('label selectors', () => {
  const objects = [
    obj('a', { app: 'web', tier: 'front' }),
    obj('b', { app: 'web', tier: 'back' }),
    obj('c', { app: 'db' }),
    obj('d', {})
  ]
  test.each([
    ['equality', 'app=web', ['a', 'b']],
    ['double equals', 'app==db', ['c']],
    ['inequality includes objects without the key', 'app!=web', ['c', 'd']],
    ['in', 'tier in (front, side)', ['a']],
    ['notin includes objects without the key', 'tier notin (front)', ['b', 'c', 'd']],
    ['exists', 'tier', ['a', 'b']],
    ['does not exist', '!tier', ['c', 'd']],
    ['several terms are ANDed', 'app=web,tier!=front', ['b']],
    ['in with commas next to other terms', 'app in (web,db),!tier', ['c']],
    ['empty selects all', '', ['a', 'b', 'c', 'd']]
  ])('%s: %s', (_name, selector, names) => {
    const match = parseLabelSelector(selector)
    expect(objects.filter(match).map((o) => o.metadata.name)).toEqual(names)
  })

  test('a malformed term is a 400', () => {
    expect(() => parseLabelSelector('app in web')).toThrow(expect.objectContaining({ code: 400 }))
  })
})

describe('field selectors', () => {
  const objects = [obj('a', {}, 'default'), obj('b', {}, 'other')]
  test.each([
    ['name', 'metadata.name=a', ['a']],
    ['name with ==', 'metadata.name==b', ['b']],
    ['namespace', 'metadata.namespace=other', ['b']],
    ['name not equal', 'metadata.name!=a', ['b']],
    ['both', 'metadata.name=a,metadata.namespace=other', []]
  ])('%s', (_name, selector, names) => {
    expect(objects.filter(parseFieldSelector(selector)).map((o) => o.metadata.name)).toEqual(names)
  })

  test('an unknown field is a 400 naming the known ones', () => {
    expect(() => parseFieldSelector('spec.foo=1')).toThrow(
      expect.objectContaining({
        code: 400,
        message:
          '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"'
      })
    )
  })
})

describe('printer-column JSONPath', () => {
  const ksvc = {
    metadata: { labels: { 'serving.knative.dev/configuration': 'hello' } },
    status: {
      url: 'http://hello.default.example.com',
      conditions: [
        { type: 'ConfigurationsReady', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'RevisionMissing' }
      ]
    }
  }
  test.each([
    ['a field path', '.status.url', 'http://hello.default.example.com'],
    ['a filter', '.status.conditions[?(@.type=="Ready")].status', 'False'],
    ['a filter then a field', '.status.conditions[?(@.type=="Ready")].reason', 'RevisionMissing'],
    ['an escaped dotted key', ".metadata.labels['serving\\.knative\\.dev/configuration']", 'hello'],
    ['an index', '.status.conditions[0].type', 'ConfigurationsReady'],
    ['a missing field', '.status.latestReadyRevisionName', undefined],
    ['a filter with no match', '.status.conditions[?(@.type=="Active")].status', undefined]
  ])('%s', (_name, path, expected) => {
    expect(evaluate(path, ksvc)).toBe(expected)
  })
})

describe('table output', () => {
  test.each([
    ['seconds', 45_000, '45s'],
    ['under two minutes in seconds', 119_000, '119s'],
    ['minutes and seconds', 125_000, '2m5s'],
    ['whole minutes', 180_000, '3m'],
    ['minutes only after ten', 30 * 60_000, '30m'],
    ['hours and minutes', (3 * 60 + 10) * 60_000, '3h10m'],
    ['hours', 20 * 3600_000, '20h'],
    ['days and hours', (2 * 24 + 5) * 3600_000, '2d5h'],
    ['days', 30 * 24 * 3600_000, '30d'],
    ['slightly in the future', -500, '0s']
  ])('age: %s', (_name, ms, text) => {
    expect(humanDuration(ms)).toBe(text)
  })

  test.each([
    [
      'kubectl get',
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      true
    ],
    ['plain json', 'application/json', false],
    ['no header', undefined, false]
  ])('Accept from %s', (_name, accept, expected) => {
    expect(wantsTable(accept)).toBe(expected)
  })
})

describe('fault decisions', () => {
  const always = () => 0
  const never = () => 0.99
  test.each([
    ['no faults', {}, true, always, { delayMs: 0, conflict: false, error: undefined }],
    [
      'latency',
      { latencyMs: 30 },
      false,
      never,
      { delayMs: 30, conflict: false, error: undefined }
    ],
    [
      'a spike',
      { latencyMs: 30, latencySpikeRate: 0.5, latencySpikeMs: 100 },
      false,
      always,
      { delayMs: 130, conflict: false, error: undefined }
    ],
    [
      'a conflict on a write',
      { conflictRate: 0.5 },
      true,
      always,
      { delayMs: 0, conflict: true, error: undefined }
    ],
    [
      'no conflict on a read',
      { conflictRate: 1 },
      false,
      always,
      { delayMs: 0, conflict: false, error: undefined }
    ]
  ])('%s', (_name, faults, isWrite, random, expected) => {
    expect(decideFaults({ ...NO_FAULTS, ...faults }, isWrite, random)).toEqual(expected)
  })

  test('an error carries the configured status', () => {
    const decision = decideFaults({ ...NO_FAULTS, errorRate: 1, errorStatus: 503 }, false, always)
    expect(decision.error).toMatchObject({ code: 503, reason: 'ServiceUnavailable' })
  })

  test.each([
    ['a rate above 1', { errorRate: 2 }],
    ['a negative latency', { latencyMs: -1 }],
    ['a success status', { errorStatus: 200 }],
    ['an unknown key', { explode: 1 }],
    ['a string', { latencyMs: '10' }]
  ])('PUT body with %s is rejected', (_name, body) => {
    expect(() => parseFaults(body)).toThrow(expect.objectContaining({ code: 400 }))
  })
})
