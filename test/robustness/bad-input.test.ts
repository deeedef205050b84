// Hostile and mistaken input, through the built entries (dist/cli.js, and dist/index.js with
// INPUT_*), against a running emulator. Every case must be answered by a message naming the
// input, a non-zero exit, bounded time and memory, and no write to the cluster: each case
// authenticates with its own token, so the emulator's audit log says exactly which requests
// it made. The bounds are safety limits, not performance claims.

import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { kubeconfigYaml } from '../../emulator/kubeconfig.js'
import { startTestEmulator, withEmulator, type TestEmulator } from '../helpers/emulator.js'
import {
  auditLog,
  inPool,
  runAction,
  runCli,
  writesIn,
  type AuditEntry,
  type DistRun
} from '../helpers/dist-run.js'
import { recordFigures } from '../helpers/figures.js'
import { parseFileCommands } from '../helpers/file-commands.js'

const MAX_WALL_MS = 15_000
const MAX_RSS_MB = 300
/** A named pipe nobody writes to: opening it for reading would block. */
const FIFO = join(tmpdir(), `bad-input-fifo-${process.pid}`)
/** A checkout holding a symlink to a file outside it (a pull request can commit one). */
const WORKSPACE = join(tmpdir(), `bad-input-workspace-${process.pid}`)
const OUTSIDE_SECRET = `AWS_SECRET_ACCESS_KEY=${randomBytes(8).toString('hex')}`
const CONCURRENCY = 4

interface CaseRun {
  run: DistRun
  message: string
  writes: AuditEntry[]
}

interface Ctx {
  /** This case's own kubeconfig (content), authenticating as `case-<n>`. */
  kubeconfig: string
  emulator: TestEmulator
  tls: TestEmulator
  closedPort: number
}

interface Case {
  name: string
  entry: 'cli' | 'action'
  command?: string
  inputs?: Record<string, string>
  /** Manifest content, written to a file and passed as the manifest input. */
  manifest?: string | (() => string)
  /** Replaces the case's kubeconfig (content). */
  kubeconfig?: (ctx: Ctx) => string
  /** A fragment of the message, verbatim. */
  message: string | ((ctx: Ctx) => string)
  /** A value that must not appear in the output (a password given by mistake). */
  absent?: string
  /** Default: the CLI's 2 for a bad command line, else 1. */
  exit?: number
  /** Extra environment for the run (GITHUB_WORKSPACE). */
  env?: Record<string, string>
}

const BASE = {
  service: 'shop',
  image: 'ghcr.io/acme/shop:3',
  steps: '10,100',
  'step-interval': '1s'
}
const ksvc = (extra = '') => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: shop
${extra}spec:
  template:
    spec:
      containers:
        - image: ghcr.io/acme/shop:3
`
const aliasBomb = () => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries()) {
    const prev = 'abcdefghi'[i]
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`)
  }
  return lines.join('\n') + '\n'
}
const httpKubeconfig = (server: string, token = 'x', insecure = true) => {
  const yaml = kubeconfigYaml({ server, user: 'u', token })
  return insecure ? yaml : yaml.replace(/\n\s*insecure-skip-tls-verify: true/, '')
}

const cli = (name: string, inputs: Record<string, string>, message: string, exit = 2): Case => ({
  name,
  entry: 'cli',
  inputs: { ...BASE, ...inputs },
  message,
  exit
})

