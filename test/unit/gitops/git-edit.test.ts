import { parse } from 'yaml'
import { commitMessage, editForChange } from '../../../src/gitops/git-edit.js'
import type { KService } from '../../../src/knative/types.js'
import type { Change } from '../../../src/rollout/ports.js'
import { readState, type RolloutState } from '../../../src/rollout/state.js'

const V1 = [
  'apiVersion: serving.knative.dev/v1',
  'kind: Service',
  'metadata:',
  '  name: shop # the storefront',
  'spec:',
  '  template:',
  '    metadata:',
  '      name: shop-v1',
  '    spec:',
  '      containers:',
  '        - image: ghcr.io/acme/shop:1.0 # pinned by CI',
  '  traffic:',
  '    - tag: current',
  '      revisionName: shop-v1',
  '      percent: 100',
  '    - tag: docs',
  '      revisionName: shop-v0',
  '      percent: 0',
  ''
].join('\n')

const V1ALPHA1 = [
  'apiVersion: serving.knative.dev/v1alpha1',
  'kind: Service',
  'metadata:',
  '  name: shop',
  'spec:',
  '  release:',
  '    revisions: [shop-v1]',
  '    rolloutPercent: 0',
  '    configuration:',
  '      revisionTemplate:',
  '        metadata:',
  '          name: shop-v1',
  '        spec:',
  '          container:',
  '            image: ghcr.io/acme/shop:1.0',
  ''
].join('\n')

const STATE: RolloutState = {
  phase: 'progressing',
  current: 'shop-v1',
  candidate: 'shop-v2',
  percent: 10,
  steps: [10, 50, 100],
  failures: 0,
  history: [{ at: 1, event: 'step 10%' }]
}

const candidate = {
  metadata: { name: 'shop-v2' },
  spec: { containers: [{ image: 'ghcr.io/acme/shop@sha256:' + 'ab'.repeat(32) }] }
}

const js = (text: string) => parse(text) as Record<string, any>

