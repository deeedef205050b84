import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ManifestEditError } from '../../../src/gitops/manifest-edit.js'
import {
  planWriteBack,
  WriteBackError,
  type WriteBackEvent
} from '../../../src/gitops/write-back.js'
import {
  digestOf,
  promotedTo,
  rolledBackTo,
  shortDigestOf
} from '../../helpers/write-back-events.js'

const fixture = (name: string): string => readFileSync(join('test/fixtures/gitops', name), 'utf8')
const v1 = fixture('v1-service.yaml')
const alpha = fixture('v1alpha1-release.yaml')
const digest = digestOf('a')
const short = shortDigestOf('a')
const promoted = promotedTo('web-00002', 'a', '4 steps passed: 0 errors in 1200 probes')
const rolledBack = rolledBackTo('error rate 12% > 5% at 10%')

/** Each `[from, to]` replaces one exact, unique span: the expected file is everything else verbatim. */
function replaced(text: string, ...swaps: [string, string][]): string {
  for (const [from, to] of swaps) {
    expect(text.split(from)).toHaveLength(2)
    text = text.replace(from, to)
  }
  return text
}

const v1PromotedTraffic = [
  '    - tag: current',
  '      revisionName: web-00002',
  '      percent: 100',
  '    - tag: latest',
  '      latestRevision: true',
  '      percent: 0'
].join('\n')
const v1OldTraffic = [
  '    - revisionName: web-00001',
  '      percent: 100',
  '      tag: current'
].join('\n')

// The v1 fixture after the promotion, as the cluster serves it: the revert starts from it.
const v1AfterPromotion = replaced(
  v1,
  ["'registry.example.com/shop/web:1.0.0'", `'${digest}'`],
  ['name: web-00001   #', 'name: web-00002   #'],
  [v1OldTraffic, v1PromotedTraffic]
)

// The candidate merged into git by hand (a template change), traffic still pinned: a rollback
// makes git match the cluster again.
const v1CandidateMerged = replaced(
  v1,
  ["'registry.example.com/shop/web:1.0.0'", "'registry.example.com/shop/web:2.0.0'"],
  ['name: web-00001   #', 'name: web-00002   #']
)

// A manifest that leaves the traffic to the action: no spec.traffic at all.
const v1WithoutTraffic = replaced(v1, [
  `  traffic:\n    # all on the pinned revision\n${v1OldTraffic}\n`,
  ''
])

const withAlias = [
  'apiVersion: serving.knative.dev/v1',
  'kind: Service',
  'metadata:',
  '  name: web',
  'x-image: &img registry.example.com/shop/web:1.0.0',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - image: *img',
  ''
].join('\n')
const twoServices = `${alpha}---\n${alpha.replace('name: web ', 'name: api ')}`

