import type { TrafficTarget } from '../../src/knative/types.js'
import {
  describeTraffic,
  mergeUserTags,
  planSteps,
  releaseToTraffic,
  statusShows,
  sumIs100,
  trafficToRelease,
  type Release,
  type StepPlan
} from '../../src/traffic.js'

const A = 'helloworld-csharp-00001'
const B = 'helloworld-csharp-00004'
const latest = { tag: 'latest', latestRevision: true, percent: 0 }

describe('releaseToTraffic', () => {
  test.each<[string, Release, TrafficTarget[]]>([
    [
      'a fresh candidate at 0%',
      { current: A, candidate: B, percent: 0 },
      [
        { tag: 'current', revisionName: A, percent: 100 },
        { tag: 'candidate', revisionName: B, percent: 0 },
        latest
      ]
    ],
    [
      'the helloworld-csharp split, 80/20',
      { current: A, candidate: B, percent: 20 },
      [
        { tag: 'current', revisionName: A, percent: 80 },
        { tag: 'candidate', revisionName: B, percent: 20 },
        latest
      ]
    ],
    [
      'the candidate at 100% before promotion',
      { current: A, candidate: B, percent: 100 },
      [
        { tag: 'current', revisionName: A, percent: 0 },
        { tag: 'candidate', revisionName: B, percent: 100 },
        latest
      ]
    ],
    [
      'promoted: one revision',
      { current: B, percent: 0 },
      [{ tag: 'current', revisionName: B, percent: 100 }, latest]
    ]
  ])('%s', (_name, release, traffic) => {
    expect(releaseToTraffic(release)).toEqual(traffic)
    expect(sumIs100(releaseToTraffic(release))).toBe(true)
  })

  test.each<[string, Release]>([
    ['a percent above 100', { current: A, candidate: B, percent: 101 }],
    ['a negative percent', { current: A, candidate: B, percent: -1 }],
    ['a fractional percent', { current: A, candidate: B, percent: 12.5 }],
    ['a share for a missing candidate', { current: A, percent: 10 }]
  ])('refuses %s', (_name, release) => {
    expect(() => releaseToTraffic(release)).toThrow(RangeError)
  })
})

describe('trafficToRelease', () => {
  test.each<[string, Release]>([
    ['0%', { current: A, candidate: B, percent: 0 }],
    ['20%', { current: A, candidate: B, percent: 20 }],
    ['99%', { current: A, candidate: B, percent: 99 }],
    ['100%', { current: A, candidate: B, percent: 100 }],
    ['one revision', { current: B, percent: 0 }]
  ])('round trip at %s', (_name, release) => {
    expect(trafficToRelease(releaseToTraffic(release))).toEqual(release)
  })

  test.each<[string, TrafficTarget[] | undefined, Release | undefined]>([
    ['no traffic', undefined, undefined],
    ['the default 100% latest', [{ latestRevision: true, percent: 100 }], undefined],
    [
      'untagged pinned revisions',
      [
        { revisionName: A, percent: 50 },
        { revisionName: B, percent: 50 }
      ],
      undefined
    ],
    [
      'a candidate that follows latest (not pinned)',
      [
        { tag: 'current', revisionName: A, percent: 90 },
        { tag: 'candidate', latestRevision: true, percent: 10 }
      ],
      undefined
    ],
    [
      'current and candidate not summing to 100',
      [
        { tag: 'current', revisionName: A, percent: 80 },
        { tag: 'candidate', revisionName: B, percent: 10 },
        { revisionName: 'x-1', percent: 10 }
      ],
      undefined
    ],
    [
      'two current tags (ambiguous)',
      [
        { tag: 'current', revisionName: A, percent: 50 },
        { tag: 'current', revisionName: B, percent: 50 }
      ],
      undefined
    ],
    [
      'a user tag at 0% is allowed alongside',
      [
        { tag: 'current', revisionName: A, percent: 70 },
        { tag: 'candidate', revisionName: B, percent: 30 },
        latest,
        { tag: 'blue', revisionName: 'x-1', percent: 0 }
      ],
      { current: A, candidate: B, percent: 30 }
    ],
    [
      'percents absent from defaulted-away spec count as 0',
      [
        { tag: 'current', revisionName: A, percent: 100 },
        { tag: 'latest', latestRevision: true }
      ],
      { current: A, percent: 0 }
    ],
    [
      'no latest tag still reads',
      [
        { tag: 'current', revisionName: A, percent: 60 },
        { tag: 'candidate', revisionName: B, percent: 40 }
      ],
      { current: A, candidate: B, percent: 40 }
    ]
  ])('%s', (_name, traffic, expected) => {
    expect(trafficToRelease(traffic)).toEqual(expected)
  })
})