const CASES: Case[] = [
  // ---- the command line and the inputs -----------------------------------------------
  {
    name: 'an unknown command',
    entry: 'cli',
    command: 'deploy',
    inputs: BASE,
    message: 'command: "deploy" is not a command',
    exit: 2
  },
  {
    name: 'an unknown flag',
    entry: 'cli',
    inputs: { ...BASE, colour: 'red' },
    message: '--colour: not an input',
    exit: 2
  },
  cli(
    'steps not increasing',
    { steps: '10,5,100' },
    'steps: "10,5,100" must be strictly increasing percents ending at 100 (5 comes after 10)'
  ),
  cli(
    'a step above 100',
    { steps: '10,150' },
    'steps: "10,150" must be strictly increasing percents ending at 100 (150 is outside 1..100)'
  ),
  cli('steps not ending at 100', { steps: '10,50' }, 'the last is 50'),
  cli('a step that is not a number', { steps: '10,ten,100' }, '"ten" is not a whole number'),
  cli('a negative step', { steps: '-10,100' }, '"-10" is not a whole number'),
  cli(
    'no steps at all',
    { steps: ',' },
    'steps: "," must be strictly increasing percents ending at 100 (none given)'
  ),
  cli(
    'pause-at not among the steps',
    { steps: '10,25,50,100', 'pause-at': '30' },
    'pause-at: "30" is not one of the steps'
  ),
  cli(
    'pause-at 100',
    { 'pause-at': '100' },
    'pause-at: "100" must be a whole percent from 1 to 99'
  ),
  cli(
    'a step-interval without a unit',
    { 'step-interval': '30' },
    'step-interval: "30" is not a duration: it has no unit after 30'
  ),
  cli(
    'a step-interval of words',
    { 'step-interval': 'soon' },
    'step-interval: "soon" is not a duration'
  ),
  cli(
    'a zero step-interval',
    { 'step-interval': '0s' },
    'step-interval: "0s" must be longer than 0'
  ),
  cli('a negative timeout', { timeout: '-5m' }, 'timeout: "-5m" is not a duration: it is negative'),
  cli(
    'an absurdly long timeout',
    { timeout: `${'9'.repeat(400)}h` },
    'is not a duration: it is too long'
  ),
  cli(
    'a timeout shorter than the analysis',
    { steps: '10,50,100', 'step-interval': '1m', timeout: '2m' },
    'timeout: "2m" is shorter than the analysis alone'
  ),
  cli(
    'probe-rps not a number',
    { 'probe-rps': 'lots' },
    'probe-rps: "lots" must be a number of requests per second'
  ),
  cli(
    'probe-rps far too high',
    { 'probe-rps': '100000' },
    'probe-rps: "100000" must be a number of requests per second from 0 to 1000'
  ),
  cli(
    'min-success-rate above 1',
    { 'min-success-rate': '1.5' },
    'min-success-rate: "1.5" must be a share from 0 to 1'
  ),
  cli(
    'min-requests negative',
    { 'min-requests': '-1' },
    'min-requests: "-1" must be a whole number'
  ),
  cli(
    'failure-threshold 0',
    { 'failure-threshold': '0' },
    'failure-threshold: "0" must be a whole number ≥ 1'
  ),
  cli(
    'a huge failure-threshold',
    { 'failure-threshold': '1e400' },
    'failure-threshold: "1e400" must be a whole number'
  ),
  cli(
    'max-latency-p99 not a duration',
    { 'max-latency-p99': 'fast' },
    'max-latency-p99: "fast" is not a duration'
  ),
  cli('dry-run not a boolean', { 'dry-run': 'maybe' }, 'dry-run: "maybe" is not a boolean'),
  cli(
    'tls-insecure not a boolean',
    { 'tls-insecure': 'yes' },
    'tls-insecure: "yes" is not a boolean'
  ),
  cli(
    'an invalid namespace',
    { namespace: 'Prod_1' },
    'namespace: "Prod_1" is not a namespace name'
  ),
  cli(
    'an invalid service name',
    { service: 'Shop' },
    'service: "Shop" is not a Knative Service name'
  ),
  cli(
    'a service name too long for its tag host',
    { service: `s${'a'.repeat(59)}` },
    'has 60 characters'
  ),
  cli(
    'a revision-name of another service',
    { 'revision-name': 'other-v2' },
    'revision-name: "other-v2" must be "shop-<suffix>"'
  ),
  cli(
    'an invalid revision-name',
    { 'revision-name': 'shop_v2' },
    'revision-name: "shop_v2" is not a revision name'
  ),
  cli(
    'an image with upper case',
    { image: 'ghcr.io/Acme/Shop:1' },
    'image: "ghcr.io/Acme/Shop:1" is not a valid image reference'
  ),
  cli(
    'an image with a short digest',
    { image: 'ghcr.io/acme/shop@sha256:abc' },
    'image: "ghcr.io/acme/shop@sha256:abc" is not a valid image reference'
  ),
  cli(
    'a probe-path without a slash',
    { 'probe-path': 'healthz' },
    'probe-path: "healthz" must be a URL path'
  ),
  cli(
    'credentials in ingress-address',
    { 'ingress-address': 'http://u:p@127.0.0.1:1' },
    'ingress-address: must not carry credentials'
  ),
  cli(
    'prometheus-url not http',
    { 'prometheus-url': 'ftp://prom:9090' },
    'prometheus-url: "ftp://prom:9090" must be an http(s) URL'
  ),
  cli(
    'metrics without prometheus-url',
    { metrics: '[{"name":"x","query":"up","max":1}]' },
    'metrics: needs prometheus-url'
  ),
  cli(
    'an unknown builder',
    { builder: 'kaniko' },
    "builder: 'kaniko' is not one of auto, docker, buildah"
  ),
  cli(
    'a registry user without a password',
    { 'build-context': '.', image: '127.0.0.1:5000/acme/shop', 'registry-username': 'bot' },
    'registry-password: required with registry-username'
  ),
  cli(
    'a tagged repository when building',
    { 'build-context': '.', image: 'ghcr.io/acme/shop:3' },
    'image: "ghcr.io/acme/shop:3" has a tag; with build-context'
  ),
  {
    name: 'rollout with nothing to deploy',
    entry: 'cli',
    inputs: { service: 'shop' },
    message: 'manifest, image: rollout needs something to deploy',
    exit: 2
  },
  {
    name: 'promote without a service',
    entry: 'cli',
    command: 'promote',
    inputs: {},
    message: 'service: required for promote',
    exit: 2
  },
  cli('a YAML alias bomb in webhooks', { webhooks: aliasBomb() }, 'webhooks'),
  cli(
    'credentials in a webhook URL (never echoed)',
    {
      webhooks: '- name: gate\n  type: pre-rollout\n  url: https://bot:pa55w0rd-x@hooks.example/\n'
    },
    'url: must not carry credentials in the URL'
  ),
  cli(
    'a step-interval of 200h (a timer would overflow)',
    { 'step-interval': '200h' },
    'must be at most 120h'
  ),
  {
    name: 'a manifest symlinked out of the workspace',
    entry: 'action',
    inputs: { ...BASE, manifest: join(WORKSPACE, 'deploy.yaml') },
    env: { GITHUB_WORKSPACE: WORKSPACE },
    message: 'resolves outside the workspace (GITHUB_WORKSPACE)',
    absent: OUTSIDE_SECRET
  },
  {
    name: 'a YAML depth bomb',
    entry: 'cli',
    manifest: `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: shop}\nspec: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    message: 'the manifest nests deeper than 64 levels; refusing it',
    exit: 1
  },
  {
    // Block sequences opened on one line need no indentation: two bytes a level, so a
    // megabyte is half a million levels, which the parser alone takes ~450 MB to build.
    name: 'a YAML depth bomb of block sequences on one line',
    entry: 'cli',
    manifest: `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: shop}\nspec:\n  x:\n    ${'- '.repeat(500_000)}x\n`,
    message: 'the manifest nests deeper than 64 levels; refusing it',
    exit: 1
  },
  {
    name: 'a YAML error never quotes the file',
    entry: 'cli',
    manifest: `token: ${OUTSIDE_SECRET}\nkind: [\n`,
    message: 'not valid YAML',
    absent: OUTSIDE_SECRET,
    exit: 1
  },
  cli(
    'a YAML alias bomb in metrics',
    { metrics: aliasBomb(), 'prometheus-url': 'http://127.0.0.1:9' },
    'metrics'
  ),
  // ---- the manifest -------------------------------------------------------------------
  {
    name: 'a manifest that does not exist',
    entry: 'cli',
    inputs: { manifest: '/nonexistent/shop.yaml' },
    message: 'manifest "/nonexistent/shop.yaml": does not exist',
    exit: 1
  },
  {
    name: 'a manifest that is a device',
    entry: 'cli',
    inputs: { manifest: '/dev/zero' },
    message: 'manifest "/dev/zero": is not a regular file',
    exit: 1
  },
  {
    name: 'a manifest that is a FIFO (no writer)',
    entry: 'cli',
    inputs: { manifest: FIFO },
    message: 'is not a regular file',
    exit: 1
  },
  {
    name: 'malformed YAML',
    entry: 'cli',
    manifest: 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: shop\n',
    message: 'not valid YAML',
    exit: 1
  },
  {
    name: 'a YAML alias bomb',
    entry: 'cli',
    manifest: aliasBomb,
    message: 'YAML aliases expand too much',
    exit: 1
  },
  {
    name: 'two YAML documents',
    entry: 'cli',
    manifest: `${ksvc()}---\n${ksvc()}`,
    message: 'holds 2 YAML documents; it must hold exactly one Knative Service',
    exit: 1
  },
  {
    name: 'duplicate keys',
    entry: 'cli',
    manifest: `${ksvc()}kind: Service\n`,
    message: 'not valid YAML',
    exit: 1
  },
  {
    name: 'an empty manifest',
    entry: 'cli',
    manifest: '# nothing here\n',
    message: 'the manifest is empty',
    exit: 1
  },
  {
    name: 'a list, not an object',
    entry: 'cli',
    manifest: '- a\n- b\n',
    message: 'the manifest must be a mapping',
    exit: 1
  },
  {
    name: 'a manifest over 1 MiB',
    entry: 'cli',
    manifest: () => ksvc() + `# ${'x'.repeat(1024 * 1024)}\n`,
    message: 'at most 1048576 are read',
    exit: 1
  },
  {
    name: 'the wrong apiVersion (a Deployment)',
    entry: 'cli',
    manifest: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: shop}\n',
    message: 'apiVersion: "apps/v1" is not a Knative Service version',
    exit: 1
  },
  {
    name: 'an unknown Knative version',
    entry: 'cli',
    manifest: ksvc().replace('/v1', '/v2'),
    message: 'apiVersion: "serving.knative.dev/v2" is not a Knative Service version',
    exit: 1
  },
  {
    name: 'the wrong kind',
    entry: 'cli',
    manifest: ksvc().replace('kind: Service', 'kind: Route'),
    message: 'kind: "Route" is not supported',
    exit: 1
  },
  {
    name: 'an invalid name in the manifest',
    entry: 'cli',
    inputs: { image: 'ghcr.io/acme/shop:3' },
    manifest: ksvc().replace('name: shop', 'name: My_Shop'),
    message: 'metadata.name',
    exit: 1
  },
  {
    name: 'no containers',
    entry: 'cli',
    manifest:
      'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: shop}\nspec: {template: {spec: {containers: []}}}\n',
    message: 'spec.template.spec.containers',
    exit: 1
  },
  {
    name: 'a manifest namespace that disagrees',
    entry: 'cli',
    inputs: { namespace: 'prod' },
    manifest: ksvc('  namespace: staging\n'),
    message: 'metadata.namespace is "staging" but the namespace input is "prod"',
    exit: 1
  },
  // ---- the cluster --------------------------------------------------------------------
  {
    name: 'a kubeconfig that is not YAML',
    entry: 'cli',
    inputs: BASE,
    kubeconfig: () => 'clusters: [oops\n',
    message: 'The kubeconfig input is not a valid kubeconfig',
    exit: 1
  },
  {
    name: 'a kubeconfig without current-context',
    entry: 'cli',
    inputs: BASE,
    kubeconfig: (c) => c.kubeconfig.replace(/current-context:.*\n/, ''),
    message: 'The kubeconfig has no current-context',
    exit: 1
  },
  {
    name: 'plain http without insecure-skip-tls-verify',
    entry: 'cli',
    inputs: BASE,
    kubeconfig: (c) => httpKubeconfig(c.emulator.apiUrl, 'x', false),
    message: 'uses plain http; set insecure-skip-tls-verify: true',
    exit: 1
  },
  {
    name: 'an unreachable API server',
    entry: 'cli',
    inputs: BASE,
    kubeconfig: (c) => httpKubeconfig(`http://127.0.0.1:${c.closedPort}`),
    message: 'cannot reach the Kubernetes API server at http://127.0.0.1:',
    exit: 1
  },
  {
    name: 'an untrusted API server certificate',
    entry: 'cli',
    inputs: BASE,
    kubeconfig: (c) => kubeconfigYaml({ server: c.tls.apiUrl, user: 'u', token: 'x' }),
    message: 'certificate',
    exit: 1
  },
  {
    name: 'an expired token',
    entry: 'cli',
    inputs: BASE,
    kubeconfig: (c) => httpKubeconfig(c.emulator.apiUrl, 'expired-token'),
    message: 'rejected the credentials (401 Unauthorized)',
    exit: 1
  },
  {
    name: 'revision-name of the current revision with a new template',
    entry: 'cli',
    inputs: { ...BASE, 'revision-name': 'shop-v1' },
    message: 'revision-name "shop-v1" is the current revision but the template differs',
    exit: 1
  },
  {
    name: 'revision-name taken by another revision',
    entry: 'cli',
    inputs: { ...BASE, 'revision-name': 'shop-v2' },
    message: 'revision-name "shop-v2" is already taken by a revision with a different template',
    exit: 1
  },
  {
    name: 'status against an unreachable API server',
    entry: 'cli',
    command: 'status',
    inputs: { service: 'shop' },
    kubeconfig: (c) => httpKubeconfig(`http://127.0.0.1:${c.closedPort}`),
    message: 'cannot reach the Kubernetes API server at http://127.0.0.1:',
    exit: 1
  },
  {
    name: 'action: a manifest that does not exist',
    entry: 'action',
    inputs: { manifest: '/nonexistent/shop.yaml' },
    message: 'manifest "/nonexistent/shop.yaml": does not exist'
  },
  {
    name: 'a password in prometheus-url (not echoed)',
    entry: 'cli',
    inputs: { ...BASE, 'prometheus-url': 'http://admin:hunter2@127.0.0.1:9090' },
    message: 'prometheus-url: must not carry credentials in the URL',
    absent: 'hunter2',
    exit: 2
  },
  // ---- the action entry ---------------------------------------------------------------
  {
    name: 'action: an unknown command',
    entry: 'action',
    command: 'deploy',
    inputs: BASE,
    message: 'command: "deploy" is not a command'
  },
  {
    name: 'action: steps above 100',
    entry: 'action',
    inputs: { ...BASE, steps: '50,200' },
    message: '200 is outside 1..100'
  },
  {
    name: 'action: pause-at not a step',
    entry: 'action',
    inputs: { ...BASE, 'pause-at': '20' },
    message: 'pause-at: "20" is not one of the steps'
  },
  {
    name: 'action: a bad duration',
    entry: 'action',
    inputs: { ...BASE, 'step-interval': '1 minute' },
    message: 'step-interval: "1 minute" is not a duration'
  },
  {
    name: 'action: an invalid image',
    entry: 'action',
    inputs: { ...BASE, image: 'shop:' },
    message: 'image: "shop:" is not a valid image reference'
  },
  {
    name: 'action: a YAML alias bomb',
    entry: 'action',
    manifest: aliasBomb,
    message: 'YAML aliases expand too much'
  },
  {
    name: 'action: a kubeconfig that is not YAML',
    entry: 'action',
    inputs: BASE,
    kubeconfig: () => '{{{',
    message: 'The kubeconfig input is not a valid kubeconfig'
  },
  {
    name: 'action: an expired token',
    entry: 'action',
    inputs: BASE,
    kubeconfig: (c) => httpKubeconfig(c.emulator.apiUrl, 'expired-token'),
    message: 'rejected the credentials (401 Unauthorized)'
  },
  {
    name: 'action: revision-name taken',
    entry: 'action',
    inputs: { ...BASE, 'revision-name': 'shop-v2' },
    message: 'revision-name "shop-v2" is already taken'
  }
]

