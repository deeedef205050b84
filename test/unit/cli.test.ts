// The CLI's command line (src/cli/args.ts): the action's input names as --flags, with
// kubectl's habits (-n, -o, -w), and usage errors that name the flag meant.

import { InputError } from '../../src/inputs.js'
import { parseArgs } from '../../src/cli/args.js'

test.each([
  [
    'a command and flags with values',
    ['rollout', '--service', 'shop', '--steps', '10,100'],
    'rollout',
    { service: 'shop', steps: '10,100' }
  ],
  ['--name=value', ['promote', '--service=shop'], 'promote', { service: 'shop' }],
  ['--name= is an empty value', ['promote', '--service='], 'promote', { service: '' }],
  [
    'a true/false flag alone is true',
    ['rollout', '--dry-run', '--service', 'shop', '--wait-for-lock'],
    'rollout',
    { 'dry-run': 'true', service: 'shop', 'wait-for-lock': 'true' }
  ],
  [
    'a true/false flag takes a following true or false',
    ['rollout', '--dry-run', 'false'],
    'rollout',
    { 'dry-run': 'false' }
  ],
  [
    'a true/false flag does not swallow the command after it',
    ['--dry-run', 'rollout'],
    'rollout',
    { 'dry-run': 'true' }
  ],
  [
    'a true/false flag takes another word, for parseInputs to refuse',
    ['rollout', '--dry-run', 'maybe'],
    'rollout',
    { 'dry-run': 'maybe' }
  ],
  [
    'a value that looks like a number',
    ['rollout', '--pause-at', '25'],
    'rollout',
    { 'pause-at': '25' }
  ],
  [
    'a value that starts with a dash',
    ['rollout', '--pause-at', '-5'],
    'rollout',
    { 'pause-at': '-5' }
  ],
  ['-n is --namespace', ['status', '-n', 'prod'], 'status', { namespace: 'prod' }],
  ['-n=value', ['status', '-n=prod'], 'status', { namespace: 'prod' }],
  [
    'the last of a repeated flag wins',
    ['status', '-n', 'a', '--namespace', 'b'],
    'status',
    { namespace: 'b' }
  ],
  ['flags before the command', ['--service', 'shop', 'abort'], 'abort', { service: 'shop' }],
  // Two terminals of one user on one Service: cli:<user>@<host>[eu] is not cli:<user>@<host>.
  ['--job-key, as the action input', ['rollout', '--job-key', 'eu'], 'rollout', { 'job-key': 'eu' }]
])('%s', (_name, argv, command, flags) => {
  const parsed = parseArgs(argv)
  expect(parsed.command).toBe(command)
  expect(Object.fromEntries(parsed.flags)).toEqual(flags)
})

test.each([
  ['json by default', ['status'], 'json'],
  ['-o yaml', ['status', '-o', 'yaml'], 'yaml'],
  ['-otext (kubectl’s joined form)', ['status', '-otext'], 'text'],
  ['-o=json', ['status', '-o=json'], 'json'],
  ['--output text', ['status', '--output', 'text'], 'text'],
  ['--output=yaml', ['rollout', '--output=yaml'], 'yaml']
])('output format: %s', (_name, argv, format) => {
  expect(parseArgs(argv).output).toBe(format)
})

test.each([
  ['--help after a command', ['rollout', '--help'], { help: true, command: 'rollout' }],
  ['-h alone', ['-h'], { help: true, command: undefined }],
  ['help <command>', ['help', 'status'], { help: true, command: 'status' }],
  ['--version', ['--version'], { version: true }],
  ['status --watch', ['status', '--watch'], { watch: true, command: 'status' }],
  ['status -w', ['status', '-w', '-n', 'prod'], { watch: true }],
  ['no arguments: no command', [], { command: undefined, help: false }]
])('%s', (_name, argv, expected) => {
  expect(parseArgs(argv)).toMatchObject(expected)
})

test.each([
  [
    'an unknown flag with nothing close',
    ['rollout', '--colour', 'red'],
    '--colour: not an input; see knative-rollout rollout --help'
  ],
  [
    'a typo of --steps',
    ['rollout', '--stpes', '10,100'],
    '--stpes: not an input; did you mean --steps? see knative-rollout rollout --help'
  ],
  ['one letter off', ['status', '--namespac', 'x'], 'did you mean --namespace?'],
  [
    'a prefix of an input',
    ['rollout', '--prometheus', 'http://p:9090'],
    'did you mean --prometheus-url?'
  ],
  ['a CLI flag misspelt', ['status', '--wacth'], 'did you mean --watch?'],
  ['an unknown flag before the command', ['--colour', 'red'], 'see knative-rollout --help'],
  [
    '--command (the command is positional)',
    ['rollout', '--command', 'abort'],
    '--command: not an input on the command line; the command is the first argument'
  ],
  [
    'an unknown short flag',
    ['status', '-x'],
    '-x: not a flag; the short flags are -n (--namespace)'
  ],
  [
    'a second positional argument',
    ['rollout', 'promote'],
    'unexpected argument "promote"; the command comes first'
  ],
  [
    'an unknown command',
    ['deploy'],
    'command: "deploy" is not a command; use one of rollout, promote, abort, status, preview'
  ],
  ['a misspelt command', ['rolout'], 'command: "rolout" is not a command; did you mean rollout?'],
  [
    'a flag without its value',
    ['rollout', '--steps'],
    '--steps: needs a value, e.g. --steps 10,25,50,100'
  ],
  [
    'a flag followed by a flag',
    ['status', '-n', '-o', 'json'],
    '-n: needs a value, e.g. -n default'
  ],
  [
    '-o with another format',
    ['status', '-o', 'xml'],
    '-o: "xml" is not an output format; use json, yaml, text'
  ],
  ['--watch on another command', ['rollout', '--watch'], '--watch: only with status'],
  ['a switch given a non-boolean', ['status', '--watch=soon'], '--watch: "soon" is not a boolean']
])('%s is refused', (_name, argv, message) => {
  expect(() => parseArgs(argv)).toThrow(InputError)
  expect(() => parseArgs(argv)).toThrow(message)
})
