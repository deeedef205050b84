import { durationProblem, formatDuration, parseDuration } from '../../src/duration.js'

describe('parseDuration', () => {
  test.each<[string, string, number]>([
    ['seconds', '30s', 30_000],
    ['minutes', '2m', 120_000],
    ['hours and minutes', '1h30m', 5_400_000],
    ['milliseconds', '1500ms', 1_500],
    ['a fraction', '1.5h', 5_400_000],
    ['a leading-dot fraction', '.5s', 500],
    ['every unit at once', '1h2m3s4ms', 3_723_004],
    ['zero', '0s', 0],
    ['surrounding spaces', ' 10s ', 10_000]
  ])('%s: %s', (_name, text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  test.each<[string, string, string]>([
    ['empty', '', 'is empty'],
    ['negative', '-1s', 'is negative'],
    ['an unknown unit', '10x', 'cannot read "10x" (use a number and a unit: ms, s, m or h)'],
    ['no unit', '30', 'has no unit after 30 (use ms, s, m or h)'],
    ['a trailing number', '1m30', 'has no unit after 30 (use ms, s, m or h)'],
    ['days are not a unit', '1d', 'cannot read "1d" (use a number and a unit: ms, s, m or h)'],
    ['a space inside', '1m 30s', 'cannot read " 30s" (use a number and a unit: ms, s, m or h)'],
    ['two dots', '1.5.5s', 'cannot read "1.5.5s" (use a number and a unit: ms, s, m or h)']
  ])('refuses %s', (_name, text, problem) => {
    expect(() => parseDuration(text)).toThrow(problem)
    expect(durationProblem(text)).toBe(problem)
  })
})

describe('formatDuration', () => {
  test.each<[number, string]>([
    [0, '0s'],
    [250, '250ms'],
    [1_500, '1.5s'],
    [30_000, '30s'],
    [90_000, '1m30s'],
    [120_000, '2m'],
    [3_600_000, '1h'],
    [5_400_000, '1h30m'],
    [3_605_000, '1h0m5s']
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
    expect(parseDuration(text)).toBe(ms)
  })
})
