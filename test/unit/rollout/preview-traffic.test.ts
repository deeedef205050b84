// The preview's pure decisions: its tag, whether a Service can take it, the traffic lists
// that add or drop only its own entry, and when it may write its template.

import type { KService, TrafficTarget } from '../../../src/knative/types.js'
import {
  PREVIEW_ANNOTATION,
  followsLatest,
  isPreviewTemplate,
  previewProblem,
  previewTag,
  taggedRevision,
  templateWait,
  withPreviewTag,
  withoutTag
} from '../../../src/rollout/preview-traffic.js'
import { writeState, type RolloutState } from '../../../src/rollout/state.js'

const PROD: TrafficTarget[] = [
  { tag: 'current', revisionName: 'shop-v1', percent: 100 },
  { tag: 'candidate', revisionName: 'shop-v2', percent: 0 },
  { tag: 'latest', latestRevision: true, percent: 0 },
  { tag: 'pr-8', revisionName: 'shop-pr-8-a', percent: 0 }
]

describe('previewProblem', () => {
  test.each<{ name: string; service: string; pr: number; revision?: string; problem?: RegExp }>([
    { name: 'a short service', service: 'shop', pr: 7 },
    { name: 'a host label of 63 characters', service: 's'.repeat(63 - 'pr-7-'.length), pr: 7 },
    {
      name: 'a host label of 64 characters',
      service: 's'.repeat(64 - 'pr-7-'.length),
      pr: 7,
      problem: /^the preview's host label "pr-7-s+" has 64 characters; Knative allows 63/
    },
    { name: 'a good revision name', service: 'shop', pr: 7, revision: 'shop-pr-7-abcdef0' },
    {
      name: 'a revision name too long',
      service: 'shop',
      pr: 7,
      revision: `shop-pr-7-${'a'.repeat(60)}`,
      problem: /^the preview revision name "shop-pr-7-a+" is not a DNS-1035 label/
    },
    {
      name: 'a revision name with capitals',
      service: 'shop',
      pr: 7,
      revision: 'Shop-pr-7',
      problem: /is not a DNS-1035 label .*set revision-name/
    }
  ])('$name', ({ service, pr, revision, problem }) => {
    const found = previewProblem(service, pr, revision)
    if (problem) expect(found).toMatch(problem)
    else expect(found).toBeUndefined()
  })
})

describe('followsLatest: would production go to the preview once it is ready', () => {
  test.each<{ name: string; traffic?: TrafficTarget[]; follows: boolean }>([
    { name: 'no traffic block (Knative: 100% latest)', traffic: undefined, follows: true },
    { name: 'an empty one', traffic: [], follows: true },
    {
      name: 'latestRevision with a share',
      traffic: [{ latestRevision: true, percent: 100 }],
      follows: true
    },
    { name: 'a share without a revision name', traffic: [{ percent: 100 }], follows: true },
    {
      name: 'a split with latest at a share',
      traffic: [
        { revisionName: 'shop-v1', percent: 90 },
        { latestRevision: true, percent: 10 }
      ],
      follows: true
    },
    { name: 'pinned, latest at 0%', traffic: PROD, follows: false },
    {
      name: 'pinned to one revision',
      traffic: [{ revisionName: 'shop-v1', percent: 100 }],
      follows: false
    }
  ])('$name', ({ traffic, follows }) => {
    expect(followsLatest(traffic)).toBe(follows)
  })
})

