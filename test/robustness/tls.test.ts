// TLS to the API server, through dist/: verification is on unless `tls-insecure` turns it
// off (with a warning). The emulator serves its API over HTTPS with a self-signed
// certificate made at start; its kubeconfig carries that certificate as the CA.

import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { kubeconfigYaml } from '../../emulator/kubeconfig.js'
import { startTestEmulator, withEmulator, type TestEmulator } from '../helpers/emulator.js'
import {
  auditLog,
  getJson,
  runAction,
  runCli,
  writesIn,
  type DistRun
} from '../helpers/dist-run.js'
import { recordFigures } from '../helpers/figures.js'
import { parseFileCommands } from '../helpers/file-commands.js'

describe('the API server over HTTPS', () => {
  const emulator = withEmulator({ tls: true })
  let other: TestEmulator
  let token: string
  beforeAll(async () => {
    other = await startTestEmulator({ tls: true })
    token = /token: (\S+)/.exec(await readFile(emulator().kubeconfigPath, 'utf8'))![1]
  })
  afterAll(() => other?.stop())

  /** The emulator's server and token, trusting `ca` (none: no CA data at all). */
  const kubeconfig = (ca?: string) =>
    kubeconfigYaml({ server: emulator().apiUrl, user: 'ci', token, ca })
  const deploy = (service: string, kc: string, extra: Record<string, string> = {}) =>
    runAction({
      command: 'rollout',
      service,
      image: `ghcr.io/acme/${service}:1`,
      'revision-name': `${service}-v1`,
      kubeconfig: kc,
      ...extra
    })
  const result = (run: DistRun) => parseFileCommands(run.files.output).result
  const writeCount = async () => writesIn(await auditLog(emulator().apiUrl, emulator().ca)).length
  const outcomes: Record<string, boolean> = {}

  afterAll(() => recordFigures('tls', outcomes))

  test('the kubeconfig carries the certificate as its CA; the API answers on https', () => {
    expect(emulator().apiUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(kubeconfig(emulator().ca)).toContain('certificate-authority-data:')
    expect(kubeconfig(emulator().ca)).not.toContain('insecure-skip-tls-verify')
  })

  test('with the right CA, a rollout works and no warning is printed', async () => {
    const run = await deploy('trusted', kubeconfig(emulator().ca))
    outcomes.rightCaWorks = run.code === 0 && result(run) === 'promoted'
    expect([run.code, result(run)]).toEqual([0, 'promoted'])
    expect(run.stdout).not.toContain('tls-insecure')
  })

  test.each([
    ['no CA data in the kubeconfig', () => kubeconfig()],
    ["another server's CA", () => kubeconfig(other.ca)]
  ])('with %s, it fails before any write, naming the server', async (name, kc) => {
    const before = await writeCount()
    const run = await deploy(`untrusted-${name.length}`, kc())
    const text = run.stdout + run.stderr
    expect(run.code).toBe(1)
    expect(result(run)).toBe('failed')
    expect(text).toContain(
      `cannot verify the TLS certificate of the Kubernetes API server at ${emulator().apiUrl}`
    )
    expect(text).toContain('set tls-insecure: true to skip verification')
    expect(await writeCount()).toBe(before)
    expect(await auditLog(emulator().apiUrl, emulator().ca)).not.toContainEqual(
      expect.objectContaining({ path: expect.stringContaining(`untrusted-${name.length}`) })
    )
    outcomes[`untrusted (${name}) refused`] = run.code === 1
  })

  test('the CLI says the same', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'tls-')), 'kubeconfig')
    await writeFile(file, kubeconfig(), { mode: 0o600 })
    const run = await runCli(['status', '--service', 'trusted', '--kubeconfig', file])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      `cannot verify the TLS certificate of the Kubernetes API server at ${emulator().apiUrl}`
    )
  })

  test('tls-insecure: true works without the CA, with a warning', async () => {
    const run = await deploy('insecure', kubeconfig(), { 'tls-insecure': 'true' })
    outcomes.tlsInsecureWorksWithWarning = run.code === 0 && run.stdout.includes('::warning::')
    expect([run.code, result(run)]).toEqual([0, 'promoted'])
    expect(run.stdout).toContain(
      `::warning::tls-insecure: the certificate of the Kubernetes API server at ${emulator().apiUrl} is not verified`
    )
  })
})

describe('knative-emulator --tls', () => {
  test('serves https and writes a kubeconfig that trusts it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emulator-cli-tls-'))
    const path = join(dir, 'kubeconfig')
    const child = spawn(process.execPath, ['dist/emulator.js', '--kubeconfig', path, '--tls'], {
      cwd: new URL('../../', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'inherit']
    })
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve)
        child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)))
      })
      const ready = JSON.parse(line) as { api: string }
      expect(ready.api).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      const kc = await readFile(path, 'utf8')
      const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(kc)![1], 'base64').toString()
      // The kubeconfig's CA is what the server presents: a request trusting only it succeeds.
      const discovery = (await getJson(ready.api, '/emulator/settings', ca)) as { domain?: string }
      expect(discovery.domain).toBe('example.com')
    } finally {
      child.kill('SIGTERM')
      await rm(dir, { recursive: true, force: true })
    }
  })
})
