import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  editManifest,
  setImage,
  setRelease,
  setRevisionName,
  setSplit,
  unifiedDiff
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
