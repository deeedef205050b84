// What a person is told when the repository or the permissions are at fault: a 403 from the
// Kubernetes API (the emulator with RBAC on) names the RBAC rule to add, a 403 from GitHub
// (a real HTTP server answering as GitHub does) names the `permissions:` entry; a bad
// manifest is annotated on its file and line; any other result is a notice.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { kubeconfigYaml } from '../../../emulator/kubeconfig.js'
import { withEmulator } from '../../helpers/emulator.js'
import { memoryLogger } from '../../helpers/memory-logger.js'
import { inputs } from '../../helpers/engine-harness.js'
import { serviceYaml } from '../../helpers/service-yaml.js'
import { stdoutOf } from '../../helpers/stdout-capture.js'
import { createServingClient } from '../../../src/knative/client.js'
import { wallClock } from '../../../src/clock.js'
import { GitHubApi } from '../../../src/github/api.js'
import { run } from '../../../src/run.js'
import { annotateResult } from '../../../src/report/actions-log.js'
import type { RolloutReport } from '../../../src/report/types.js'

const GROUP = 'serving.knative.dev'

describe('a 403 from Kubernetes names the RBAC rule to add', () => {
  const emulator = withEmulator({
    rbac: {
      'reader-token': {
        user: 'reader',
        rules: [{ apiGroups: [GROUP], resources: ['services'], verbs: ['get', 'list', 'watch'] }]
      }
    }
  })

  test('create services in namespace default', async () => {
    const kubeconfig = kubeconfigYaml({
      server: emulator().apiUrl,
      user: 'reader',
      token: 'reader-token'
    })
    const client = createServingClient({ kubeconfig, clock: wallClock, log: memoryLogger() })
    const err = await client
      .createService({
        apiVersion: `${GROUP}/v1`,
        kind: 'Service',
        metadata: { name: 'shop', namespace: 'default' },
        spec: { template: { spec: { containers: [{ image: 'registry.local/shop:v1' }] } } }
      })
      .then(
        () => undefined,
        (e: Error) => e
      )
    expect(err?.message).toContain(
      'RBAC: allow `create` on `services.serving.knative.dev` in namespace "default" ' +
        '(a Role rule: apiGroups ["serving.knative.dev"], resources ["services"], verbs ["create"], ' +
        "bound to the kubeconfig's user)"
    )
    // The API server's own words stay in the message.
    expect(err?.message).toContain('User "reader" cannot create resource "services"')
  })
})

describe('a 403 from GitHub names the permission to add', () => {
  let server: Server
  let base = ''
  beforeAll(async () => {
    server = createServer((req, res) => {
      const body =
        req.url === '/limited'
          ? { message: 'API rate limit exceeded for installation ID 1.' }
          : { message: 'Resource not accessible by integration' }
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  test.each([
    {
      name: 'creating a Deployment',
      method: 'POST',
      path: '/repos/acme/shop/deployments',
      hint: "add `deployments: write` to the workflow's (or the job's) `permissions:`"
    },
    {
      name: 'a Deployment status',
      method: 'POST',
      path: '/repos/acme/shop/deployments/7/statuses',
      hint: "add `deployments: write` to the workflow's"
    },
    {
      name: 'the sticky PR comment',
      method: 'PATCH',
      path: '/repos/acme/shop/issues/comments/9',
      hint: "add `pull-requests: write` to the workflow's"
    },
    {
      name: 'listing pull requests',
      method: 'GET',
      path: '/repos/acme/shop/pulls?head=acme:x',
      hint: "add `pull-requests: read` to the workflow's"
    },
    {
      name: 'a call without a known permission',
      method: 'GET',
      path: '/user',
      hint: 'the token (github-token) lacks a permission for GET /user'
    }
  ])('$name', async ({ method, path, hint }) => {
    const api = new GitHubApi(base, 'ghs_secret-token-value')
    const err = await api.request(method, path).then(
      () => undefined,
      (e: Error) => e
    )
    expect(err?.message).toContain('Resource not accessible by integration; ' + hint)
    expect(err?.message).toContain('a pull request from a fork gets a read-only token')
    expect(err?.message).not.toContain('ghs_secret-token-value')
  })

  test('a rate limit (also 403) is not told as a missing permission', async () => {
    const err = await new GitHubApi(base, 't').request('GET', '/limited').catch((e: Error) => e)
    expect((err as Error).message).toBe(
      'GitHub API GET /limited answered 403: API rate limit exceeded for installation ID 1.'
    )
  })
})

/** The workflow commands annotateResult writes, as the runner reads them. */
async function annotations(report: RolloutReport): Promise<string[]> {
  const written = await stdoutOf(() => annotateResult(report))
  return written.split('\n').filter(Boolean)
}

describe('annotations', () => {
  let workspace = ''
  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'workspace-'))
    await mkdir(join(workspace, 'deploy'))
  })
  afterAll(() => rm(workspace, { recursive: true, force: true }))

  test('a bad manifest field is annotated on its file and line', async () => {
    await writeFile(join(workspace, 'deploy/shop.yaml'), serviceYaml('shop', '[not, a, string]'))
    const outcome = await run(inputs({ manifest: 'deploy/shop.yaml', service: undefined }), {
      clock: wallClock,
      log: memoryLogger(),
      env: { GITHUB_WORKSPACE: workspace }
    })
    expect(outcome.result).toBe('failed')
    expect(outcome.location).toEqual({ file: 'deploy/shop.yaml', line: 9, column: 11 })
    expect(await annotations(outcome)).toEqual([
      // The toolkit escapes a property's `:` as %3A, the data's newline as %0A.
      // No Service name yet (its manifest was refused): none in the title.
      '::error title=knative-rollout failed,file=deploy/shop.yaml,line=9,col=11::' +
        'manifest "deploy/shop.yaml": invalid Service:%0Ainvalid value: ["not","a","string"]: spec.template.spec.containers[0].image'
    ])
  })

  test("a failure's reason is one command, bounded, its URL credentials gone", async () => {
    const report: RolloutReport = {
      result: 'rolled-back',
      command: 'rollout',
      service: 'shop',
      namespace: 'default',
      reason: `crashed\n::error::PWNED see http://u:pw@x.example/ ${'z'.repeat(10_000)}`,
      traffic: [],
      steps: []
    }
    const [line, ...more] = await annotations(report)
    expect(more).toEqual([])
    expect(line).toMatch(
      /^::error title=knative-rollout%3A default\/shop rolled-back::crashed%0A::error::PWNED see http:\/\/\*\*\*@x\.example\/ z+…$/
    )
    expect(line.length).toBeLessThan(4_100)
  })

  test('a result that is not a failure is a notice', async () => {
    const report: RolloutReport = {
      result: 'promoted',
      command: 'rollout',
      service: 'shop',
      namespace: 'default',
      currentRevision: 'shop-v1',
      candidateRevision: 'shop-v2',
      traffic: [],
      steps: []
    }
    expect(await annotations(report)).toEqual([
      '::notice title=knative-rollout%3A default/shop promoted::promoted default/shop (shop-v1 → shop-v2)'
    ])
  })
})
