// The state annotations: what is written reads back the same; what cannot be read is "no state".

import type { KService } from '../../../src/knative/types.js'
import {
  HISTORY_LIMIT,
  readLease,
  readState,
  STATE_PREFIX,
  withEvent,
  writeLease,
  writeState,
  type RolloutState
} from '../../../src/rollout/state.js'

const svc = (annotations: Record<string, string> = {}): KService => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'shop', annotations },
  spec: { template: { spec: { containers: [{ image: 'x' }] } } }
})

const paused: RolloutState = {
  phase: 'paused',
  current: 'shop-v1',
  candidate: 'shop-v2',
  percent: 25,
  steps: [10, 25, 50, 100],
  failures: 1,
  image: 'ghcr.io/acme/shop@sha256:abc',
  reason: 'paused at 25%',
  history: [{ at: 1, event: 'step 25%', by: 'run 1' }]
}

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
