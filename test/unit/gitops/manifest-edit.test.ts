import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import {
  addContainerFields,
  addTemplateSpecFields,
  editManifest,
  ManifestEditError,
  setImage,
  setRelease,
  setRevisionName,
  setSplit,
  templateInMode,
  unifiedDiff,
  type Plain
} from '../../../src/gitops/manifest-edit.js'

const fixture = (name: string): string => readFileSync(join('test/fixtures/gitops', name), 'utf8')
const v1 = fixture('v1-service.yaml')
const alpha = fixture('v1alpha1-release.yaml')
const digest = `registry.example.com/shop/web@sha256:${'a'.repeat(64)}`
const split = { current: 'web-00001', candidate: 'web-00002', percent: 10 }
const withSplit = (source: string, release: typeof split) =>
  setSplit(source, release, { addTraffic: true })

/** Replaces one exact, unique span of the original: the expected output is everything else verbatim. */
function replaceOnce(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2)
  return text.replace(from, to)
}

const newTraffic = (eol: string): string =>
  [
    '    - tag: current',
    '      revisionName: web-00001',
    '      percent: 90',
    '    - tag: candidate',
    '      revisionName: web-00002',
    '      percent: 10',
    '    - tag: latest',
    '      latestRevision: true',
    '      percent: 0'
  ].join(eol)
const oldTraffic = (eol: string): string =>
  ['    - revisionName: web-00001', '      percent: 100', '      tag: current'].join(eol)

describe('v1 manifest with comments, an anchor, flow style and several documents', () => {
  test('the image by digest keeps its single quotes and every other byte', () => {
    expect(setImage(v1, digest)).toBe(
      replaceOnce(v1, "'registry.example.com/shop/web:1.0.0'", `'${digest}'`)
    )
  })

  test('the revision name keeps its trailing comment and padding', () => {
    expect(setRevisionName(v1, 'web-00002')).toBe(
      replaceOnce(v1, 'name: web-00001   #', 'name: web-00002   #')
    )
  })

  test('spec.traffic is replaced in block style, the comment above its items kept', () => {
    expect(withSplit(v1, split)).toBe(replaceOnce(v1, oldTraffic('\n'), newTraffic('\n')))
  })

  test('CRLF line endings stay CRLF, in the new lines too', () => {
    const crlf = v1.replace(/\n/g, '\r\n')
    const out = withSplit(setImage(crlf, digest), split)
    expect(out).toBe(
      replaceOnce(
        replaceOnce(crlf, "'registry.example.com/shop/web:1.0.0'", `'${digest}'`),
        oldTraffic('\r\n'),
        newTraffic('\r\n')
      )
    )
    expect(out.replace(/\r\n/g, '')).not.toContain('\n')
  })

  test('an absent spec.traffic is added after the last key of spec', () => {
    const without = v1.replace(/ {2}traffic:\n[\s\S]*?tag: current\n/, '')
    expect(withSplit(without, split)).toBe(
      replaceOnce(
        without,
        '- containerPort: 8080\n',
        `- containerPort: 8080\n  traffic:\n${newTraffic('\n')}\n`
      )
    )
  })

  test('an absent template metadata is added with the revision name in it', () => {
    const without = v1.replace(/ {4}metadata:\n[\s\S]*?min-scale: "1"\n\n/, '')
    expect(without).not.toContain('min-scale')
    expect(setRevisionName(without, 'web-00002')).toBe(
      replaceOnce(
        without,
        '            - containerPort: 8080\n',
        '            - containerPort: 8080\n    metadata:\n      name: web-00002\n'
      )
    )
  })

  test('an absent revision name is added to the template metadata', () => {
    const without = v1.replace('      name: web-00001   # revision names are pinned\n', '')
    expect(setRevisionName(without, 'web-00002')).toBe(
      replaceOnce(without, 'min-scale: "1"\n', 'min-scale: "1"\n      name: web-00002\n')
    )
  })

  test('a value that would read as another type is quoted', () => {
    const out = editManifest(v1, [{ path: ['metadata', 'labels', 'tier'], value: 'true' }])
    expect(out).toBe(replaceOnce(v1, "tier: 'front'", "tier: 'true'"))
    const plain = editManifest(v1, [{ path: ['metadata', 'namespace'], value: '0123' }])
    expect(plain).toBe(replaceOnce(v1, 'namespace: prod', 'namespace: "0123"'))
  })

  test('a key added to a flow mapping stays in flow style', () => {
    const out = editManifest(v1, [{ path: ['metadata', 'labels', 'track'], value: 'canary' }])
    expect(out).toBe(replaceOnce(v1, "tier: 'front'}", "tier: 'front', track: canary}"))
  })
})

