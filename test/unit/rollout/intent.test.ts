import type { RevisionTemplate } from '../../../src/knative/types.js'
import {
  advance,
  afterStep,
  nextIntent,
  rolloutStart,
  type AfterStep,
  type RolloutStart,
  type RolloutView,
  type Walk,
  type WalkIntent
} from '../../../src/rollout/intent.js'
import type { RolloutState } from '../../../src/rollout/state.js'

const tpl = (name: string, image: string): RevisionTemplate => ({
  metadata: { name },
  spec: { containers: [{ image }] }
})
const V1 = tpl('web-v1', 'ghcr.io/acme/web:1')
const V2 = tpl('web-v2', 'ghcr.io/acme/web:2')
const open = (over: Partial<RolloutState> = {}): RolloutState => ({
  phase: 'paused',
  current: 'web-v1',
  candidate: 'web-v2',
  percent: 20,
  steps: [20, 50],
  failures: 0,
  history: [],
  ...over
})
const view = (over: Partial<RolloutView> = {}): RolloutView => ({
  namespace: 'shop',
  exists: true,
  current: 'web-v1',
  currentExists: true,
  candidate: 'web-v2',
  template: V2,
  liveTemplate: V1,
  madeCurrent: true,
  ...over
})

describe('rolloutStart: where a rollout starts, from what is live', () => {
  test.each<[string, Partial<RolloutView>, RolloutStart]>([
    ['no Service: a first deploy', { exists: false, current: undefined }, { kind: 'first-deploy' }],
    [
      'a Service that never served: a first deploy',
      { current: undefined },
      { kind: 'first-deploy' }
    ],
    [
      'the current revision is gone',
      { currentExists: false },
      {
        kind: 'refuse',
        message: 'the current revision "web-v1" does not exist in namespace "shop"'
      }
    ],
    [
      'the candidate is the current, same template',
      { candidate: 'web-v1', template: V1 },
      { kind: 'unchanged', message: 'web-v1 is already current; nothing to roll out' }
    ],
    [
      'the candidate is the current, another template',
      { candidate: 'web-v1', template: tpl('web-v1', 'ghcr.io/acme/web:2') },
      {
        kind: 'refuse',
        message:
          'revision-name "web-v1" is the current revision but the template differs; Knative refuses a template change without a new name: set revision-name'
      }
    ],
    [
      'the name is taken by another template',
      { taken: { spec: { containers: [{ image: 'ghcr.io/acme/web:0' }] } } },
      {
        kind: 'refuse',
        message:
          'revision-name "web-v2" is already taken by a revision with a different template; Knative cannot reuse the name (RevisionNameTaken): choose another revision-name'
      }
    ],
    [
      'the name is taken by the same template (a re-run): go on',
      { taken: { metadata: V2.metadata, spec: V2.spec } },
      { kind: 'candidate', resume: false }
    ],
    [
      'the live template made the current revision and is asked again',
      { template: tpl('web-v2', 'ghcr.io/acme/web:1'), liveTemplate: V1 },
      {
        kind: 'unchanged',
        message: 'the template is unchanged and web-v1 is serving it; nothing to roll out'
      }
    ],
    [
      'a template left by a failed candidate is tried again',
      { template: tpl('web-v3', 'ghcr.io/acme/web:1'), candidate: 'web-v3', madeCurrent: false },
      { kind: 'candidate', resume: false }
    ],
    ['a new template: a new candidate', {}, { kind: 'candidate', resume: false }],
    [
      'the open rollout of the same candidate: resume',
      { open: open() },
      { kind: 'candidate', resume: true }
    ],
    [
      'an open rollout of another candidate: supersede',
      { open: open({ candidate: 'web-v9' }) },
      { kind: 'candidate', resume: false }
    ],
    [
      'an open rollout from another current: supersede',
      { open: open({ current: 'web-v0' }) },
      { kind: 'candidate', resume: false }
    ],
    [
      'an open rollout is never "unchanged", even with the same template',
      { open: open(), template: tpl('web-v2', 'ghcr.io/acme/web:1') },
      { kind: 'candidate', resume: true }
    ]
  ])('%s', (_name, over, want) => {
    expect(rolloutStart(view(over))).toEqual(want)
  })
})

describe('nextIntent and advance: the walk through the steps', () => {
  const walk = (over: Partial<Walk> = {}): Walk => ({
    percents: [10, 50, 100],
    done: 0,
    pause: false,
    share: 0,
    analysedAny: false,
    command: 'rollout',
    ...over
  })
  test.each<[string, Partial<Walk>, WalkIntent]>([
    ['from 0: a gated split to 10', {}, { kind: 'split', percent: 10, gated: true }],
    ['at the step: analyse', { share: 10 }, { kind: 'analyse', percent: 10 }],
    [
      'a resumed run below its step splits up',
      { share: 9, done: 0 },
      { kind: 'split', percent: 10, gated: true }
    ],
    [
      'a share above the next step: an ungated split down',
      { share: 60, done: 1 },
      { kind: 'split', percent: 50, gated: false }
    ],
    [
      'at 100 after analysing: promote',
      { done: 2, share: 50, analysedAny: true },
      { kind: 'promote' }
    ],
    [
      'blue/green ([100]) analyses the tag URL at 0 first',
      { percents: [100] },
      { kind: 'analyse', percent: 0 }
    ],
    [
      'blue/green after that analysis: promote',
      { percents: [100], analysedAny: true },
      { kind: 'promote' }
    ],
    [
      'promote (the command) does not analyse before 100',
      { percents: [100], command: 'promote' },
      { kind: 'promote' }
    ],
    [
      'all steps done, pause-at: pause',
      { percents: [10], done: 1, share: 10, pause: true },
      { kind: 'pause' }
    ],
    ['all steps done: promote', { percents: [10], done: 1, share: 10 }, { kind: 'promote' }]
  ])('%s', (_name, over, want) => {
    expect(nextIntent(walk(over))).toEqual(want)
  })

  test('the whole walk from 0 over [10, 50, 100]', () => {
    let w = walk()
    const seen: string[] = []
    for (let i = 0; i < 10; i++) {
      const intent = nextIntent(w)
      seen.push('percent' in intent ? `${intent.kind} ${intent.percent}` : intent.kind)
      if (intent.kind === 'promote' || intent.kind === 'pause') break
      w = advance(w, intent)
    }
    expect(seen).toEqual(['split 10', 'analyse 10', 'split 50', 'analyse 50', 'promote'])
  })

  test('an analysis of another share (a hold) does not count as the step', () => {
    const w = advance(walk({ share: 10 }), { kind: 'analyse', percent: 5 })
    expect(w).toMatchObject({ done: 0, analysedAny: true })
    expect(advance(walk(), { kind: 'promote' })).toEqual(walk())
  })
})

describe('afterStep: what a verdict leads to', () => {
  test.each<[string, Parameters<typeof afterStep>, AfterStep]>([
    ['a pass goes on', ['pass', 5, 1, false], 'next'],
    ['a pass goes on even after a rollback hook was seen earlier', ['pass', 0, 1, true], 'next'],
    ['a fail under the threshold: again', ['fail', 1, 2, false], 'again'],
    ['a fail at the threshold: roll back', ['fail', 2, 2, false], 'roll-back'],
    ['inconclusive counts too', ['inconclusive', 3, 3, false], 'roll-back'],
    ['a rollback hook rolls back at once', ['fail', 1, 5, true], 'roll-back']
  ])('%s', (_name, args, want) => {
    expect(afterStep(...args)).toBe(want)
  })
})
