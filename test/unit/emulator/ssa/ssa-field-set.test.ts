import {
  FieldSet,
  fromFieldsV1,
  pathString,
  toFieldsV1,
  type FieldPath
} from '../../../../emulator/ssa/field-set.js'
import { compareObjects, configFields } from '../../../../emulator/ssa/object-fields.js'

const sorted = (set: FieldSet) => set.paths().map((p) => p.join('/'))

describe('FieldsV1 encoding', () => {
  test.each<[string, FieldPath[], Record<string, unknown>]>([
    ['a leaf', [['f:spec', 'f:traffic']], { 'f:spec': { 'f:traffic': {} } }],
    [
      'a map the owner added, with its children, gets a "." marker',
      [
        ['f:metadata', 'f:labels'],
        ['f:metadata', 'f:labels', 'f:app']
      ],
      { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } }
    ],
    [
      'children in sorted order',
      [
        ['f:spec', 'f:template'],
        ['f:spec', 'f:traffic']
      ],
      { 'f:spec': { 'f:template': {}, 'f:traffic': {} } }
    ],
    [
      'keyed list items from other clients are carried as they are',
      [['f:spec', 'f:containers', 'k:{"name":"app"}', 'f:image']],
      { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { 'f:image': {} } } } }
    ]
  ])('%s', (_name, paths, fields) => {
    expect(toFieldsV1(new FieldSet(paths))).toEqual(fields)
    expect(fromFieldsV1(fields).equals(new FieldSet(paths))).toBe(true)
  })

  test('anything but an object reads as the empty set', () => {
    expect(fromFieldsV1(undefined).size).toBe(0)
    expect(fromFieldsV1('f:spec').size).toBe(0)
  })
})

describe('pathString, as conflict messages print paths', () => {
  test.each<[string, FieldPath, string]>([
    ['fields', ['f:spec', 'f:traffic'], '.spec.traffic'],
    [
      'a keyed item',
      ['f:spec', 'f:containers', 'k:{"name":"app"}', 'f:image'],
      '.spec.containers[name="app"].image'
    ],
    ['a set member', ['f:metadata', 'f:finalizers', 'v:"x"'], '.metadata.finalizers[="x"]'],
    ['an index', ['f:list', 'i:0'], '.list[0]']
  ])('%s', (_name, path, text) => {
    expect(pathString(path)).toBe(text)
  })
})

describe('configFields: what an applied configuration claims', () => {
  test.each<[string, Record<string, unknown>, string[]]>([
    [
      'leaves only; lists are atomic leaves; identity and status are the server’s',
      {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
        spec: { template: { spec: { containers: [{ image: 'a' }] } }, traffic: [{ percent: 100 }] },
        status: { url: 'x' }
      },
      ['f:metadata/f:labels/f:app', 'f:spec/f:template/f:spec/f:containers', 'f:spec/f:traffic']
    ],
    [
      'an empty map and a null are claimed themselves',
      { spec: { a: {}, b: null } },
      ['f:spec/f:a', 'f:spec/f:b']
    ],
    ['metadata with only a name claims nothing', { metadata: { name: 'web' } }, []]
  ])('%s', (_name, config, paths) => {
    expect(sorted(configFields(config))).toEqual(paths)
  })
})

describe('compareObjects: what an Update changed', () => {
  test.each<[string, unknown, unknown, { added: string[]; modified: string[]; removed: string[] }]>(
    [
      [
        'create: every node is added, maps included, metadata itself is nobody’s',
        {},
        { metadata: { name: 'x', labels: { a: '1' } }, spec: { traffic: [{ percent: 100 }] } },
        {
          added: ['f:metadata/f:labels', 'f:metadata/f:labels/f:a', 'f:spec', 'f:spec/f:traffic'],
          modified: [],
          removed: []
        }
      ],
      [
        'a changed list is one modified leaf',
        { spec: { traffic: [{ percent: 100 }] } },
        { spec: { traffic: [{ percent: 90 }, { percent: 10 }] } },
        { added: [], modified: ['f:spec/f:traffic'], removed: [] }
      ],
      [
        'a removed label',
        { metadata: { labels: { a: '1', b: '2' } } },
        { metadata: { labels: { a: '1' } } },
        { added: [], modified: [], removed: ['f:metadata/f:labels/f:b'] }
      ],
      [
        'status and resourceVersion are not compared',
        { metadata: { resourceVersion: '1' }, status: { a: 1 } },
        { metadata: { resourceVersion: '2' }, status: { a: 2 } },
        { added: [], modified: [], removed: [] }
      ]
    ]
  )('%s', (_name, before, after, expected) => {
    const c = compareObjects(before, after)
    expect({
      added: sorted(c.added),
      modified: sorted(c.modified),
      removed: sorted(c.removed)
    }).toEqual(expected)
  })
})
