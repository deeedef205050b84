// Secrets never reach anything the action writes. Scenarios run through dist/ with known
// secret values — the kubeconfig's token, a wrong (expired) token, the GitHub token, a
// registry password — and everything written is scanned for each value and its base64
// forms: stdout (except the runner's `::add-mask::` commands, which is how masking works),
// stderr, $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY, $GITHUB_STATE, every object version the
// emulator stored (annotations included), its request log, and what was sent to GitHub.

import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { kubeconfigYaml } from '../../emulator/kubeconfig.js'
import { withEmulator } from '../helpers/emulator.js'
import { startGitHubServer, type FakeGitHub } from '../helpers/github-server.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { getJson, runAction, runCli, type DistRun } from '../helpers/dist-run.js'
import { recordFigures } from '../helpers/figures.js'
import { parseFileCommands } from '../helpers/file-commands.js'

const hex = () => randomBytes(16).toString('hex')
const KUBE_TOKEN = `kube-token-${hex()}`
const EXPIRED_TOKEN = `expired-token-${hex()}`
const GITHUB_TOKEN = `ghp_${hex()}`
const REGISTRY_USER = 'ci-bot'
const REGISTRY_PASSWORD = `registry-password-${hex()}`
const WRONG_REGISTRY_PASSWORD = `wrong-password-${hex()}`
const PROMETHEUS_TOKEN = `prom-token-${hex()}`
const PROMETHEUS_PASSWORD = `prom-password-${hex()}`

