// The CLI as a person runs it: on a terminal (a pseudo-terminal from util-linux's `script`)
// the status block is redrawn in place and coloured; with NO_COLOR, or through a pipe, each
// line carries its time and no escape code. Ctrl-C (SIGINT) or a kill (SIGTERM) mid-step puts
// the traffic back and exits 130 or 143, so `knative-rollout rollout ... && next` stops.

import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { eventually } from '../helpers/emulator.js'
import { NODE, ROOT } from '../helpers/child-run.js'
import { runCli } from '../helpers/dist-run.js'
import { e2eKit, serviceYaml, split } from '../helpers/e2e-kit.js'
import { readState } from '../../src/rollout/state.js'

const kit = e2eKit()
let kubeconfigFile = ''

beforeAll(async () => {
  kubeconfigFile = join(kit.emulator().kubeconfigPath + '.cli')
  await writeFile(kubeconfigFile, kit.kubeconfig(), { mode: 0o600 })
})

/** `rollout` flags for `name` at `version` against the emulator. */
async function rolloutArgs(name: string, version: string, extra: string[] = []) {
  const manifest = await kit.manifest(
    `${name}-${version}`,
    serviceYaml(name, `docker.io/acme/${name}:${version}`)
  )
  return [
    'rollout',
    '--manifest',
    manifest,
    '--revision-name',
    `${name}-${version}`,
    '--kubeconfig',
    kubeconfigFile,
    '--ingress-address',
    kit.emulator().ingressUrl,
    '--probe-rps',
    '20',
    '--max-latency-p99',
    '10s',
    '--timeout',
    '10m',
    ...extra
  ]
}

async function firstDeploy(name: string): Promise<void> {
  const run = await runCli(
    await rolloutArgs(name, 'v1', ['--steps', '20,100', '--step-interval', '2s'])
  )
  if (run.code !== 0) throw new Error(`first deploy of ${name}: exit ${run.code}\n${run.stderr}`)
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/** The CLI on a 40×120 pseudo-terminal: everything it drew, and its exit code. */
function onTerminal(
  args: string[],
  env: Record<string, string>
): Promise<{ code: number | null; screen: string }> {
  const command = `stty rows 40 cols 120; exec ${[NODE, 'dist/cli.js', ...args].map(quote).join(' ')}`
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: ROOT, TZ: 'UTC', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let screen = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (screen += c))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, screen }))
  })
}

const ESC = '\u001b'
const steps = ['--steps', '50,100', '--step-interval', '6s']

test('on a terminal: a coloured status block redrawn in place, then the result', async () => {
  await firstDeploy('tty')
  const { code, screen } = await onTerminal(await rolloutArgs('tty', 'v2', steps), {
    TERM: 'xterm-256color'
  })
  expect(code).toBe(0)
  // log-update's redraw: the previous frame's lines erased (erase line, cursor up).
  expect(screen).toContain(`${ESC}[2K${ESC}[1A`)
  // picocolors: yellow while progressing, the revisions in cyan, green at the end.
  expect(screen).toContain(`${ESC}[33m◌ Progressing${ESC}[39m`)
  expect(screen).toContain(`${ESC}[36mtty-v2${ESC}[39m`)
  expect(screen).toContain(`${ESC}[32m✔ promoted${ESC}[39m`)
  // What a person reads: the screen without its control sequences (CSI ... letter).
  const plain = screen.replace(new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, 'g'), '')
  expect(plain).toMatch(/Step {7}1\/1 {2}◌ 50% {2}· 100%/)
  expect(plain).toMatch(/Candidate {2}tty-v2 {2}50% {2}\d+ requests, 0 errors/)
  expect(plain).toMatch(/Current {4}tty-v1 {2}50% {2}\d+ requests, 0 errors/)
  expect(plain).toMatch(/Time {7}\d+s in, \d+s left/)
  expect(plain).toMatch(/^\[50%\] candidate \d+\/\d+ ok/m)
  expect(plain).toMatch(/"result":"promoted"/)
}, 60_000)

test('on a terminal with NO_COLOR: timestamped lines, no escape code at all', async () => {
  await firstDeploy('nocolor')
  const { code, screen } = await onTerminal(await rolloutArgs('nocolor', 'v2', steps), {
    TERM: 'xterm-256color',
    NO_COLOR: '1'
  })
  expect(code).toBe(0)
  expect(screen).not.toContain(ESC)
  const lines = screen.split(/\r?\n/).filter(Boolean)
  const progress = lines.filter((l) => /^\d\d:\d\d:\d\d step 1\/1 at 50%: /.test(l))
  // A 6 s step: a line per look (1.2 s), from 0 s to 6 s.
  expect(progress.length).toBeGreaterThanOrEqual(6)
  expect(progress.at(-1)).toMatch(
    /: candidate nocolor-v2 \d+ requests, 0 errors · current nocolor-v1 \d+ requests, 0 errors · \d+s in, \d+s left/
  )
  // Every line on stderr has its time; stdout's JSON result is the last line, as it was.
  expect(lines.slice(0, -1).every((l) => /^\d\d:\d\d:\d\d /.test(l))).toBe(true)
  expect(JSON.parse(lines.at(-1)!)).toMatchObject({ result: 'promoted' })
}, 60_000)

describe.each([
  { signal: 'SIGINT' as const, code: 130 },
  { signal: 'SIGTERM' as const, code: 143 }
])('$signal mid-step', ({ signal, code }) => {
  test(`traffic back on the current, then exit ${code}`, async () => {
    const name = `sig${code}`
    await firstDeploy(name)
    const child = spawn(
      NODE,
      [
        'dist/cli.js',
        ...(await rolloutArgs(name, 'v2', ['--steps', '20,100', '--step-interval', '60s']))
      ],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: ROOT },
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('close', (exitCode, sig) => resolve({ code: exitCode, signal: sig }))
    )
    // Some probes in: the 20% step is being analysed.
    await eventually(
      () => / step 1\/1 at 20%: candidate \S+ [1-9]\d* requests/.test(stderr),
      'the 20% step to report probes',
      30_000
    )
    child.kill(signal)
    expect(await exited).toEqual({ code, signal: null })
    expect(JSON.parse(stdout.trim())).toMatchObject({ result: 'aborted' })
    const left = await kit.service(name)
    expect(readState(left)).toMatchObject({ phase: 'aborted', percent: 0 })
    expect(split(left)).toEqual([
      `current:${name}-v1:100`,
      `candidate:${name}-v2:0`,
      `latest:${name}-v2:0`
    ])
  }, 60_000)
})
