// The CLI's command line: the action's input names as --flags.

import { InputError } from '../../src/inputs.js'
import { parseArgs } from '../../src/cli.js'

test.each([
  [
    'a command and flags with values',
    ['rollout', '--service', 'shop', '--steps', '10,100'],
    'rollout',
    { service: 'shop', steps: '10,100' }
  ],
  ['--name=value', ['promote', '--service=shop'], 'promote', { service: 'shop' }],
  [
    'a flag without a value is true',
    ['rollout', '--dry-run', '--service', 'shop', '--wait-for-lock'],
    'rollout',
    { 'dry-run': 'true', service: 'shop', 'wait-for-lock': 'true' }
  ],
  [
    'a value that looks like a number',
    ['rollout', '--pause-at', '25'],
    'rollout',
    { 'pause-at': '25' }
  ]
])('%s', (_name, argv, command, flags) => {
  const parsed = parseArgs(argv)
  expect(parsed.command).toBe(command)
  expect(Object.fromEntries(parsed.flags)).toEqual(flags)
})

test.each([
  ['an unknown flag', ['rollout', '--colour', 'red'], '--colour: not an input; see --help'],
  [
    '--command (the command is positional)',
    ['rollout', '--command', 'abort'],
    '--command: not an input; see --help'
  ],
  [
    'a second positional argument',
    ['rollout', 'promote'],
    'unexpected argument "promote"; see --help'
  ]
])('%s is refused', (_name, argv, message) => {
  expect(() => parseArgs(argv)).toThrow(InputError)
  expect(() => parseArgs(argv)).toThrow(message)
})

test('--help is recognised anywhere', () => {
  expect(parseArgs(['rollout', '--help']).help).toBe(true)
})
