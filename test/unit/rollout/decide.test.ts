// The rollout's pure decisions (decide.ts): which revision serves, what the candidate is
// called, which steps remain, whether anything changed, why a candidate failed.

import type {
  KService,
  Revision,
  RevisionTemplate,
  TrafficTarget
} from '../../../src/knative/types.js'
import {
  asStored,
  candidateName,
  FATAL_REASONS,
  inFlight,
  madeFrom,
  readinessFailure,
  sameRollout,
  sameTemplate,
  servingRevision,
  stepPlan,
  tagUrl
} from '../../../src/rollout/decide.js'
import {
  STATE_PREFIX,
  writeLease,
  writeState,
  type RolloutState
} from '../../../src/rollout/state.js'

const template: RevisionTemplate = {
  metadata: { name: 'shop-v2' },
  spec: { containers: [{ image: 'ghcr.io/acme/shop:2', env: [{ name: 'A', value: '1' }] }] }
}

const svc = (over: Partial<KService> = {}, status?: KService['status']): KService => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'shop', generation: 3, annotations: {} },
  spec: { template },
  ...(status ? { status } : {}),
  ...over
})

const state: RolloutState = {
  phase: 'progressing',
  current: 'shop-v1',
  candidate: 'shop-v2',
  percent: 25,
  steps: [10, 25, 50, 100],
  failures: 0,
  history: []
}

describe('inFlight', () => {
  test.each([
    { name: 'no state', s: undefined, out: false },
    { name: 'progressing with a candidate', s: state, out: true },
    { name: 'paused with a candidate', s: { ...state, phase: 'paused' as const }, out: true },
    { name: 'progressing, no candidate yet', s: { ...state, candidate: undefined }, out: false },
    { name: 'promoted', s: { ...state, phase: 'promoted' as const }, out: false },
    { name: 'rolled back', s: { ...state, phase: 'rolled-back' as const }, out: false },
    { name: 'aborted', s: { ...state, phase: 'aborted' as const }, out: false }
  ])('$name', ({ s, out }) => {
    expect(inFlight(s)).toBe(out ? s : undefined)
  })
})

describe('servingRevision: the largest share in status.traffic, else the latest ready', () => {
  const t = (revisionName: string | undefined, percent?: number): TrafficTarget => ({
    revisionName,
    percent
  })
  test.each([
    { name: 'one revision at 100', traffic: [t('a', 100)], out: 'a' },
    { name: 'the larger of two (first listed)', traffic: [t('a', 80), t('b', 20)], out: 'a' },
    { name: 'the larger of two (last listed)', traffic: [t('a', 20), t('b', 80)], out: 'b' },
    {
      name: 'shares of one revision add up',
      traffic: [t('a', 30), t('b', 40), t('a', 30)],
      out: 'a'
    },
    {
      name: 'zero and absent shares never serve',
      traffic: [t('a', 0), t('b'), t(undefined, 100)],
      out: 'ready'
    },
    { name: 'no traffic: the latest ready', traffic: [], out: 'ready' },
    { name: 'no status traffic at all', traffic: undefined, out: 'ready' }
  ])('$name', ({ traffic, out }) => {
    expect(servingRevision(svc({}, { traffic, latestReadyRevisionName: 'ready' }))).toBe(out)
  })

  test('a Service that never became ready has none', () => {
    expect(servingRevision(svc())).toBeUndefined()
  })
})