describe('secrets never reach logs, outputs, summaries or the cluster', () => {
  const emulator = withEmulator({
    rbac: {
      [KUBE_TOKEN]: {
        user: 'ci',
        rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]
      }
    }
  })
  let github: FakeGitHub
  let registry: TestRegistry
  let prometheus: Server
  let prometheusUrl: string
  let promJson: Server
  let promJsonUrl: string
  let dir: string
  const runs: { scenario: string; run: DistRun }[] = []

  const kubeconfig = (token = KUBE_TOKEN) =>
    kubeconfigYaml({ server: emulator().apiUrl, user: 'ci', token })
  /** Every secret in every form it could leak in. */
  const secrets = (): [string, string][] => {
    const values: [string, string][] = [
      ['kubeconfig token', KUBE_TOKEN],
      ['expired token', EXPIRED_TOKEN],
      ['github-token', GITHUB_TOKEN],
      ['registry password', REGISTRY_PASSWORD],
      ['wrong registry password', WRONG_REGISTRY_PASSWORD],
      ['prometheus-token', PROMETHEUS_TOKEN],
      ['prometheus-password', PROMETHEUS_PASSWORD]
    ]
    const forms: [string, string][] = []
    for (const [name, value] of values) {
      forms.push([name, value])
      forms.push([`${name} (base64)`, Buffer.from(value).toString('base64')])
      forms.push([`${name} (base64url)`, Buffer.from(value).toString('base64url')])
    }
    for (const password of [REGISTRY_PASSWORD, WRONG_REGISTRY_PASSWORD])
      forms.push([
        'registry basic auth',
        Buffer.from(`${REGISTRY_USER}:${password}`).toString('base64')
      ])
    forms.push([
      'prometheus basic auth',
      Buffer.from(`reader:${PROMETHEUS_PASSWORD}`).toString('base64')
    ])
    forms.push(['kubeconfig (base64)', Buffer.from(kubeconfig()).toString('base64')])
    return forms
  }

  const githubEnv = () => ({
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    GITHUB_RUN_ID: '42',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: join(dir, 'event.json')
  })
  const fast = () => ({
    steps: '20,100',
    'step-interval': '2s',
    'probe-rps': '20',
    timeout: '2m',
    'ingress-address': emulator().ingressUrl
  })
  const manifest = async (name: string, image: string, env: Record<string, string> = {}) => {
    const path = join(dir, `${name}.yaml`)
    const envYaml = Object.entries({ TARGET: 'sec', ...env })
      .map(([k, v]) => `\n            - {name: ${k}, value: "${v}"}`)
      .join('')
    const spec = `spec:\n  template:\n    spec:\n      containers:\n        - image: ${image}\n          env:${envYaml}\n`
    await writeFile(
      path,
      `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: sec}\n${spec}`
    )
    return path
  }
  const action = async (scenario: string, inputs: Record<string, string>) => {
    const run = await runAction(
      { 'github-token': GITHUB_TOKEN, environment: 'production', ...inputs },
      { env: githubEnv() }
    )
    runs.push({ scenario, run })
    return run
  }
  const cli = async (scenario: string, args: string[], kc = kubeconfig()) => {
    const file = join(dir, `kubeconfig-${runs.length}`)
    await writeFile(file, kc, { mode: 0o600 })
    const run = await runCli([...args, '--kubeconfig', file])
    runs.push({ scenario, run })
    return run
  }
  const resultOf = (run: DistRun) => parseFileCommands(run.files.output).result
  /** Exit status and `result` output; the run's own words when they are not as expected. */
  const expectEnded = (run: DistRun, code: number, result: string) => {
    if (run.code !== code || resultOf(run) !== result)
      throw new Error(
        `expected exit ${code} and result=${result}, got exit ${run.code} and result=${resultOf(run)}:\n${run.stdout}\n${run.stderr}`
      )
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'secrets-'))
    await writeFile(join(dir, 'event.json'), JSON.stringify({ pull_request: { number: 7 } }))
    github = await startGitHubServer()
    // A hostile "Prometheus" (or the proxy before it): refuses every query and quotes the
    // credentials it was sent in its error body, as some proxies do.
    prometheus = createServer((req, res) => {
      res.writeHead(401, { 'content-type': 'text/plain' })
      res.end(`invalid credentials: ${req.headers.authorization ?? 'none'}`)
    })
    await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve))
    prometheusUrl = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`
    // One that answers in Prometheus' own JSON, quoting the header in its `error` field.
    promJson = createServer((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          status: 'error',
          errorType: 'bad_data',
          error: `header rejected: Authorization: ${req.headers.authorization ?? 'none'}`
        })
      )
    })
    await new Promise<void>((resolve) => promJson.listen(0, '127.0.0.1', resolve))
    promJsonUrl = `http://127.0.0.1:${(promJson.address() as AddressInfo).port}`
    registry = await startRegistry({
      htpasswd: { user: REGISTRY_USER, password: REGISTRY_PASSWORD }
    })
  }, 60_000)
  afterAll(async () => {
    await github?.close()
    prometheus?.close()
    promJson?.close()
    await registry?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  test('the scenarios end as they should', async () => {
    const v1 = await action('first deploy', {
      manifest: await manifest('v1', 'ghcr.io/acme/sec:1'),
      'revision-name': 'sec-v1',
      kubeconfig: kubeconfig()
    })
    expectEnded(v1, 0, 'promoted')
    const v2 = await action('healthy rollout', {
      manifest: await manifest('v2', 'ghcr.io/acme/sec:2'),
      'revision-name': 'sec-v2',
      kubeconfig: kubeconfig(),
      ...fast()
    })
    expectEnded(v2, 0, 'promoted')
    const v3 = await action('rolled back', {
      manifest: await manifest('v3', 'ghcr.io/acme/sec:3', { EMULATOR_ERROR_RATE: '1' }),
      'revision-name': 'sec-v3',
      kubeconfig: kubeconfig(),
      ...fast()
    })
    expectEnded(v3, 1, 'rolled-back')
    const v4 = await action('paused', {
      manifest: await manifest('v4', 'ghcr.io/acme/sec:4'),
      'revision-name': 'sec-v4',
      'pause-at': '20',
      kubeconfig: kubeconfig(),
      ...fast()
    })
    expectEnded(v4, 0, 'paused')
    const status = await action('status (action)', {
      command: 'status',
      service: 'sec',
      kubeconfig: kubeconfig()
    })
    expectEnded(status, 0, 'paused')
    const cliStatus = await cli('status (CLI)', ['status', '--service', 'sec'])
    expect(cliStatus.code).toBe(0)
    const abort = await cli('abort (CLI)', ['abort', '--service', 'sec'])
    expect(abort.code).toBe(0)

    // Failures, where messages are most likely to quote what they were given.
    const broken = `apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user: {token: ${KUBE_TOKEN}\n`
    const badKc = await action('bad input: a broken kubeconfig holding the token', {
      service: 'sec',
      image: 'ghcr.io/acme/sec:5',
      kubeconfig: broken
    })
    expectEnded(badKc, 1, 'failed')
    const badKcCli = await cli(
      'bad input: a broken kubeconfig (CLI)',
      ['rollout', '--service', 'sec', '--image', 'ghcr.io/acme/sec:5'],
      broken
    )
    expect(badKcCli.code).toBe(1)
    const badSteps = await action('bad input: steps', {
      service: 'sec',
      image: 'ghcr.io/acme/sec:5',
      steps: '50,10',
      kubeconfig: kubeconfig()
    })
    expect(badSteps.code).toBe(1)
    const expired = await action('an expired token', {
      service: 'sec',
      image: 'ghcr.io/acme/sec:5',
      kubeconfig: kubeconfig(EXPIRED_TOKEN)
    })
    expectEnded(expired, 1, 'failed')
    expect(expired.stdout).toContain('401 Unauthorized')
    const expiredCli = await cli(
      'an expired token (CLI)',
      ['status', '--service', 'sec'],
      kubeconfig(EXPIRED_TOKEN)
    )
    expect(expiredCli.code).toBe(1)

    github.failWith = 401
    const githubDown = await action('GitHub refuses the token', {
      manifest: await manifest('v5', 'ghcr.io/acme/sec:5'),
      'revision-name': 'sec-v5',
      kubeconfig: kubeconfig(),
      ...fast()
    })
    github.failWith = undefined
    expectEnded(githubDown, 0, 'promoted')
    expect(githubDown.stdout).toContain('::warning::GitHub')

    const metrics = '- name: request-success-rate\n  thresholdRange: {min: 99}\n'
    for (const [scenario, credentials] of [
      ['Prometheus refuses the token', { 'prometheus-token': PROMETHEUS_TOKEN }],
      [
        'Prometheus refuses the password',
        { 'prometheus-username': 'reader', 'prometheus-password': PROMETHEUS_PASSWORD }
      ]
    ] as const) {
      const run = await action(scenario, {
        manifest: await manifest(`p${scenario.length}`, `ghcr.io/acme/sec:p${scenario.length}`),
        'revision-name': `sec-p${scenario.length}`,
        kubeconfig: kubeconfig(),
        'prometheus-url': prometheusUrl,
        metrics,
        ...credentials,
        ...fast()
      })
      // No metric data is never a pass: the candidate goes back.
      expect(run.code).toBe(1)
      expect(run.stdout).toContain('401')
    }

    for (const [scenario, credentials] of [
      ['Prometheus quotes the token in its JSON error', { 'prometheus-token': PROMETHEUS_TOKEN }],
      [
        'Prometheus quotes basic auth in its JSON error',
        { 'prometheus-username': 'reader', 'prometheus-password': PROMETHEUS_PASSWORD }
      ]
    ] as const) {
      const run = await action(scenario, {
        manifest: await manifest(`j${scenario.length}`, `ghcr.io/acme/sec:j${scenario.length}`),
        'revision-name': `sec-j${scenario.length}`,
        kubeconfig: kubeconfig(),
        'prometheus-url': promJsonUrl,
        metrics,
        ...credentials,
        ...fast()
      })
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(
        /refused the query: header rejected: Authorization: (Bearer|Basic) \*\*\*/
      )
    }

    const build = await action('a build with a wrong registry password', {
      service: 'sec',
      'build-context': 'test/fixtures/build/hello',
      image: `${registry.host}/acme/sec`,
      registry: registry.host,
      'registry-username': REGISTRY_USER,
      'registry-password': WRONG_REGISTRY_PASSWORD,
      'registry-insecure': 'true',
      kubeconfig: kubeconfig()
    })
    expectEnded(build, 1, 'failed')
    expect(build.stdout).toMatch(/^::error .*::registry .* authentication failed/m)
  }, 240_000)

  test('the runner is told to mask every secret it was given, before the first line it prints', () => {
    // Only the masks that precede every other line: a secret masked later could already
    // have been printed.
    const masked = (scenario: string) => {
      const lines = runs.find((r) => r.scenario === scenario)!.run.stdout.split('\n')
      const first = lines.findIndex((l) => !l.startsWith('::add-mask::'))
      return lines.slice(0, first).map((l) => l.slice('::add-mask::'.length))
    }
    expect(masked('healthy rollout')).toEqual(expect.arrayContaining([KUBE_TOKEN, GITHUB_TOKEN]))
    expect(masked('a build with a wrong registry password')).toContain(WRONG_REGISTRY_PASSWORD)
    expect(masked('Prometheus refuses the token')).toContain(PROMETHEUS_TOKEN)
    expect(masked('Prometheus refuses the password')).toContain(PROMETHEUS_PASSWORD)
    // Derived forms too: what the Authorization header carries.
    expect(masked('Prometheus refuses the password')).toContain(
      Buffer.from(`reader:${PROMETHEUS_PASSWORD}`).toString('base64')
    )
  })

  test('no secret in anything written: 0 leaks', async () => {
    expect(runs.length).toBeGreaterThanOrEqual(16)
    const places: [string, string][] = []
    for (const { scenario, run } of runs) {
      const stdout = run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n')
      places.push([`${scenario}: stdout`, stdout])
      places.push([`${scenario}: stderr`, run.stderr])
      places.push([`${scenario}: $GITHUB_OUTPUT`, run.files.output])
      places.push([`${scenario}: $GITHUB_STEP_SUMMARY`, run.files.summary])
      places.push([`${scenario}: $GITHUB_STATE`, run.files.state])
    }
    const history = await getJson(emulator().apiUrl, '/emulator/history')
    places.push(['the emulator: every object version', JSON.stringify(history)])
    places.push([
      'the emulator: the request log',
      JSON.stringify(await getJson(emulator().apiUrl, '/emulator/requests'))
    ])
    // What went to GitHub (the token rightly travels in the Authorization header only).
    places.push([
      'GitHub: request URLs and bodies',
      JSON.stringify(github.requests.map((r) => [r.url, r.body]))
    ])
    expect(github.requests.length).toBeGreaterThan(0)
    expect(github.requests[0].headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`)
    expect((history as unknown[]).length).toBeGreaterThan(0)
    // The places hold what they should (a scan of empty files would prove nothing).
    expect(runs.filter((r) => r.run.files.summary.includes('sec')).length).toBeGreaterThan(5)
    expect(JSON.stringify(history)).toContain('rollout.knative-rollout.dev')

    const leaks: string[] = []
    for (const [where, text] of places)
      for (const [name, value] of secrets())
        if (text.includes(value)) leaks.push(`${name} in ${where}`)
    recordFigures('secrets', {
      scenarios: runs.map((r) => r.scenario),
      placesScanned: places.length,
      secretForms: secrets().length,
      leaks: leaks.length,
      leaked: leaks
    })
    expect(leaks).toEqual([])
  })
})