describe('v1alpha1 release block', () => {
  test('revisions and rolloutPercent are set in place, flow list quoting and comment kept', () => {
    expect(setRelease(alpha, { revisions: ['web-00001', 'web-00002'], rolloutPercent: 10 })).toBe(
      replaceOnce(
        replaceOnce(alpha, 'revisions: ["web-00001"]', 'revisions: ["web-00001", "web-00002"]'),
        'rolloutPercent: 0 #',
        'rolloutPercent: 10 #'
      )
    )
  })

  test('the image under revisionTemplate.spec.container keeps its double quotes', () => {
    expect(setImage(alpha, digest)).toBe(
      replaceOnce(alpha, '"registry.example.com/shop/web:1.0.0"', `"${digest}"`)
    )
  })

  test('a block list of revisions stays a block list', () => {
    const block = alpha.replace('revisions: ["web-00001"]', 'revisions:\n      - web-00001')
    expect(setRelease(block, { revisions: ['web-00001', 'web-00002'], rolloutPercent: 10 })).toBe(
      replaceOnce(
        replaceOnce(block, '      - web-00001', '      - web-00001\n      - web-00002'),
        'rolloutPercent: 0 #',
        'rolloutPercent: 10 #'
      )
    )
  })
})

describe('refusals', () => {
  test.each<[string, string, () => string, string]>([
    [
      'a field reached through an alias',
      'alias',
      () =>
        setImage(
          v1
            .replace(/ {6}containers:\n[\s\S]*?containerPort: 8080\n/, '      containers: *ctrs\n')
            .replace('kind: Service\n', 'kind: Service\nx-containers: &ctrs\n  - image: x\n'),
          digest
        ),
      'reached through an alias (*ctrs)'
    ],
    [
      'a field that may come from a merge key',
      'merge',
      () =>
        setRevisionName(
          v1.replace(
            '    metadata:\n      name: web-00001   # revision names are pinned\n',
            '    metadata:\n      <<: *shared\n'
          ),
          'x'
        ),
      'merge key'
    ],
    [
      'two Services in one file',
      'ambiguous',
      () => setImage(`${v1}---\n${alpha}`, digest),
      'which one to edit is ambiguous'
    ],
    [
      'no Service',
      'none',
      () => setImage('kind: ConfigMap\n', digest),
      'no Knative Service document'
    ],
    [
      'no release block',
      'release',
      () => setRelease(v1, { revisions: ['a'], rolloutPercent: 0 }),
      'no spec.release block'
    ]
  ])('%s', (_name, _id, run, message) => {
    expect(run).toThrow(message)
  })
})

describe('unifiedDiff', () => {
  test('shows the changed lines with three lines of context', () => {
    const after = setRevisionName(v1, 'web-00002')
    expect(unifiedDiff(v1, after, 'deploy/service.yaml')).toBe(
      [
        '--- a/deploy/service.yaml',
        '+++ b/deploy/service.yaml',
        '@@ -16,7 +16,7 @@',
        ' spec:',
        '   template:',
        '     metadata:',
        '-      name: web-00001   # revision names are pinned',
        '+      name: web-00002   # revision names are pinned',
        '       annotations:',
        '         autoscaling.knative.dev/min-scale: "1"',
        ' ',
        ''
      ].join('\n')
    )
  })

  test('no change, no diff', () => {
    expect(unifiedDiff(v1, v1, 'x.yaml')).toBe('')
  })
})

