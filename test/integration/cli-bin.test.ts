// The `knative-rollout` bin as a user's shell runs it, from a package laid out as npm installs
// it (bin/, a fresh build of dist/, package.json, action.yml): on Node 22+ it is the CLI, with
// kubectl's habits (help per command, generated from action.yml beside it; --version; usage
// errors on stderr with exit 2); on an older Node it says which version it needs instead of
// crashing inside a dependency.

import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { parse } from 'yaml'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { workflowCommands } from '../helpers/workflow-commands.js'

let pkg: string
let BIN: string
beforeAll(() => {
  pkg = mkdtempSync(join(tmpdir(), 'cli-bin-'))
  execFileSync(process.execPath, ['scripts/build.mjs', join(pkg, 'dist')], { stdio: 'inherit' })
  mkdirSync(join(pkg, 'bin'))
  for (const file of ['bin/knative-rollout.js', 'package.json', 'action.yml'])
    copyFileSync(file, join(pkg, file))
  BIN = join(pkg, 'bin/knative-rollout.js')
}, 120_000)
afterAll(() => rmSync(pkg, { recursive: true, force: true }))

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmpdir() })

/** The machine's own Node (this project's tests run on the npm `node` package instead). */
function systemNode(): { path: string; major: number } | undefined {
  for (const path of ['/usr/bin/node', '/usr/local/bin/node']) {
    try {
      const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim()
      return { path, major: Number(version.replace(/^v/, '').split('.')[0]) }
    } catch {
      // not installed there
    }
  }
  return undefined
}

test('--help prints the usage on stdout, exit 0', () => {
  const run = cli('--help')
  expect(run.status).toBe(0)
  expect(run.stdout).toMatch(/^Usage: knative-rollout <command> \[flags\]/)
})

test('bare knative-rollout is a usage error: the usage on stderr, exit 2', () => {
  const run = cli()
  expect(run.status).toBe(2)
  expect(run.stdout).toBe('')
  expect(run.stderr).toMatch(/^Usage: knative-rollout <command> \[flags\]/)
})

test('rollout --help lists its flags with the defaults and words of the action.yml beside it', () => {
  const run = cli('rollout', '--help')
  expect(run.status).toBe(0)
  expect(run.stdout).toMatch(/^Usage: knative-rollout rollout \[flags\]/)
  expect(run.stdout).toContain('\n  --steps <value>  (default: 10,25,50,100)\n      The candidate')
  expect(run.stdout).toContain('\n  -n, --namespace <value>  (default: default)\n')
  expect(run.stdout).not.toContain('(described in action.yml)')
})

test('--version is package.json’s', () => {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8'))
  const run = cli('--version')
  expect(run.status).toBe(0)
  expect(run.stdout).toBe(`knative-rollout ${version}\n`)
})

test('a mistyped flag: the flag meant, on stderr, exit 2', () => {
  const run = cli('rollout', '--stpes', '10,100')
  expect(run.status).toBe(2)
  expect(run.stdout).toBe('')
  expect(run.stderr).toBe(
    '--stpes: not an input; did you mean --steps? see knative-rollout rollout --help\n'
  )
})

test('a bad input value is a usage error too: stderr, exit 2', () => {
  const run = cli('status', '-n', 'Not_A_Namespace', '--service', 'shop')
  expect(run.status).toBe(2)
  expect(run.stderr).toContain('namespace: "Not_A_Namespace" is not a namespace name')
})

test.each([
  ['a flag', ['rollout', '--stpes\n::error title=x::PWNED', '1'], 'error title'],
  [
    'an input value quoted by its parser',
    [
      'rollout',
      '--service',
      'shop',
      '--image',
      'ghcr.io/acme/shop:1',
      '--webhooks',
      '- name: g\n  type: pre-rollout\n  url: http://127.0.0.1:9/\n  retries: "1\\n::error title=x::PWNED"'
    ],
    'PWNED'
  ]
])(
  'a usage error quoting %s: no line of stderr a workflow command (a run: step reads it)',
  (_name, args, shown) => {
    const run = cli(...args)
    expect(run.status).toBe(2)
    expect(run.stderr).toContain(shown)
    expect(workflowCommands(run.stderr)).toEqual([])
  }
)

test('-o yaml and -o text from the bundle, against the emulator of the same build', async () => {
  const kubeconfig = join(pkg, 'kubeconfig')
  const emulator = spawn(
    process.execPath,
    [join(pkg, 'dist/emulator.js'), '--kubeconfig', kubeconfig],
    {
      stdio: ['ignore', 'pipe', 'ignore']
    }
  )
  try {
    await once(createInterface({ input: emulator.stdout! }), 'line')
    const status = (format: string) =>
      cli('status', '--service', 'absent', '--kubeconfig', kubeconfig, '-o', format)
    const yaml = status('yaml')
    expect([yaml.status, yaml.stderr]).toEqual([0, expect.stringContaining('does not exist')])
    expect(parse(yaml.stdout)).toMatchObject({ result: 'unchanged', revision: '', traffic: [] })
    const text = status('text')
    expect(text.status).toBe(0)
    expect(text.stdout).toMatch(
      /^result: +unchanged\nservice: +default\/absent\nmessage: +service "absent" does not exist/
    )
  } finally {
    emulator.kill('SIGTERM')
  }
})

const old = systemNode()
const onOldNode = old && old.major < 22 ? test : test.skip
onOldNode(
  `on the machine's Node ${old?.major ?? '(none older than 22)'}: says it needs 22, exit 1`,
  () => {
    const run = spawnSync(old!.path, [BIN, '--help'], { encoding: 'utf8' })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(
      /^knative-rollout needs Node\.js 22 or newer; this is Node\.js 2?\d\./
    )
    expect(run.stderr).not.toMatch(/TypeError|at file:/)
  }
)
