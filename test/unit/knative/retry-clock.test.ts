import { backoffDelay, DEFAULT_RETRY } from '../../../src/knative/retry.js'
import { wallClock } from '../../../src/clock.js'

describe('backoffDelay (equal jitter, capped)', () => {
  const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 }
  test.each([
    { name: 'first retry, no jitter', attempt: 1, random: 0, expected: 50 },
    { name: 'first retry, full jitter', attempt: 1, random: 1, expected: 100 },
    { name: 'third retry doubles twice', attempt: 3, random: 0.5, expected: 300 },
    { name: 'capped at maxDelayMs', attempt: 10, random: 1, expected: 1000 },
    { name: 'capped, lowest', attempt: 10, random: 0, expected: 500 }
  ])('$name', ({ attempt, random, expected }) => {
    expect(backoffDelay(attempt, policy, () => random)).toBe(expected)
  })
})

describe('wallClock.sleep', () => {
  test.each([
    { name: 'already aborted', abortBefore: true },
    { name: 'aborted while sleeping', abortBefore: false }
  ])('$name: rejects with the reason', async ({ abortBefore }) => {
    const controller = new AbortController()
    if (abortBefore) controller.abort(new Error('stop'))
    const sleeping = wallClock.sleep(60_000, controller.signal)
    controller.abort(new Error('stop'))
    await expect(sleeping).rejects.toThrow('stop')
  })

  test('resolves', async () => {
    await expect(wallClock.sleep(1)).resolves.toBeUndefined()
  })
})