describe('editForChange: each change as an edit of the manifest', () => {
  test.each<[string, string, Change, (doc: Record<string, any>) => unknown, unknown]>([
    [
      'v1: the candidate at 0% sets image, revision name and the tagged split',
      V1,
      { template: candidate, release: { current: 'shop-v1', candidate: 'shop-v2', percent: 0 } },
      (d) => [
        d.spec.template.metadata.name,
        d.spec.traffic.map((t: any) => `${t.tag}:${t.revisionName ?? 'latest'}:${t.percent}`)
      ],
      [
        'shop-v2',
        ['current:shop-v1:100', 'candidate:shop-v2:0', 'latest:latest:0', 'docs:shop-v0:0']
      ]
    ],
    [
      'v1: a step moves the shares and keeps the user tag at 0%',
      V1,
      { release: { current: 'shop-v1', candidate: 'shop-v2', percent: 25 } },
      (d) => d.spec.traffic.map((t: any) => t.percent),
      [75, 25, 0, 0]
    ],
    [
      'v1: the promotion leaves one current revision',
      V1,
      { release: { current: 'shop-v2', percent: 0 } },
      (d) => d.spec.traffic.filter((t: any) => t.percent > 0).map((t: any) => t.revisionName),
      ['shop-v2']
    ],
    [
      'v1alpha1: a step is the release block',
      V1ALPHA1,
      { release: { current: 'shop-v1', candidate: 'shop-v2', percent: 50 } },
      (d) => d.spec.release,
      expect.objectContaining({ revisions: ['shop-v1', 'shop-v2'], rolloutPercent: 50 })
    ],
    [
      'v1alpha1: the promotion is the block with one revision at 0',
      V1ALPHA1,
      { release: { current: 'shop-v2', percent: 0 } },
      (d) => [d.spec.release.revisions, d.spec.release.rolloutPercent],
      [['shop-v2'], 0]
    ],
    [
      'v1alpha1: the candidate sets the single container image',
      V1ALPHA1,
      { template: candidate },
      (d) => d.spec.release.configuration.revisionTemplate.spec.container.image,
      candidate.spec.containers[0].image
    ],
    [
      'the state rides along as annotations, without the history',
      V1,
      { state: STATE },
      (d) => {
        const state = readState(d as KService)
        return [
          state?.phase,
          state?.percent,
          state?.candidate,
          Object.keys(d.metadata.annotations).some((k) => k.endsWith('/history'))
        ]
      },
      ['progressing', 10, 'shop-v2', false]
    ],
    [
      'a promoted state clears the candidate (written empty, read as unset)',
      V1,
      {
        state: { ...STATE, phase: 'promoted', current: 'shop-v2', candidate: undefined, percent: 0 }
      },
      (d) => readState(d as KService)?.candidate,
      undefined
    ],
    [
      'a template without an image or a revision name leaves both as they are',
      V1,
      { template: { spec: { containers: [] } } },
      (d) => [d.spec.template.metadata.name, d.spec.template.spec.containers[0].image],
      ['shop-v1', 'ghcr.io/acme/shop:1.0']
    ],
    [
      'v1 without spec.traffic: git mode writes the tagged split',
      V1.slice(0, V1.indexOf('  traffic:')),
      { release: { current: 'shop-v1', candidate: 'shop-v2', percent: 10 } },
      (d) => d.spec.traffic?.map((t: any) => `${t.tag}:${t.percent}`),
      ['current:90', 'candidate:10', 'latest:0']
    ],
    [
      'a state without candidate, image or reason writes them empty over the old values',
      editForChange(V1, { state: { ...STATE, image: 'img@sha256:1', reason: 'paused at 10%' } }),
      { state: { ...STATE, phase: 'promoted', candidate: undefined, percent: 0 } },
      (d) =>
        ['candidate', 'image', 'reason'].map(
          (k) => d.metadata.annotations[`rollout.knative-rollout.dev/${k}`]
        ),
      ['', '', '']
    ],
    [
      'the state annotations are written in sorted order, so a commit diff is stable',
      V1,
      { state: { ...STATE, image: 'img@sha256:1', reason: 'paused at 10%' } },
      (d) => Object.keys(d.metadata.annotations).map((k) => k.split('/')[1]),
      ['candidate', 'current', 'failures', 'image', 'percent', 'phase', 'reason', 'steps']
    ]
  ])('%s', (_name, source, change, pick, expected) => {
    expect(pick(js(editForChange(source, change)))).toEqual(expected)
  })

  test('everything the change does not touch stays byte-identical (comments too)', () => {
    const after = editForChange(V1, {
      release: { current: 'shop-v1', candidate: 'shop-v2', percent: 10 }
    })
    const keep = (text: string) => text.split('\n').slice(0, 11).join('\n')
    expect(keep(after)).toBe(keep(V1))
    expect(after).toContain('image: ghcr.io/acme/shop:1.0 # pinned by CI')
  })

  test("Knative's container defaults from the live template are written once, empty maps as {}", () => {
    const live = {
      metadata: { name: 'shop-v1' },
      spec: {
        containers: [
          {
            image: 'ghcr.io/acme/shop:1.0',
            name: 'user-container',
            readinessProbe: { tcpSocket: { port: 0 }, successThreshold: 1 },
            resources: {}
          }
        ],
        timeoutSeconds: 300
      }
    }
    const once = editForChange(V1, { template: candidate }, live)
    const c = js(once).spec.template.spec.containers[0]
    expect(c).toEqual({
      image: candidate.spec.containers[0].image,
      name: 'user-container',
      readinessProbe: { tcpSocket: { port: 0 }, successThreshold: 1 },
      resources: {}
    })
    expect(editForChange(once, { template: candidate }, live)).toBe(once)
    // v1 merges the template's spec field by field, so its defaults stay off the file.
    expect(js(once).spec.template.spec.timeoutSeconds).toBeUndefined()
  })

  test("v1alpha1: the template's spec defaults too, as its mode replaces the live template whole", () => {
    const live = {
      metadata: { name: 'shop-v1' },
      spec: {
        containers: [{ image: 'ghcr.io/acme/shop:1.0', name: 'user-container' }],
        timeoutSeconds: 300,
        containerConcurrency: 0,
        enableServiceLinks: false
      }
    }
    const once = editForChange(V1ALPHA1, { template: candidate }, live)
    const spec = js(once).spec.release.configuration.revisionTemplate.spec
    expect(spec).toEqual({
      container: { image: candidate.spec.containers[0].image, name: 'user-container' },
      timeoutSeconds: 300,
      containerConcurrency: 0,
      enableServiceLinks: false
    })
    expect(editForChange(once, { template: candidate }, live)).toBe(once)
  })

  test('a live template without containers adds no container defaults', () => {
    const live = { metadata: { name: 'shop-v1' }, spec: {} } as never
    expect(editForChange(V1, { template: candidate }, live)).toBe(
      editForChange(V1, { template: candidate })
    )
  })

  test('a change with nothing for the file leaves it as it is', () => {
    expect(editForChange(V1, { lease: 'release' })).toBe(V1)
  })
})

describe('commitMessage: what in the subject, why in the body', () => {
  test.each<[string, Parameters<typeof commitMessage>[1], string]>([
    ['no events: the fallback', [], 'shop: update the rollout state\n'],
    [
      'the newest event is the subject; each event a line, with its evidence',
      [
        {
          at: 1,
          event: 'step 10% passed',
          evidence: {
            percent: 10,
            verdict: 'pass',
            ms: 30_000,
            candidate: [300, 0, 21],
            current: [2700, 1, 19]
          }
        },
        { at: 2, event: 'step 25%' }
      ],
      'shop: step 25%\n\n- step 10% passed (step 10%: pass after 30s; candidate 0/300 errors, p99 21 ms; current 1/2700 errors, p99 19 ms)\n- step 25%\n'
    ],
    [
      'an event with line breaks stays one line',
      [{ at: 1, event: 'rolled-back: the app said\n::error::boom' }],
      'shop: rolled-back: the app said ::error::boom\n\n- rolled-back: the app said ::error::boom\n'
    ],
    [
      'runs of blanks are one space, none at either end',
      [{ at: 1, event: ' \tstep 10%  \r\n passed \n' }],
      'shop: step 10% passed\n\n- step 10% passed\n'
    ],
    [
      'a long event is cut at 300 characters',
      [{ at: 1, event: 'x'.repeat(400) }],
      `shop: ${'x'.repeat(300)}\n\n- ${'x'.repeat(300)}\n`
    ]
  ])('%s', (_name, events, expected) => {
    expect(commitMessage('shop', events, 'update the rollout state')).toBe(expected)
  })
})
