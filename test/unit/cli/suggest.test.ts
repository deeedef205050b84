// "Did you mean": the edit distance and the choice of the nearest name.

import { closest, editDistance } from '../../../src/cli/suggest.js'

test.each([
  ['equal', 'steps', 'steps', 0],
  ['one substitution', 'steps', 'stepz', 1],
  ['one insertion', 'step', 'steps', 1],
  ['one deletion', 'namespacee', 'namespace', 1],
  ['two neighbours swapped is one edit', 'stpes', 'steps', 1],
  ['unrelated', 'colour', 'steps', 6],
  ['from empty', '', 'abc', 3]
])('%s: %s → %s = %d', (_name, a, b, d) => {
  expect(editDistance(a, b)).toBe(d)
  expect(editDistance(b, a)).toBe(d)
})

const KNOWN = ['service', 'steps', 'step-interval', 'prometheus-url', 'image', 'tags', 'target']

test.each([
  ['a typo', 'stesp', 'steps'],
  ['the nearest of two', 'step-intervall', 'step-interval'],
  ['a prefix', 'prometheus', 'prometheus-url'],
  ['a short name, one edit', 'tag', 'tags'],
  ['a short name two edits away is no match', 'tg', undefined],
  ['nothing close', 'colour', undefined],
  ['a short prefix is not enough', 'st', undefined]
])('%s: %s → %s', (_name, typed, expected) => {
  expect(closest(typed, KNOWN)).toBe(expected)
})