describe('candidateName', () => {
  const base = { ...template, metadata: { name: 'whatever', labels: { a: 'b' } } }
  test.each([
    {
      name: 'revision-name input first',
      opts: { revisionName: 'r', releaseCandidate: 'c', sha: 'ABCDEF0123' },
      out: 'r'
    },
    {
      name: 'then the revision a GitOps controller made (git mode)',
      opts: { adopt: 'shop-v3', releaseCandidate: 'c', sha: 'ABCDEF0123' },
      out: 'shop-v3'
    },
    {
      name: 'then the release candidate',
      opts: { releaseCandidate: 'c', sha: 'ABCDEF0123' },
      out: 'c'
    },
    {
      name: 'not @latest',
      opts: { releaseCandidate: '@latest', sha: 'ABCDEF0123' },
      out: 'shop-abcdef0'
    },
    {
      name: 'then 7 characters of the sha, lower case',
      opts: { sha: 'ABCDEF0123' },
      out: 'shop-abcdef0'
    }
  ])('$name', ({ opts, out }) => {
    expect(candidateName('shop', base, opts)).toBe(out)
  })

  test('else a hash of the template: 8 hex digits, stable, blind to name and key order', () => {
    const name = candidateName('shop', base, {})
    expect(name).toMatch(/^shop-[0-9a-f]{8}$/)
    const reordered: RevisionTemplate = {
      spec: base.spec,
      metadata: { labels: { a: 'b' }, name: 'other' }
    }
    expect(candidateName('shop', reordered, {})).toBe(name)
    expect(candidateName('shop', { spec: base.spec, metadata: { labels: { a: 'b' } } }, {})).toBe(
      name
    )
  })

  const env = (...names: string[]) => ({
    ...base,
    spec: {
      containers: [
        { image: 'ghcr.io/acme/shop:2', env: names.map((name) => ({ name, value: name })) }
      ]
    }
  })
  test.each([
    { name: 'another image', t: { ...base, spec: { containers: [{ image: 'x:3' }] } }, ref: base },
    { name: 'another label', t: { ...base, metadata: { labels: { a: 'c' } } }, ref: base },
    { name: 'no metadata', t: { spec: base.spec }, ref: base },
    { name: 'a list in another order', t: env('B', 'A'), ref: env('A', 'B') }
  ])('a different template hashes differently: $name', ({ t, ref }) => {
    expect(candidateName('shop', t, {})).not.toBe(candidateName('shop', ref, {}))
  })
})

describe('stepPlan', () => {
  test.each([
    {
      name: 'no rolloutPercent: the steps',
      steps: [10, 50, 100],
      rp: undefined,
      out: [10, 50, 100]
    },
    { name: 'rolloutPercent 0 is none', steps: [10, 50, 100], rp: 0, out: [10, 50, 100] },
    {
      name: 'rolloutPercent first, then the steps above it',
      steps: [10, 50, 100],
      rp: 20,
      out: [20, 50, 100]
    },
    { name: 'a step equal to it is not repeated', steps: [10, 50, 100], rp: 50, out: [50, 100] }
  ])('$name', ({ steps, rp, out }) => {
    const input = [...steps]
    expect(stepPlan(input, rp)).toEqual(out)
    expect(stepPlan(input, rp)).not.toBe(input)
  })
})

describe('sameTemplate without a stored form (git mode): desired is a subset of live, names aside', () => {
  const live: RevisionTemplate = {
    metadata: { name: 'shop-v1', annotations: { defaulted: 'yes' } },
    spec: {
      containerConcurrency: 0,
      containers: [{ image: 'ghcr.io/acme/shop:2', env: [{ name: 'A', value: '1' }], ports: [] }]
    }
  } as unknown as RevisionTemplate
  test.each([
    { name: 'equal but for the name and defaulted fields', desired: template, out: true },
    { name: 'no live template', desired: template, live: null, out: false },
    {
      name: 'another image',
      desired: { spec: { containers: [{ image: 'ghcr.io/acme/shop:3' }] } },
      out: false
    },
    {
      name: 'one container more',
      desired: { spec: { containers: [{ image: 'ghcr.io/acme/shop:2' }, { image: 'side' }] } },
      out: false
    },
    {
      name: 'an object where live has a scalar',
      desired: { spec: { containerConcurrency: { a: 1 }, containers: [] } },
      out: false
    },
    {
      name: 'an object where live has null',
      desired: { spec: { timeoutSeconds: { a: 1 }, containers: [] } },
      liveOver: { spec: { timeoutSeconds: null, containers: [] } },
      out: false
    },
    {
      name: 'an array where live has an object',
      desired: { spec: { containers: [] }, metadata: { annotations: [] } },
      out: false
    },
    {
      name: 'a null the live template also has',
      desired: { spec: { timeoutSeconds: null, containers: [] } },
      liveOver: { spec: { timeoutSeconds: null, containers: [] } },
      out: true
    },
    {
      name: 'a null where live has a value',
      desired: { spec: { containerConcurrency: null, containers: [] } },
      out: false
    },
    {
      name: 'an empty list against a longer one',
      desired: { spec: { containers: [] } },
      out: false
    }
  ])('$name', ({ desired, live: l, liveOver, out }) => {
    const have = l === null ? undefined : ((liveOver ?? live) as RevisionTemplate)
    expect(sameTemplate(have, desired as unknown as RevisionTemplate)).toBe(out)
  })
})