describe('statusShows', () => {
  const url = (tag: string) => `http://${tag}-hello.default.example.com`
  const status = (current: number, candidate: number, latestRev = B): TrafficTarget[] => [
    {
      tag: 'current',
      revisionName: A,
      percent: current,
      latestRevision: false,
      url: url('current')
    },
    {
      tag: 'candidate',
      revisionName: B,
      percent: candidate,
      latestRevision: false,
      url: url('candidate')
    },
    { tag: 'latest', revisionName: latestRev, percent: 0, latestRevision: true, url: url('latest') }
  ]
  const r20: Release = { current: A, candidate: B, percent: 20 }

  test.each<[string, TrafficTarget[] | undefined, Release, boolean]>([
    ['the split is in place', status(80, 20), r20, true],
    ['the old split is still shown', status(90, 10), r20, false],
    ['no status yet', undefined, r20, false],
    [
      'the default route before our first write',
      [{ revisionName: A, percent: 100, latestRevision: true }],
      { current: A, candidate: B, percent: 0 },
      false
    ],
    [
      '0%: the candidate tag must already resolve, or probes cannot reach it',
      [
        { tag: 'current', revisionName: A, percent: 100 },
        { tag: 'latest', revisionName: A, percent: 0, latestRevision: true }
      ],
      { current: A, candidate: B, percent: 0 },
      false
    ],
    [
      '0% with the candidate tag in place',
      status(100, 0),
      { current: A, candidate: B, percent: 0 },
      true
    ],
    [
      'the candidate tag on the wrong revision',
      [
        { tag: 'current', revisionName: A, percent: 80 },
        { tag: 'candidate', revisionName: 'other-2', percent: 0 },
        { revisionName: B, percent: 20 }
      ],
      r20,
      false
    ],
    [
      'shares per revision sum across entries',
      [
        { tag: 'current', revisionName: A, percent: 80 },
        { tag: 'candidate', revisionName: B, percent: 10 },
        { tag: 'blue', revisionName: B, percent: 10 }
      ],
      r20,
      true
    ],
    [
      'an extra revision with traffic',
      [...status(70, 20), { revisionName: 'x-1', percent: 10 }],
      r20,
      false
    ],
    [
      'promoted: all on the new current',
      [
        { tag: 'current', revisionName: B, percent: 100 },
        { tag: 'latest', revisionName: B, percent: 0, latestRevision: true }
      ],
      { current: B, percent: 0 },
      true
    ],
    ['promotion not yet shown', status(0, 100), { current: B, percent: 0 }, false],
    [
      'a user tag at 0% does not disturb',
      [...status(80, 20), { tag: 'blue', revisionName: 'x-1', percent: 0 }],
      r20,
      true
    ]
  ])('%s', (_name, traffic, release, expected) => {
    expect(statusShows(traffic, release)).toBe(expected)
  })
})

