// `knative-emulator`, the CLI: flag parsing in-process, then the real bundled binary as
// a child process (ready line, kubeconfig, clean exit on SIGTERM, exit 2 on bad flags).

import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { build } from 'esbuild'
import { parseCli } from '../../../../emulator/main.js'
import { KNATIVE_AUTOSCALING } from '../../../../emulator/knative/autoscaler.js'

describe('parseCli', () => {
  test.each([
    ['only the kubeconfig', ['--kubeconfig', '/k'], { kubeconfigPath: '/k', serveV1alpha1: false }],
    [
      'every flag',
      [
        '--kubeconfig',
        '/k',
        '--port',
        '8080',
        '--ingress-port',
        '0',
        '--domain',
        'kn.test',
        '--status-delay-ms',
        '5',
        '--serve-v1alpha1'
      ],
      {
        kubeconfigPath: '/k',
        port: 8080,
        ingressPort: 0,
        domain: 'kn.test',
        statusDelayMs: 5,
        serveV1alpha1: true
      }
    ],
    ['the = form', ['--kubeconfig=/k', '--port=1'], { kubeconfigPath: '/k', port: 1 }],
    [
      'scale to zero off',
      ['--kubeconfig', '/k', '--no-scale-to-zero'],
      { autoscaling: { scaleToZero: false } }
    ],
    [
      'shorter autoscaler windows and cold start',
      [
        '--kubeconfig=/k',
        '--stable-window-ms=6000',
        '--grace-period-ms=1000',
        '--cold-start-ms=200'
      ],
      { autoscaling: { stableWindowMs: 6000, gracePeriodMs: 1000, coldStartMs: 200 } }
    ]
  ])('%s', (_name, argv, expected) => {
    const cli = parseCli(argv)
    expect(cli.help).toBe(false)
    expect(cli.help === false && cli.options).toMatchObject(expected)
  })

  test("no autoscaler flag keeps Knative's defaults: scale to zero on (autoscaler.ts)", () => {
    const cli = parseCli(['--kubeconfig', '/k'])
    expect(cli.help === false && cli.options.autoscaling).toEqual({})
    expect(KNATIVE_AUTOSCALING).toMatchObject({
      scaleToZero: true,
      stableWindowMs: 60_000,
      gracePeriodMs: 30_000
    })
  })

  test('--help', () => {
    expect(parseCli(['--help'])).toEqual({ help: true })
  })

  test.each([
    ['no kubeconfig', [], '--kubeconfig PATH is required'],
    ['an unknown flag', ['--kubeconfig', '/k', '--bogus'], "Unknown option '--bogus'"],
    [
      'a port that is not a number',
      ['--kubeconfig', '/k', '--port', 'abc'],
      '--port must be a whole number from 0 to 65535, got "abc"'
    ],
    [
      'a port out of range',
      ['--kubeconfig', '/k', '--ingress-port', '70000'],
      '--ingress-port must be a whole number from 0 to 65535, got "70000"'
    ],
    [
      'a negative delay',
      ['--kubeconfig', '/k', '--status-delay-ms=-1'],
      '--status-delay-ms must be a whole number'
    ],
    [
      'a bad domain',
      ['--kubeconfig', '/k', '--domain', 'Not A Domain'],
      '--domain must be a DNS name'
    ],
    [
      'scale to zero both on and off',
      ['--kubeconfig', '/k', '--scale-to-zero', '--no-scale-to-zero'],
      'contradict each other'
    ],
    [
      'a stable window that is not a number',
      ['--kubeconfig', '/k', '--stable-window-ms', '60s'],
      '--stable-window-ms must be a whole number from 0 to 3600000, got "60s"'
    ],
    ['a positional argument', ['--kubeconfig', '/k', 'extra'], 'Unexpected argument']
  ])('%s is a usage error', (_name, argv, message) => {
    expect(() => parseCli(argv)).toThrow(
      expect.objectContaining({ message: expect.stringContaining(message) })
    )
  })
})

describe('the knative-emulator binary', () => {
  let dir: string
  let bin: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'emulator-cli-'))
    bin = join(dir, 'emulator.mjs')
    await build({
      entryPoints: [resolve('emulator/main.ts')],
      outfile: bin,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
      }
    })
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  const run = (args: string[]) =>
    spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exitOf = (child: ReturnType<typeof run>) =>
    new Promise<number | null>((r) => child.on('exit', (code) => r(code)))

  test('prints one ready line, serves the API, writes a private kubeconfig and exits 0 on SIGTERM', async () => {
    const kubeconfig = join(dir, 'kubeconfig')
    const child = run(['--kubeconfig', kubeconfig, '--status-delay-ms', '0'])
    const exited = exitOf(child)
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
    const ready = JSON.parse((await lines.next()).value as string)
    expect(Object.keys(ready)).toEqual(['api', 'ingress', 'kubeconfig'])
    expect(ready.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(ready.ingress).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(ready.kubeconfig).toBe(kubeconfig)
    expect((await stat(kubeconfig)).mode & 0o777).toBe(0o600)
    expect(await readFile(kubeconfig, 'utf8')).toContain(`server: ${ready.api}`)
    expect(((await (await fetch(`${ready.api}/version`)).json()) as any).gitVersion).toContain(
      'knative-emulator'
    )
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  test.each([
    ['an unknown flag', ['--kubeconfig', '/tmp/x', '--nope'], 2],
    ['a missing kubeconfig', [], 2],
    ['--help', ['--help'], 0]
  ])('%s exits %d', async (_name, args, code) => {
    const child = run(args)
    let stderr = ''
    let stdout = ''
    child.stderr!.on('data', (d) => (stderr += d))
    child.stdout!.on('data', (d) => (stdout += d))
    expect(await exitOf(child)).toBe(code)
    if (code === 2) expect(stderr).toMatch(/^knative-emulator: .+\n\nUsage: knative-emulator/)
    else expect(stdout).toContain('Usage: knative-emulator --kubeconfig PATH')
  })
})
