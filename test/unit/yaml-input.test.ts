import { parseInputs, InputError } from '../../src/inputs.js'
import { nestsDeeperThan, MAX_YAML_DEPTH, parseYamlInput } from '../../src/yaml-input.js'

const deep = (levels: number) => '- ' + '['.repeat(levels) + ']'.repeat(levels)
const aliases = [
  'a: &a [x, x, x, x, x, x, x, x, x, x]',
  ...Array.from({ length: 12 }, (_, i) => `b${i}: [*a, *a, *a]`)
].join('\n')

describe('parseYamlInput: every YAML input is bounded', () => {
  test.each<[string, string, RegExp | undefined]>([
    ['a list is read', '- name: a\n- name: b', undefined],
    ['nesting at the bound is read', deep(MAX_YAML_DEPTH - 2), undefined],
    [
      'nesting past the bound is refused',
      deep(MAX_YAML_DEPTH + 1),
      /^metrics: nests deeper than 64 levels; refusing it$/
    ],
    ['too many aliases are refused', aliases, /^metrics: not valid YAML: .*alias/i],
    [
      'a parse error is one escaped line',
      'a: [\n::error::boom',
      /^metrics: not valid YAML: [^\n]*$/
    ]
  ])('%s', (_name, text, refused) => {
    if (refused) expect(() => parseYamlInput(text, 'metrics')).toThrow(refused)
    else expect(() => parseYamlInput(text, 'metrics')).not.toThrow()
  })
})

test.each(['metrics', 'webhooks'])(
  'the %s input refuses a too-deep document before anything runs',
  (input) => {
    const values: Record<string, string> = {
      service: 'shop',
      image: 'ghcr.io/acme/shop:1.0',
      'prometheus-url': 'http://prometheus:9090',
      [input]: deep(MAX_YAML_DEPTH + 5)
    }
    let problems: string[] = []
    try {
      parseInputs((name) => values[name])
    } catch (err) {
      if (err instanceof InputError) problems = err.problems
    }
    expect(problems).toEqual([`${input}: nests deeper than 64 levels; refusing it`])
  }
)

describe('nestsDeeperThan: nesting found before the parser builds it', () => {
  test.each<[string, string, boolean]>([
    ['at the bound', '['.repeat(3) + ']'.repeat(3), false],
    ['past the bound', '['.repeat(4) + ']'.repeat(4), true],
    ['brackets in quotes do not count', `a: "[[[[[" b: '{{{{{'`, false],
    ['brackets in a comment do not count', 'a: 1 # [[[[[[', false],
    ['mappings count too', '{a: {b: {c: {d: 1}}}}', true],
    ['siblings are not nesting', '[[1], [2], [3], [4], [5]]', false],
    ['block sequences opened on one line, at the bound', 'a:\n  - - - x\n', false],
    ['block sequences opened on one line, past it', 'a:\n  - - - - x\n', true],
    ['however far apart', '-\t  -     -      - x', true],
    ['explicit keys count too', '? - ? - x', true],
    ['a block indicator on each of many lines is not nesting', '- a\n'.repeat(10), false],
    ['a dash in a scalar is no indicator', '- -1 - - - -', false],
    ['a flow collection inside them adds up', '- - [[x]]', true],
    ['indicators in a quoted scalar do not count', 'a: "x\n- - - - - y"', false]
  ])('%s', (_name, text, deeper) => {
    expect(nestsDeeperThan(text, 3)).toBe(deeper)
  })
})