const ALL: { apiGroups: string[]; resources: string[]; verbs: string[] }[] = [
  { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }
]
const tokens = CASES.map(() => randomBytes(16).toString('hex'))
const userOf = (i: number) => `case-${i}`

describe('hostile and mistaken input', () => {
  // RBAC on, so each case's token is its own user in the audit log (and unknown tokens are 401).
  const emulator = withEmulator({
    rbac: Object.fromEntries(tokens.map((t, i) => [t, { user: userOf(i), rules: ALL }]))
  })
  let tls: TestEmulator
  let dir: string
  let closedPort: number
  let auditBefore: number
  let runs: CaseRun[] = []
  const results: { name: string; ok: boolean; wallMs: number; maxRssMb: number }[] = []

  beforeAll(async () => {
    tls = await startTestEmulator({ tls: true })
    dir = await mkdtemp(join(tmpdir(), 'bad-input-'))
    execFileSync('mkfifo', [FIFO])
    await mkdir(WORKSPACE, { recursive: true })
    await writeFile(
      join(WORKSPACE, '..', `bad-input-environ-${process.pid}`),
      `${OUTSIDE_SECRET}\n`
    )
    await symlink(
      join(WORKSPACE, '..', `bad-input-environ-${process.pid}`),
      join(WORKSPACE, 'deploy.yaml')
    )
    closedPort = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port
        s.close(() => resolve(port))
      })
    })
    // The cluster the cases meet: shop-v1 serving, shop-v2 a candidate that failed.
    const admin = { env: { KUBECONFIG: emulator().kubeconfigPath } }
    const first = await runCli(
      [
        'rollout',
        '--service',
        'shop',
        '--image',
        'ghcr.io/acme/shop:1',
        '--revision-name',
        'shop-v1'
      ],
      admin
    )
    expect(JSON.parse(first.stdout).result).toBe('promoted')
    const failed = await runCli(
      [
        'rollout',
        // The ingress: before its first write a rollout checks that the current answers.
        ...flags({
          ...BASE,
          image: 'ghcr.io/acme/unpullable:2',
          'revision-name': 'shop-v2',
          'ingress-address': emulator().ingressUrl
        })
      ],
      admin
    )
    // Rolled back (or failed, if the rollback itself was slow): either way shop-v2 exists.
    expect(['rolled-back', 'failed']).toContain(JSON.parse(failed.stdout).result)
    expect(
      emulator().store.get('revisions.serving.knative.dev', 'default', 'shop-v2')
    ).toBeDefined()
    auditBefore = (await auditLog(emulator().apiUrl)).length
    // The cases run CONCURRENCY at a time (each has its own token, so writes stay attributable).
    runs = await inPool(
      CASES.map((c, i) => () => runCase(c, i)),
      CONCURRENCY
    )
  }, 240_000)

  afterAll(async () => {
    await tls?.stop()
    await rm(dir, { recursive: true, force: true })
    await rm(FIFO, { force: true })
    await rm(WORKSPACE, { recursive: true, force: true })
    await rm(join(WORKSPACE, '..', `bad-input-environ-${process.pid}`), { force: true })
    recordFigures('badInput', {
      casesTried: CASES.length,
      handled: results.filter((r) => r.ok).length,
      maxWallMs: Math.max(0, ...results.map((r) => r.wallMs)),
      maxRssMb: Math.round(Math.max(0, ...results.map((r) => r.maxRssMb))),
      bounds: { wallMs: MAX_WALL_MS, rssMb: MAX_RSS_MB },
      failed: results.filter((r) => !r.ok).map((r) => r.name)
    })
  })

  /** One case through its entry; its writes are the audited writes of its own user. */
  async function runCase(c: Case, i: number): Promise<CaseRun> {
    const ctx: Ctx = {
      kubeconfig: kubeconfigYaml({ server: emulator().apiUrl, user: userOf(i), token: tokens[i] }),
      emulator: emulator(),
      tls,
      closedPort
    }
    const inputs: Record<string, string> = { ...c.inputs }
    if (c.manifest) {
      inputs.manifest = join(dir, `case-${i}.yaml`)
      await writeFile(inputs.manifest, typeof c.manifest === 'function' ? c.manifest() : c.manifest)
    }
    const kubeconfig = c.kubeconfig ? c.kubeconfig(ctx) : ctx.kubeconfig
    let run: DistRun
    if (c.entry === 'cli') {
      const file = join(dir, `kubeconfig-${i}`)
      await writeFile(file, kubeconfig, { mode: 0o600 })
      run = await runCli([c.command ?? 'rollout', ...flags({ ...inputs, kubeconfig: file })], {
        env: c.env
      })
    } else {
      run = await runAction(
        { ...inputs, command: c.command ?? 'rollout', kubeconfig },
        { env: c.env }
      )
    }
    const audit = await auditLog(emulator().apiUrl)
    return {
      run,
      message: typeof c.message === 'function' ? c.message(ctx) : c.message,
      writes: writesIn(audit.filter((e) => e.user === userOf(i)))
    }
  }

  test.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
    const { run, message, writes } = runs[i]
    const ok =
      (run.stdout + run.stderr).includes(message) &&
      run.code === (c.exit ?? 1) &&
      !(c.absent && (run.stdout + run.stderr).includes(c.absent)) &&
      writes.length === 0 &&
      run.wallMs < MAX_WALL_MS &&
      run.maxRssMb < MAX_RSS_MB
    results.push({ name: c.name, ok, wallMs: run.wallMs, maxRssMb: run.maxRssMb })

    expect(run.stdout + run.stderr).toContain(message)
    expect(run.code).toBe(c.exit ?? 1)
    if (c.absent) expect(run.stdout + run.stderr).not.toContain(c.absent)
    expect(writes).toEqual([])
    expect(run.wallMs).toBeLessThan(MAX_WALL_MS)
    expect(run.maxRssMb).toBeLessThan(MAX_RSS_MB)
    // The job's result tells the truth: `failed`, in $GITHUB_OUTPUT.
    if (c.entry === 'action') expect(parseFileCommands(run.files.output).result).toBe('failed')
  })

  test('no case wrote anything, by any user, to either cluster', async () => {
    expect(writesIn((await auditLog(emulator().apiUrl)).slice(auditBefore))).toEqual([])
    expect(tls.store.history).toEqual([])
    expect(writesIn(await auditLog(tls.apiUrl, tls.ca))).toEqual([])
  })
})

function flags(inputs: Record<string, string>): string[] {
  return Object.entries(inputs).flatMap(([k, v]) => [`--${k}`, v])
}
