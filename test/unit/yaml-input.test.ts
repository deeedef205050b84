import { parseInputs, InputError } from '../../src/inputs.js'
import { MAX_YAML_DEPTH, parseYamlInput } from '../../src/yaml-input.js'

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