describe('the preview entry in the traffic list', () => {
  test.each<{
    name: string
    before: TrafficTarget[]
    tag: string
    revision: string
    after: TrafficTarget[]
  }>([
    {
      name: 'added at 0%, every other entry as it was',
      before: PROD,
      tag: 'pr-7',
      revision: 'shop-pr-7-a',
      after: [...PROD, { tag: 'pr-7', revisionName: 'shop-pr-7-a', percent: 0 }]
    },
    {
      name: 'moved to the new commit: one entry for the tag',
      before: PROD,
      tag: 'pr-8',
      revision: 'shop-pr-8-b',
      after: [...PROD.slice(0, 3), { tag: 'pr-8', revisionName: 'shop-pr-8-b', percent: 0 }]
    },
    {
      name: 'a share someone gave the tag goes back to 0%',
      before: [
        { revisionName: 'shop-v1', percent: 90 },
        { tag: 'pr-7', revisionName: 'shop-pr-7-a', percent: 10 }
      ],
      tag: 'pr-7',
      revision: 'shop-pr-7-a',
      after: [
        { revisionName: 'shop-v1', percent: 90 },
        { tag: 'pr-7', revisionName: 'shop-pr-7-a', percent: 0 }
      ]
    }
  ])('$name', ({ before, tag, revision, after }) => {
    expect(withPreviewTag(before, tag, revision)).toEqual(after)
  })

  test.each<{ name: string; tag: string; after: TrafficTarget[]; revision?: string }>([
    {
      name: 'removed, the others kept',
      tag: 'pr-8',
      after: PROD.slice(0, 3),
      revision: 'shop-pr-8-a'
    },
    { name: 'a tag that is not there: nothing removed', tag: 'pr-9', after: PROD },
    { name: "production's own tags are not a preview's to find", tag: 'pr-1', after: PROD }
  ])('$name', ({ tag, after, revision }) => {
    expect(withoutTag(PROD, tag)).toEqual(after)
    expect(taggedRevision(PROD, tag)).toBe(revision)
  })

  test('the tag of a pull request', () => {
    expect(previewTag(42)).toBe('pr-42')
  })
})

describe('templateWait: when a preview may write its template', () => {
  const service = (annotations?: Record<string, string>): KService => ({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 'shop', namespace: 'default' },
    spec: {
      template: {
        metadata: { name: 'shop-v2', ...(annotations ? { annotations } : {}) },
        spec: { containers: [{ image: 'shop:v2' }] }
      },
      traffic: PROD
    }
  })
  const state = (over: Partial<RolloutState>): RolloutState => ({
    phase: 'progressing',
    current: 'shop-v1',
    candidate: 'shop-v2',
    percent: 0,
    steps: [10, 100],
    failures: 0,
    history: [],
    ...over
  })
  const at = (s: RolloutState) => writeState(service(), s)
  test.each<{ name: string; live: KService; ready?: string; wait?: RegExp }>([
    { name: 'no rollout state', live: service() },
    {
      name: 'a promoted rollout',
      live: at(state({ phase: 'promoted', candidate: undefined, percent: 100 }))
    },
    { name: 'a rolled-back rollout', live: at(state({ phase: 'rolled-back' })) },
    {
      name: 'a rollout making its candidate',
      live: at(state({})),
      wait: /^the rollout's candidate shop-v2 to become ready/
    },
    {
      name: 'a paused rollout whose candidate is not known ready',
      live: at(state({ phase: 'paused', percent: 25 })),
      wait: /^the rollout's candidate shop-v2/
    },
    {
      name: 'a rollout whose candidate is ready',
      live: at(state({ percent: 25 })),
      ready: 'shop-v2'
    },
    {
      name: 'a ready revision that is not the candidate',
      live: at(state({})),
      ready: 'shop-v1',
      wait: /^the rollout's candidate shop-v2/
    },
    {
      name: "another preview's template",
      live: service({ [PREVIEW_ANNOTATION]: 'pr-8' }),
      wait: /^the template of preview pr-8 to go back to production's$/
    }
  ])('$name', ({ live, ready, wait }) => {
    const found = templateWait(live, ready)
    if (wait) expect(found).toMatch(wait)
    else expect(found).toBeUndefined()
  })

  test('a preview template is told by its annotation', () => {
    expect(isPreviewTemplate(service({ [PREVIEW_ANNOTATION]: 'pr-8' }).spec.template)).toBe(true)
    expect(isPreviewTemplate(service().spec.template)).toBe(false)
    expect(isPreviewTemplate(undefined)).toBe(false)
  })
})