describe('setSplit: the split in the form the manifest declares it', () => {
  const pinned = [
    'apiVersion: serving.knative.dev/v1alpha1',
    'kind: Service',
    'metadata:',
    '  name: web',
    'spec:',
    '  pinned:',
    '    revisionName: web-00001',
    '    configuration:',
    '      revisionTemplate:',
    '        spec:',
    '          container:',
    '            image: registry.example.com/shop/web:1.0.0',
    ''
  ].join('\n')

  test('a pinned block takes one revision', () => {
    expect(setSplit(pinned, { current: 'web-00002', percent: 0 }, { addTraffic: true })).toBe(
      pinned.replace('revisionName: web-00001', 'revisionName: web-00002')
    )
  })

  test('a pinned block refuses a candidate, naming why', () => {
    expect(() => setSplit(pinned, split, { addTraffic: true })).toThrow(
      'a v1alpha1 pinned Service serves one revision: it cannot hold a candidate (use a release block)'
    )
  })

  test('a v1 manifest without traffic is left alone unless traffic is to be added', () => {
    const without = v1.replace(/ {2}traffic:\n[\s\S]*?tag: current\n/, '')
    expect(setSplit(without, split, { addTraffic: false })).toBe(without)
  })

  test('traffic that already says the split is left as written', () => {
    const once = withSplit(v1, split)
    expect(withSplit(once, split)).toBe(once)
  })
})