describe('sameRollout: nobody but a lease renewal wrote in between', () => {
  const before = writeState(
    svc({ spec: { template, traffic: [{ revisionName: 'a', percent: 100 }] } }),
    state
  )
  test.each([
    { name: 'the same object', after: before, out: true },
    {
      name: 'only the lease renewed',
      after: writeLease(before, { holder: 'me', renewedAt: 9, durationSeconds: 60 }),
      out: true
    },
    {
      name: 'another metadata field',
      after: { ...before, metadata: { ...before.metadata, generation: 4 } },
      out: true
    },
    {
      name: 'another template',
      after: { ...before, spec: { ...before.spec, template: { spec: { containers: [] } } } },
      out: false
    },
    {
      name: 'another split',
      after: { ...before, spec: { ...before.spec, traffic: [] } },
      out: false
    },
    { name: 'another state', after: writeState(before, { ...state, percent: 50 }), out: false },
    {
      name: 'the state removed',
      after: { ...before, metadata: { ...before.metadata, annotations: {} } },
      out: false
    },
    { name: 'the Service gone', after: undefined, out: false }
  ])('$name', ({ after, out }) => {
    expect(sameRollout(before, after)).toBe(out)
    expect(sameRollout(after, before)).toBe(out)
  })

  test('two absent Services are the same', () => {
    expect(sameRollout(undefined, undefined)).toBe(true)
  })

  test('an unreadable state counts as none', () => {
    const a = svc({ metadata: { name: 'shop', annotations: { [STATE_PREFIX + 'phase']: 'x' } } })
    expect(sameRollout(a, svc({ metadata: { name: 'shop', annotations: {} } }))).toBe(true)
  })
})

describe('readinessFailure', () => {
  const rev = (status?: Revision['status'], generation = 1): Revision =>
    ({ metadata: { name: 'shop-v2', generation }, status }) as Revision
  const failed = {
    observedGeneration: 1,
    conditions: [{ type: 'Ready', status: 'False', reason: 'ExitCode1', message: 'boom' }]
  } as Revision['status']
  const service = (
    conditions: { type: string; status: string; reason?: string; message?: string }[],
    observedGeneration = 3
  ) => svc({}, { observedGeneration, conditions } as KService['status'])
  test.each([
    {
      name: 'the revision failed: its reason and message',
      s: service([]),
      r: rev(failed),
      out: 'ExitCode1: boom'
    },
    {
      name: 'no reason nor message',
      s: service([]),
      r: rev({
        observedGeneration: 1,
        conditions: [{ type: 'Ready', status: 'False' }]
      } as Revision['status']),
      out: 'RevisionFailed:'
    },
    {
      name: 'the revision status not yet observed',
      s: service([]),
      r: rev(failed, 2),
      out: undefined
    },
    {
      name: 'the revision not ready yet (Unknown)',
      s: service([]),
      r: rev({
        observedGeneration: 1,
        conditions: [{ type: 'Ready', status: 'Unknown', reason: 'Deploying' }]
      } as Revision['status']),
      out: undefined
    },
    {
      name: 'another revision condition False',
      s: service([]),
      r: rev({
        observedGeneration: 1,
        conditions: [{ type: 'Active', status: 'False', reason: 'NoTraffic' }]
      } as Revision['status']),
      out: undefined
    },
    {
      name: 'no revision, healthy Service',
      s: service([{ type: 'Ready', status: 'True' }]),
      r: undefined,
      out: undefined
    },
    {
      name: 'ConfigurationsReady False',
      s: service([
        {
          type: 'ConfigurationsReady',
          status: 'False',
          reason: 'RevisionFailed',
          message: ' no image '
        }
      ]),
      r: undefined,
      out: 'RevisionFailed:  no image'
    },
    {
      name: 'RoutesReady False, no reason: the type',
      s: service([{ type: 'RoutesReady', status: 'False' }]),
      r: undefined,
      out: 'RoutesReady:'
    },
    {
      name: 'Ready False alone is not read',
      s: service([{ type: 'Ready', status: 'False', reason: 'X' }]),
      r: undefined,
      out: undefined
    },
    {
      name: 'a stale Service status is not believed',
      s: service([{ type: 'RoutesReady', status: 'False' }], 2),
      r: undefined,
      out: undefined
    }
  ])('$name', ({ s, r, out }) => {
    expect(readinessFailure(s, r)).toBe(out)
  })
})

