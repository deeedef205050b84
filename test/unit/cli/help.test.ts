// The CLI's help, generated from action.yml: each command lists the flags it reads, each with
// its default and the description action.yml gives it.

import { readFileSync } from 'node:fs'
import { COMMANDS, INPUT_NAMES } from '../../../src/inputs.js'
import { inputDocs, type InputDoc } from '../../../src/cli/action-metadata.js'
import { commandHelp, USAGE, wrap } from '../../../src/cli/help.js'
import { GROUPS } from '../../../src/cli/commands.js'

const docs = inputDocs(readFileSync(new URL('../../../action.yml', import.meta.url), 'utf8'))
const plain = (d: InputDoc) => d.description.replace(/`/g, '').replace(/\s+/g, ' ')
/** Wide enough that no description wraps: one line each. */
const UNWRAPPED = 100_000

test('action.yml is read whole: every input, with its description and default', () => {
  expect(docs.map((d) => d.name)).toEqual(INPUT_NAMES)
  expect(docs.find((d) => d.name === 'steps')).toMatchObject({ default: '10,25,50,100' })
  expect(docs.every((d) => d.description.length > 20)).toBe(true)
})

/** Inputs only `preview` takes (parsePreviewInputs refuses them elsewhere). */
const PREVIEW_ONLY = ['cleanup', 'pull-request']

describe('rollout --help', () => {
  const help = commandHelp('rollout', docs, INPUT_NAMES, UNWRAPPED)
  test.each(
    docs
      .filter((d) => d.name !== 'command' && !PREVIEW_ONLY.includes(d.name))
      .map((d) => [d.name, d] as const)
  )('lists --%s with its description and default', (name, d) => {
    const def =
      d.default && d.default !== 'false' && !d.default.includes('${{')
        ? `  (default: ${d.default})`
        : ''
    const switchFlag = d.default === 'false' || d.default === 'true'
    const heading = `${name === 'namespace' ? '-n, ' : ''}--${name}${switchFlag ? '' : ' <value>'}${def}`
    expect(help).toContain(`\n  ${heading}\n      ${plain(d)}`)
  })
  test('lists the output flags, not --watch', () => {
    expect(help).toContain('-o, --output json|yaml|text  (default: json)')
    expect(help).not.toContain('--watch')
  })
})

test.each([
  [
    'status',
    ['--service', '-n, --namespace', '--kubeconfig', '-w, --watch', '-o, --output'],
    ['--steps', '--image', '--prometheus-url', '--dry-run']
  ],
  [
    'abort',
    ['--service', '--force', '--wait-for-lock'],
    ['--steps', '--build-context', '--probe-rps']
  ],
  ['promote', ['--steps', '--probe-rps', '--prometheus-url'], ['--build-context', '--image']],
  [
    'preview',
    ['--pull-request', '--cleanup', '--image', '--build-context', '--probe-path'],
    ['--pause-at', '--steps']
  ],
  ['rollout', ['--steps', '--image'], ['--cleanup', '--pull-request']]
] as const)('%s --help lists its own flags only', (command, present, absent) => {
  const help = commandHelp(command, docs, INPUT_NAMES)
  expect(help).toMatch(new RegExp(`^Usage: knative-rollout ${command} \\[flags\\]`))
  for (const flag of present) expect(help).toContain(`\n  ${flag}`)
  // A switch ends its line; a flag with a value has a space after it.
  for (const flag of absent) expect(help).not.toMatch(new RegExp(`\\n  ${flag}[ \\n]`))
})

test('an input no group names yet is listed under Other, for every command', () => {
  const extra: InputDoc = { name: 'keep-going', description: 'Go on.', default: 'false' }
  for (const command of COMMANDS) {
    const help = commandHelp(command, [...docs, extra], [...INPUT_NAMES, 'keep-going'])
    expect(help).toContain('\nOther:\n  --keep-going\n      Go on.')
  }
})

test('every input of action.yml is in a group: no command’s help has an Other section', () => {
  for (const command of COMMANDS)
    expect(commandHelp(command, docs, INPUT_NAMES)).not.toContain('\nOther:')
})

test('the groups name inputs of action.yml only', () => {
  const names = Object.values(GROUPS).flatMap((g) => g.inputs)
  expect(names.filter((n) => !INPUT_NAMES.includes(n))).toEqual([])
  expect(new Set(names).size).toBe(names.length)
})

test('without action.yml the flags and their names are still listed', () => {
  const help = commandHelp('status', undefined, INPUT_NAMES)
  expect(help).toContain('\n  -n, --namespace <value>\n      (described in action.yml)')
})

test('the command-line notes are added to action.yml’s words', () => {
  expect(commandHelp('status', docs, INPUT_NAMES, UNWRAPPED)).toContain(
    'Never logged. On the command line: a file path, or the content.'
  )
})

test('descriptions wrap within the width, indented (a flag’s own line and examples do not)', () => {
  const lines = commandHelp('rollout', docs, INPUT_NAMES, 72).split('\n')
  const prose = lines.filter((l) => !/^ {2}(-|knative-rollout )/.test(l))
  expect(prose.filter((l) => l.length > 72)).toEqual([])
  expect(prose.filter((l) => l.startsWith('      ')).length).toBeGreaterThan(100)
  expect(wrap('aaa bbb ccc', 9, '  ')).toEqual(['  aaa bbb', '  ccc'])
})

test('the usage names every command and points at per-command help', () => {
  for (const command of COMMANDS) expect(USAGE).toContain(`\n  ${command.padEnd(9)} `)
  expect(USAGE).toContain('knative-rollout <command> --help')
})