describe('planWriteBack', () => {
  test.each<[string, string, WriteBackEvent, string, string]>([
    [
      'v1 promote: image by digest, revision name, traffic in its promoted form',
      v1,
      promoted,
      v1AfterPromotion,
      `Promote prod/web to web-00002 (${short}, was web-00001): 4 steps passed: 0 errors in 1200 probes`
    ],
    [
      'v1alpha1 promote: the release block with the one candidate revision at rolloutPercent 0',
      alpha,
      promoted,
      replaced(
        alpha,
        ['"registry.example.com/shop/web:1.0.0"', `"${digest}"`],
        ['name: web-00001\n', 'name: web-00002\n'],
        ['["web-00001"]', '["web-00002"]']
      ),
      `Promote prod/web to web-00002 (${short}, was web-00001): 4 steps passed: 0 errors in 1200 probes`
    ],
    [
      'v1alpha1 promote mid-release: both revisions and a rollout percent become the one candidate at 0',
      replaced(
        alpha,
        ['["web-00001"]', '["web-00001", "web-00002"]'],
        ['rolloutPercent: 0 #', 'rolloutPercent: 20 #']
      ),
      promoted,
      replaced(
        alpha,
        ['"registry.example.com/shop/web:1.0.0"', `"${digest}"`],
        ['name: web-00001\n', 'name: web-00002\n'],
        ['["web-00001"]', '["web-00002"]']
      ),
      `Promote prod/web to web-00002 (${short}, was web-00001): 4 steps passed: 0 errors in 1200 probes`
    ],
    [
      'rollback revert: the previous image and revision, traffic back on it alone',
      v1AfterPromotion,
      rolledBack,
      replaced(v1, [v1OldTraffic, v1PromotedTraffic.replace('web-00002', 'web-00001')]),
      'Revert prod/web to web-00001 (registry.example.com/shop/web:1.0.0): web-00002 rolled back: error rate 12% > 5% at 10%'
    ],
    [
      'rollback of a merged candidate: only the template goes back, traffic already matches',
      v1CandidateMerged.replace(v1OldTraffic, v1PromotedTraffic.replace('web-00002', 'web-00001')),
      rolledBack,
      v1.replace(v1OldTraffic, v1PromotedTraffic.replace('web-00002', 'web-00001')),
      'Revert prod/web to web-00001 (registry.example.com/shop/web:1.0.0): web-00002 rolled back: error rate 12% > 5% at 10%'
    ],
    [
      'promote without evidence or a previous revision: the subject says it passed every step',
      v1,
      {
        kind: 'promoted',
        namespace: 'prod',
        service: 'web',
        promoted: { revision: 'web-00002', image: digest }
      },
      v1AfterPromotion,
      `Promote prod/web to web-00002 (${short}): it passed every step`
    ],
    [
      'a manifest without spec.traffic stays without it: the action owns the traffic',
      v1WithoutTraffic,
      promoted,
      replaced(
        v1WithoutTraffic,
        ["'registry.example.com/shop/web:1.0.0'", `'${digest}'`],
        ['name: web-00001   #', 'name: web-00002   #']
      ),
      `Promote prod/web to web-00002 (${short}, was web-00001): 4 steps passed: 0 errors in 1200 probes`
    ]
  ])('%s', (_name, source, event, content, message) => {
    expect(planWriteBack('deploy/web.yaml', source, event)).toEqual({
      path: 'deploy/web.yaml',
      content,
      message
    })
  })

  test.each<[string, string, WriteBackEvent]>([
    ['unchanged: git already says what the cluster serves', v1AfterPromotion, promoted],
    [
      'unchanged: a rollback when git never had the candidate (it came from the image input)',
      v1.replace(v1OldTraffic, v1PromotedTraffic.replace('web-00002', 'web-00001')),
      rolledBack
    ]
  ])('%s → null', (_name, source, event) => {
    expect(planWriteBack('web.yaml', source, event)).toBeNull()
  })

  test.each<[string, string, WriteBackEvent, RegExp]>([
    [
      'alias refused: the image is reached through *img',
      withAlias,
      promoted,
      /alias \(\*img\): edit it where its anchor is/
    ],
    [
      'ambiguous multi-document file refused',
      twoServices,
      promoted,
      /2 Knative Service documents: which one to edit is ambiguous/
    ]
  ])('%s', (_name, source, event, message) => {
    expect(() => planWriteBack('web.yaml', source, event)).toThrow(ManifestEditError)
    expect(() => planWriteBack('web.yaml', source, event)).toThrow(message)
  })

  test('a promoted image that is not pinned by digest is refused', () => {
    const byTag = { ...promoted, promoted: { revision: 'web-00002', image: 'web:2.0.0' } }
    expect(() => planWriteBack('web.yaml', v1, byTag)).toThrow(WriteBackError)
    expect(() => planWriteBack('web.yaml', v1, byTag)).toThrow(/not pinned by digest/)
    expect(() => planWriteBack('web.yaml', v1, byTag)).toThrow(
      expect.objectContaining({ name: 'WriteBackError' })
    )
  })

  test('an untrusted reason stays one line in the subject, with no way to start a command', () => {
    const hostile = rolledBackTo('bad\n::error::forged\r\nline\u0007')
    const change = planWriteBack('web.yaml', v1CandidateMerged, hostile)
    expect(change?.message).toBe(
      'Revert prod/web to web-00001 (registry.example.com/shop/web:1.0.0): web-00002 rolled back: bad ::error::forged line\\u0007'
    )
  })

  test('a reason ending in blanks leaves none at the end of the subject', () => {
    const change = planWriteBack('web.yaml', v1CandidateMerged, rolledBackTo('  timed out \n'))
    expect(change?.message).toMatch(/rolled back: timed out$/)
  })

  test('CRLF files keep CRLF in every rewritten line', () => {
    const crlf = v1.replace(/\n/g, '\r\n')
    const change = planWriteBack('web.yaml', crlf, promoted)
    expect(change?.content).toBe(v1AfterPromotion.replace(/\n/g, '\r\n'))
  })
})
