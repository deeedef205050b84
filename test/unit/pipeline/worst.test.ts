import type { RolloutResult } from '../../../src/report/types.js'
import { SEVERITY, isFailure, reachedGoal, worstResult } from '../../../src/pipeline/worst.js'

describe('worstResult: failed > rolled-back > aborted > paused > previewed > promoted > unchanged', () => {
  test.each<{ name: string; results: RolloutResult[]; worst: RolloutResult }>([
    { name: 'none ran', results: [], worst: 'unchanged' },
    { name: 'all unchanged', results: ['unchanged', 'unchanged'], worst: 'unchanged' },
    { name: 'promoted beats unchanged', results: ['unchanged', 'promoted'], worst: 'promoted' },
    { name: 'paused beats promoted', results: ['promoted', 'paused', 'promoted'], worst: 'paused' },
    { name: 'aborted beats paused', results: ['paused', 'aborted'], worst: 'aborted' },
    {
      name: 'rolled-back beats aborted',
      results: ['aborted', 'rolled-back', 'promoted'],
      worst: 'rolled-back'
    },
    {
      name: 'failed beats everything',
      results: ['rolled-back', 'failed', 'paused'],
      worst: 'failed'
    },
    { name: 'order does not matter', results: ['failed', 'promoted'], worst: 'failed' },
    { name: 'previewed beats unchanged', results: ['unchanged', 'previewed'], worst: 'previewed' },
    {
      name: 'a cleanup (aborted) beats previewed',
      results: ['previewed', 'aborted'],
      worst: 'aborted'
    },
    { name: 'a failed preview beats previewed', results: ['previewed', 'failed'], worst: 'failed' }
  ])('$name', ({ results, worst }) => {
    expect(worstResult(results)).toBe(worst)
  })
})

describe('what gates a stage and what fail-fast stops on', () => {
  test.each<{ result: RolloutResult; next: boolean; failure: boolean }>([
    { result: 'promoted', next: true, failure: false },
    { result: 'unchanged', next: true, failure: false },
    { result: 'previewed', next: true, failure: false },
    { result: 'paused', next: false, failure: false },
    { result: 'aborted', next: false, failure: false },
    { result: 'rolled-back', next: false, failure: true },
    { result: 'failed', next: false, failure: true }
  ])('$result', ({ result, next, failure }) => {
    expect(reachedGoal(result)).toBe(next)
    expect(isFailure(result)).toBe(failure)
  })
})

test('every result has its place in the order, best first', () => {
  expect(SEVERITY).toEqual([
    'unchanged',
    'promoted',
    'previewed',
    'paused',
    'aborted',
    'rolled-back',
    'failed'
  ])
})