test.each([
  ['ContainerMissing', true],
  ['ExitCode', true],
  ['ExitCode137', true],
  ['RevisionFailed', true],
  ['ProgressDeadlineExceeded', true],
  ['RevisionNameTaken', true],
  ['Deploying', false],
  ['NotContainerMissing', false]
])('FATAL_REASONS: %s → %s', (reason, fatal) => {
  expect(FATAL_REASONS.test(reason)).toBe(fatal)
})

describe('tagUrl', () => {
  const traffic = [
    { tag: 'current', url: 'http://current' },
    { tag: 'candidate', url: 'http://candidate' }
  ]
  test.each([
    { name: 'the tag present', traffic, tag: 'candidate', out: 'http://candidate' },
    { name: 'the tag absent', traffic, tag: 'latest', out: undefined },
    { name: 'no traffic', traffic: undefined, tag: 'current', out: undefined }
  ])('$name', ({ traffic, tag, out }) => {
    expect(tagUrl(traffic, tag)).toBe(out)
  })
})

describe('sameTemplate with the stored form (a dry run answer): equal, names aside', () => {
  // What the API server stores for `template`: Knative's defaults filled in.
  const stored = (over: Record<string, unknown> = {}): RevisionTemplate =>
    ({
      metadata: { name: 'shop-v2' },
      spec: {
        timeoutSeconds: 300,
        containerConcurrency: 0,
        enableServiceLinks: false,
        containers: [
          {
            name: 'user-container',
            image: 'ghcr.io/acme/shop:2',
            env: [{ name: 'A', value: '1' }],
            resources: {},
            readinessProbe: { tcpSocket: { port: 0 }, successThreshold: 1 }
          }
        ],
        ...over
      }
    }) as RevisionTemplate
  const live = { ...stored(), metadata: { name: 'shop-v1' } }
  const withoutEnv = stored()
  delete withoutEnv.spec.containers[0].env
  test.each([
    { name: 'the same stored form under another name', desired: stored(), out: true },
    { name: 'a manifest that drops its env block', desired: withoutEnv, out: false },
    {
      name: 'a zero timeoutSeconds the server stored as 300',
      desired: stored({ timeoutSeconds: 300 }),
      out: true
    },
    {
      name: 'a timeout the defaults would have hidden from a subset check',
      desired: stored({ timeoutSeconds: 600 }),
      out: false
    },
    {
      name: 'an annotation dropped from the template',
      desired: stored(),
      liveOver: { metadata: { annotations: { 'autoscaling.knative.dev/min-scale': '1' } } },
      out: false
    },
    {
      name: 'key order aside',
      desired: {
        spec: { ...stored().spec, containers: stored().spec.containers },
        metadata: { name: 'shop-v2' }
      } as RevisionTemplate,
      out: true
    }
  ])('$name', ({ desired, liveOver, out }) => {
    const have = { ...live, ...(liveOver ?? {}) } as RevisionTemplate
    expect(sameTemplate(have, asStored(desired))).toBe(out)
  })

  test('an unmarked copy of a stored form is compared as a subset', () => {
    const desired = withoutEnv
    asStored(desired)
    expect(sameTemplate(live, desired)).toBe(false)
    expect(sameTemplate(live, structuredClone(desired))).toBe(true)
  })
})

describe('madeFrom: a revision of the desired template', () => {
  const desired = {
    metadata: { name: 'shop-v2', labels: { team: 'a' } },
    spec: { containers: [{ image: 'img:2', name: 'user-container' }], timeoutSeconds: 300 }
  } as RevisionTemplate
  const revision = {
    metadata: {
      name: 'shop-v2',
      labels: { team: 'a', 'serving.knative.dev/configuration': 'shop' },
      annotations: { 'serving.knative.dev/creator': 'me' }
    },
    spec: { containers: [{ image: 'img:2', name: 'user-container' }], timeoutSeconds: 300 }
  }
  test.each([
    { name: "the same spec, Knative's labels besides", rev: revision, out: true },
    {
      name: 'a label of the template missing',
      rev: { ...revision, metadata: { labels: {} } },
      out: false
    },
    {
      name: 'another spec',
      rev: { ...revision, spec: { ...revision.spec, timeoutSeconds: 600 } },
      out: false
    },
    {
      name: 'a spec with a field more (a stored form must be equal)',
      rev: { ...revision, spec: { ...revision.spec, enableServiceLinks: false } },
      out: false
    }
  ])('$name', ({ rev, out }) => {
    expect(madeFrom(rev as never, asStored(structuredClone(desired)))).toBe(out)
  })
})