describe('unifiedDiff: the hunks GNU `diff -u` writes for the same change', () => {
  const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`)
  const before = lines.join('\n') + '\n'
  /** `lines` with line n (from 1) replaced (null: removed), and lines inserted before n. */
  const edited = (changed: Record<number, string | null>, inserted: Record<number, string>) =>
    lines
      .flatMap((line, i) => [
        ...(inserted[i + 1] === undefined ? [] : [inserted[i + 1]]),
        ...(changed[i + 1] === null ? [] : [changed[i + 1] ?? line])
      ])
      .join('\n') + '\n'
  test.each<{
    name: string
    changed: Record<number, string | null>
    inserted: Record<number, string>
    hunks: string[]
  }>([
    {
      name: 'two changes far apart: two hunks',
      changed: { 3: 'LINE 3', 30: 'LINE 30' },
      inserted: {},
      hunks: [
        '@@ -1,6 +1,6 @@',
        ' line 1',
        ' line 2',
        '-line 3',
        '+LINE 3',
        ' line 4',
        ' line 5',
        ' line 6',
        '@@ -27,7 +27,7 @@',
        ' line 27',
        ' line 28',
        ' line 29',
        '-line 30',
        '+LINE 30',
        ' line 31',
        ' line 32',
        ' line 33',
        ''
      ]
    },
    {
      name: 'six unchanged lines between: one hunk',
      changed: { 10: 'X', 17: 'Y' },
      inserted: {},
      hunks: [
        '@@ -7,14 +7,14 @@',
        ' line 7',
        ' line 8',
        ' line 9',
        '-line 10',
        '+X',
        ' line 11',
        ' line 12',
        ' line 13',
        ' line 14',
        ' line 15',
        ' line 16',
        '-line 17',
        '+Y',
        ' line 18',
        ' line 19',
        ' line 20',
        ''
      ]
    },
    {
      name: 'seven unchanged lines between: two hunks',
      changed: { 10: 'X', 18: 'Y' },
      inserted: {},
      hunks: [
        '@@ -7,7 +7,7 @@',
        ' line 7',
        ' line 8',
        ' line 9',
        '-line 10',
        '+X',
        ' line 11',
        ' line 12',
        ' line 13',
        '@@ -15,7 +15,7 @@',
        ' line 15',
        ' line 16',
        ' line 17',
        '-line 18',
        '+Y',
        ' line 19',
        ' line 20',
        ' line 21',
        ''
      ]
    },
    {
      name: 'a line removed, two added: the counts differ',
      changed: { 12: null },
      inserted: { 20: 'new a', 21: 'new b' },
      hunks: [
        '@@ -9,7 +9,6 @@',
        ' line 9',
        ' line 10',
        ' line 11',
        '-line 12',
        ' line 13',
        ' line 14',
        ' line 15',
        '@@ -17,7 +16,9 @@',
        ' line 17',
        ' line 18',
        ' line 19',
        '+new a',
        ' line 20',
        '+new b',
        ' line 21',
        ' line 22',
        ' line 23',
        ''
      ]
    },
    {
      name: 'the first line: no context above',
      changed: { 1: 'FIRST' },
      inserted: {},
      hunks: ['@@ -1,4 +1,4 @@', '-line 1', '+FIRST', ' line 2', ' line 3', ' line 4', '']
    }
  ])('$name', ({ changed, inserted, hunks }) => {
    const after = edited(changed, inserted)
    expect(unifiedDiff(before, after, 'f.yaml')).toBe(
      ['--- a/f.yaml', '+++ b/f.yaml', ...hunks].join('\n')
    )
  })

  test('CRLF files: the carriage returns are not shown', () => {
    const crlf = before.replace(/\n/g, '\r\n')
    const diff = unifiedDiff(crlf, crlf.replace('line 20\r', 'LINE 20\r'), 'f.yaml')
    expect(diff).toContain('\n-line 20\n+LINE 20\n')
    expect(diff).not.toContain('\r')
  })
})

describe('edits that cannot be made name the path', () => {
  test.each<[string, () => string, string]>([
    [
      'a list entry past the end',
      () => editManifest(v1, [{ path: ['spec', 'traffic', 5, 'percent'], value: 1 }]),
      'spec.traffic[5] does not exist'
    ],
    [
      'the entry just past the end',
      () => editManifest(v1, [{ path: ['spec', 'traffic', 1, 'percent'], value: 1 }]),
      'spec.traffic[1] does not exist'
    ],
    [
      'a key under a scalar',
      () =>
        editManifest(v1, [
          { path: ['spec', 'template', 'spec', 'containers', 0, 'image', 'x'], value: 1 }
        ]),
      'spec.template.spec.containers[0].image is not a mapping'
    ],
    [
      'an index into a mapping value that is no list',
      () => editManifest(v1, [{ path: ['metadata', 'name', 0], value: 1 }]),
      'metadata.name is not a list'
    ],
    [
      'a list that is not there cannot be created',
      () => editManifest(v1, [{ path: ['spec', 'newlist', 0], value: 1 }]),
      'cannot create a list entry'
    ],
    [
      'a Service without a revision template',
      () =>
        setImage(
          'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: web\nspec: {}\n',
          digest
        ),
      'the Service has no revision template (spec.template)'
    ],
    [
      'a Service of another API group is not a Knative one',
      () =>
        setImage(
          'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers: [{image: a}]\n',
          digest
        ),
      'no Knative Service document'
    ],
    [
      'a document that is no mapping',
      () => setImage('- a\n', digest),
      'no Knative Service document'
    ]
  ])('%s', (_name, run, message) => {
    expect(run).toThrow(ManifestEditError)
    expect(run).toThrow(message)
    expect(run).toThrow(expect.objectContaining({ name: 'ManifestEditError' }))
  })
})

describe('added fields render as YAML of the style they land in', () => {
  const fields = {
    resources: {},
    args: [],
    probe: { port: 8080, path: '/' },
    list: ['a', 1],
    on: true,
    none: null
  }
  test('in a flow mapping: flow values, empty ones as {} and [], a key YAML 1.1 reads as a boolean quoted', () => {
    const flow =
      'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{image: x}]\n'
    expect(addContainerFields(flow, fields)).toBe(
      flow.replace(
        '[{image: x}]',
        '[{image: x, resources: {}, args: [], probe: {port: 8080, path: /}, list: [a, 1], "on": true, none: null}]'
      )
    )
  })

  test('in a block mapping: nested blocks, indented under their key', () => {
    const out = addContainerFields(v1, {
      resources: {},
      args: [],
      probe: { port: 8080, tcp: { a: 1 } },
      list: ['a', { b: [1] }],
      empty: null
    })
    expect(out).toBe(
      replaceOnce(
        v1,
        '            - containerPort: 8080\n',
        [
          '            - containerPort: 8080',
          '          resources: {}',
          '          args: []',
          '          probe:',
          '            port: 8080',
          '            tcp:',
          '              a: 1',
          '          list:',
          '            - a',
          '            - b:',
          '                - 1',
          '          empty: null',
          ''
        ].join('\n')
      )
    )
  })

  test('a field the container already has is left as it is', () => {
    expect(addContainerFields(v1, { image: 'other' })).toBe(v1)
  })
})

describe('the v1alpha1 modes: the template under runLatest', () => {
  const runLatest = [
    'apiVersion: serving.knative.dev/v1alpha1',
    'kind: Service',
    'metadata:',
    '  name: web',
    'spec:',
    '  runLatest:',
    '    configuration:',
    '      revisionTemplate:',
    '        spec:',
    '          container:',
    '            image: a',
    ''
  ].join('\n')
  test('the image is set in its single container', () => {
    expect(setImage(runLatest, digest)).toBe(runLatest.replace('image: a', `image: ${digest}`))
  })
})

describe('setSplit: traffic that already says the split', () => {
  test('a percent left out reads as 0', () => {
    const once = withSplit(v1, split)
    const implicit = replaceOnce(
      once,
      '      latestRevision: true\n      percent: 0\n',
      '      latestRevision: true\n'
    )
    expect(withSplit(implicit, split)).toBe(implicit)
  })

  test.each<[string, (text: string) => string]>([
    ['one entry fewer', (text) => text.replace(/ {4}- tag: latest\n.*\n.*percent: 0\n/, '')],
    ['another share', (text) => text.replace('percent: 90', 'percent: 80')],
    [
      'the candidate on another revision',
      (text) => text.replace('revisionName: web-00002', 'revisionName: web-00003')
    ]
  ])('%s: rewritten', (_name, change) => {
    const once = withSplit(v1, split)
    const other = change(once)
    expect(other).not.toBe(once)
    expect(withSplit(other, split)).toBe(once)
  })
})

describe('which document is the Knative Service', () => {
  const route = 'apiVersion: serving.knative.dev/v1\nkind: Route\nmetadata:\n  name: web\n'
  test('a Knative Route beside it is not a second Service', () => {
    const text = `${route}---\n${v1}`
    expect(setRevisionName(text, 'web-00002')).toBe(
      replaceOnce(text, 'name: web-00001   #', 'name: web-00002   #')
    )
  })

  test.each<[string, string, string]>([
    [
      'a kind Service without an apiVersion is not a Knative Service',
      'kind: Service\nspec:\n  template:\n    spec:\n      containers: [{image: a}]\n',
      'the manifest has no Knative Service document'
    ],
    ['an empty file', '', 'the manifest has no Knative Service document'],
    [
      'a Service that does not parse names the parser’s reason',
      'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n',
      'the manifest does not parse: Map keys must be unique'
    ],
    [
      'two Services: how many, and what to do',
      `${v1}---\n${alpha}`,
      'the manifest has 2 Knative Service documents: which one to edit is ambiguous (keep one Service per file)'
    ]
  ])('%s', (_name, text, message) => {
    expect(() => setImage(text, digest)).toThrow(ManifestEditError)
    expect(() => setImage(text, digest)).toThrow(message)
  })
})

describe('values that are no plain scalar', () => {
  const service = [
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    '  name: w',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - image: x',
    '          args: a',
    ''
  ].join('\n')
  const ARGS = ['spec', 'template', 'spec', 'containers', 0, 'args']
  const set = (text: string, value: Plain) => editManifest(text, [{ path: ARGS, value }])
  const args = (text: string) =>
    (parse(text) as { spec: { template: { spec: { containers: { args: unknown }[] } } } }).spec
      .template.spec.containers[0].args

  test.each<[string, string, Plain, string]>([
    ['the empty string is quoted', service, '', 'args: ""'],
    [
      'a quote inside single quotes is doubled',
      service.replace('args: a', "args: 'a'"),
      "it's",
      "args: 'it''s'"
    ],
    ['a quote in a plain scalar is double-quoted', service, "it's", 'args: "it\'s"'],
    [
      // A block list cannot start on its key's line (`args: - a` does not parse).
      'a scalar replaced by a list: flow style on the same line',
      service,
      ['--a', '--b'],
      'args: ["--a", "--b"]'
    ],
    [
      'a scalar replaced by a mapping: flow style',
      service,
      { a: 1, b: [1, 2] },
      'args: {a: 1, b: [1, 2]}'
    ],
    [
      'a block list replaced by a scalar',
      service.replace('args: a', 'args:\n            - a\n            - b'),
      'x',
      'args:\n            x'
    ],
    [
      'a block list replaced by an empty one: flow style',
      service.replace('args: a', 'args:\n            - a\n            - b'),
      [],
      'args:\n            []'
    ],
    [
      'a block list replaced by nested values: block style, each at its depth',
      service.replace('args: a', 'args:\n            - a\n            - b'),
      [{ a: 1, b: [1, 2] }, [3, 4], [], {}, 'x'],
      [
        'args:',
        '            - a: 1',
        '              b:',
        '                - 1',
        '                - 2',
        '            - - 3',
        '              - 4',
        '            - []',
        '            - {}',
        '            - x'
      ].join('\n')
    ]
  ])('%s', (_name, text, value, line) => {
    const out = set(text, value)
    expect(out).toBe(text.replace(/args:[\s\S]*$/, `${line}\n`))
    expect(args(out)).toEqual(value)
  })
})

describe('aliases are edited where their anchor is', () => {
  test.each<[string, string, string]>([
    [
      'the value itself is an alias',
      v1
        .replace("- image: 'registry.example.com/shop/web:1.0.0'", '- image: *img')
        .replace(
          'kind: Service\n',
          'kind: Service\nx-image: &img registry.example.com/shop/web:1.0.0\n'
        ),
      'spec.template.spec.containers[0].image is reached through an alias (*img): edit it where its anchor is'
    ],
    [
      'a list entry is an alias',
      v1
        .replace(/ {8}- image: 'registry[\s\S]*?containerPort: 8080\n/, '        - *ctr\n')
        .replace('kind: Service\n', 'kind: Service\nx-ctr: &ctr {image: a}\n'),
      'spec.template.spec.containers[0] is reached through an alias (*ctr): edit it where its anchor is'
    ]
  ])('%s', (_name, text, message) => {
    expect(() => setImage(text, digest)).toThrow(expect.objectContaining({ message }))
  })
})

describe('setSplit on a v1alpha1 release block', () => {
  const two = alpha.replace('revisions: ["web-00001"]', 'revisions: ["web-00001", "web-00002"]')
  test('a candidate: both revisions and its share', () => {
    expect(withSplit(alpha, split)).toBe(
      replaceOnce(
        replaceOnce(alpha, 'revisions: ["web-00001"]', 'revisions: ["web-00001", "web-00002"]'),
        'rolloutPercent: 0 #',
        'rolloutPercent: 10 #'
      )
    )
  })

  test('promoted: the one revision, at rolloutPercent 0', () => {
    const at10 = two.replace('rolloutPercent: 0 #', 'rolloutPercent: 10 #')
    expect(setSplit(at10, { current: 'web-00002', percent: 0 }, { addTraffic: false })).toBe(
      replaceOnce(alpha, 'revisions: ["web-00001"]', 'revisions: ["web-00002"]')
    )
  })
})

describe('the revision template in each form', () => {
  const mode = (name: string, template: string) =>
    [
      'apiVersion: serving.knative.dev/v1alpha1',
      'kind: Service',
      'metadata:',
      '  name: web',
      'spec:',
      `  ${name}:`,
      '    configuration:',
      `      ${template}:`,
      '        spec:',
      '          container:',
      '            image: a',
      ''
    ].join('\n')
  const image = 'registry.example.com/shop/web:1.0.0'
  test.each<[string, string, boolean, string, string]>([
    ['v1 spec.template', v1, false, `'${image}'`, `'${digest}'`],
    ['release.configuration.revisionTemplate', alpha, true, `"${image}"`, `"${digest}"`],
    [
      'runLatest.configuration.template',
      mode('runLatest', 'template'),
      true,
      'image: a',
      `image: ${digest}`
    ],
    [
      'pinned.configuration.revisionTemplate',
      mode('pinned', 'revisionTemplate'),
      true,
      'image: a',
      `image: ${digest}`
    ],
    [
      'pinned.configuration.template',
      mode('pinned', 'template'),
      true,
      'image: a',
      `image: ${digest}`
    ]
  ])('%s: the image is set in it; in a mode: %s', (_name, text, inMode, from, to) => {
    expect(templateInMode(text)).toBe(inMode)
    expect(setImage(text, digest)).toBe(replaceOnce(text, from, to))
  })

  test('template spec fields are added beside the containers, existing ones kept', () => {
    expect(addTemplateSpecFields(v1, { timeoutSeconds: 30, containers: [] })).toBe(
      replaceOnce(
        v1,
        '            - containerPort: 8080\n',
        '            - containerPort: 8080\n      timeoutSeconds: 30\n'
      )
    )
  })
})

describe('unifiedDiff at the ends of the file, as GNU `diff -u` writes them', () => {
  const lines = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join('')
  const before = lines(1, 40)
  test.each<[string, string, string, string[]]>([
    [
      'the last line removed',
      before,
      lines(1, 39),
      ['@@ -37,4 +37,3 @@', ' line 37', ' line 38', ' line 39', '-line 40']
    ],
    [
      'lines added after the last',
      before,
      lines(1, 42),
      ['@@ -38,3 +38,5 @@', ' line 38', ' line 39', ' line 40', '+line 41', '+line 42']
    ],
    ['every line removed', lines(1, 2), '', ['@@ -1,2 +0,0 @@', '-line 1', '-line 2']],
    ['from an empty file', '', 'a\nb\n', ['@@ -0,0 +1,2 @@', '+a', '+b']],
    [
      'a line added first and the last changed',
      before,
      'NEW\n' + lines(1, 39) + 'LAST\n',
      [
        '@@ -1,3 +1,4 @@',
        '+NEW',
        ' line 1',
        ' line 2',
        ' line 3',
        '@@ -37,4 +38,4 @@',
        ' line 37',
        ' line 38',
        ' line 39',
        '-line 40',
        '+LAST'
      ]
    ],
    [
      'repeated lines: the shortest edit (the example of Myers’ paper)',
      'a\nb\nc\na\nb\nb\na\n',
      'c\nb\na\nb\na\nc\n',
      ['@@ -1,7 +1,6 @@', '-a', '-b', ' c', '-a', ' b', '+a', ' b', ' a', '+c']
    ],
    [
      'a line moved to the end',
      'x\ny\nz\n',
      'y\nz\nx\n',
      ['@@ -1,3 +1,3 @@', '-x', ' y', ' z', '+x']
    ]
  ])('%s', (_name, a, b, hunks) => {
    expect(unifiedDiff(a, b, 'f')).toBe(['--- a/f', '+++ b/f', ...hunks, ''].join('\n'))
  })

  test('files without a final line break: their last lines are still compared', () => {
    // GNU diff also writes "\ No newline at end of file" after such a line; this does not.
    const diff = unifiedDiff('a\nb', 'a\nc', 'f')
    expect(diff).toContain('\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n')
  })
})

describe('an absent field inserted where the file ends or breaks lines its own way', () => {
  const without = v1.replace(/ {2}traffic:\n[\s\S]*?tag: current\n/, '')
  const added = `- containerPort: 8080\n  traffic:\n${newTraffic('\n')}`
  test('a file without a final line break: the field is added at its end', () => {
    const cut = v1.replace(/\n {2}traffic:\n[\s\S]*$/, '')
    expect(cut.endsWith('- containerPort: 8080')).toBe(true)
    expect(withSplit(cut, split)).toBe(replaceOnce(cut, '- containerPort: 8080', added))
  })

  test('CRLF: the new lines end in CRLF and the line it follows keeps its own', () => {
    const crlf = without.replace(/\n/g, '\r\n')
    expect(withSplit(crlf, split)).toBe(
      replaceOnce(crlf, '- containerPort: 8080\r\n', `${added.replace(/\n/g, '\r\n')}\r\n`)
    )
  })

  test('a trailing comment on the last line stays on it', () => {
    const commented = without.replace('- containerPort: 8080\n', '- containerPort: 8080   # http\n')
    expect(withSplit(commented, split)).toBe(
      replaceOnce(
        commented,
        '- containerPort: 8080   # http',
        added.replace('8080', '8080   # http')
      )
    )
  })

  test('a key added to an empty flow mapping has no separator before it', () => {
    const empty = v1
      .replace('  labels: {app: web, tier: ', '  labels: {}\n  x: {a: ')
      .replace("'front'}", '1}')
    const out = editManifest(empty, [{ path: ['metadata', 'labels', 'track'], value: 'canary' }])
    expect(out).toBe(replaceOnce(empty, 'labels: {}', 'labels: {track: canary}'))
  })
})