describe('mergeUserTags', () => {
  const r: Release = { current: A, candidate: B, percent: 10 }
  test.each<[string, TrafficTarget[] | undefined, TrafficTarget[]]>([
    ['no existing traffic', undefined, releaseToTraffic(r)],
    [
      'the default untagged route is replaced',
      [{ latestRevision: true, percent: 100 }],
      releaseToTraffic(r)
    ],
    [
      'our previous tags are replaced',
      releaseToTraffic({ current: 'old-1', candidate: A, percent: 50 }),
      releaseToTraffic(r)
    ],
    [
      'a user tag survives at 0%, after ours',
      [
        { tag: 'blue', revisionName: 'x-1', percent: 50 },
        { tag: 'green', revisionName: 'x-2', percent: 50 }
      ],
      [
        ...releaseToTraffic(r),
        { tag: 'blue', revisionName: 'x-1', percent: 0 },
        { tag: 'green', revisionName: 'x-2', percent: 0 }
      ]
    ],
    [
      'a user tag following latest keeps that',
      [
        { tag: 'preview', latestRevision: true, percent: 0 },
        { revisionName: A, percent: 100 }
      ],
      [...releaseToTraffic(r), { tag: 'preview', latestRevision: true, percent: 0 }]
    ],
    [
      'a status url is not carried into spec',
      [
        {
          tag: 'blue',
          revisionName: 'x-1',
          percent: 0,
          url: 'http://blue-hello.default.example.com'
        },
        { revisionName: A, percent: 100 }
      ],
      [...releaseToTraffic(r), { tag: 'blue', revisionName: 'x-1', percent: 0 }]
    ]
  ])('%s', (_name, existing, expected) => {
    const merged = mergeUserTags(existing, r)
    expect(merged).toEqual(expected)
    expect(sumIs100(merged)).toBe(true)
    expect(trafficToRelease(merged)).toEqual(r)
  })
})

describe('planSteps', () => {
  const steps = [10, 25, 50, 100]
  test.each<[string, number, number | undefined, StepPlan]>([
    [
      'a fresh candidate walks every step',
      0,
      undefined,
      { percents: [10, 25, 50, 100], pause: false }
    ],
    ['resuming mid-way walks the rest', 25, undefined, { percents: [50, 100], pause: false }],
    [
      'between steps (a release block at 20%)',
      20,
      undefined,
      { percents: [25, 50, 100], pause: false }
    ],
    ['at 100 nothing is left', 100, undefined, { percents: [], pause: false }],
    ['a pause ahead stops the walk there', 0, 50, { percents: [10, 25, 50], pause: true }],
    ['a pause at the first step', 0, 10, { percents: [10], pause: true }],
    ['already at the pause: nothing to walk, still paused', 50, 50, { percents: [], pause: true }],
    ['a pause behind was passed (promote resumed it)', 50, 25, { percents: [100], pause: false }]
  ])('%s', (_name, startPercent, pauseAt, expected) => {
    expect(planSteps({ steps, startPercent, pauseAt })).toEqual(expected)
  })
})

describe('sumIs100 and describeTraffic', () => {
  test.each<[string, TrafficTarget[] | undefined, boolean, string]>([
    [
      'the helloworld-csharp split',
      [
        { tag: 'current', revisionName: A, percent: 80 },
        { tag: 'candidate', revisionName: B, percent: 20 },
        latest
      ],
      true,
      `${A}:80 / ${B}:20`
    ],
    ['the default spec route', [{ latestRevision: true, percent: 100 }], true, '@latest:100'],
    [
      'shares summed per revision',
      [
        { revisionName: A, percent: 30 },
        { tag: 'x', revisionName: A, percent: 30 },
        { revisionName: B, percent: 40 }
      ],
      true,
      `${A}:60 / ${B}:40`
    ],
    [
      'absent percents count as 0',
      [{ revisionName: A, percent: 90 }, { revisionName: B }],
      false,
      `${A}:90`
    ],
    [
      'over 100',
      [
        { revisionName: A, percent: 90 },
        { revisionName: B, percent: 20 }
      ],
      false,
      `${A}:90 / ${B}:20`
    ],
    ['nothing', undefined, false, '(no traffic)']
  ])('%s', (_name, traffic, sums, text) => {
    expect(sumIs100(traffic)).toBe(sums)
    expect(describeTraffic(traffic)).toBe(text)
  })
})
