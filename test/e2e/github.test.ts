// The action's GitHub side, end to end: with GITHUB_API_URL on a loopback stand-in for
// api.github.com, a rollout on a pull request records a Deployment and keeps one sticky
// comment up to date. Every request is checked against GitHub's published OpenAPI.

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FAKE_GITHUB_TOKEN, runAction, type ActionResult } from '../helpers/action-runner.js'
import { startGitHubServer, type FakeGitHub } from '../helpers/github-server.js'
import { expectRequestsValid } from '../helpers/github-openapi.js'
import { stickyMarker } from '../../src/github/pr-comment.js'
import { e2eKit, expectEnded, serviceYaml } from '../helpers/e2e-kit.js'

const kit = e2eKit()
let github: FakeGitHub
let dir: string
let pullRequestEnv: Record<string, string>

beforeAll(async () => {
  github = await startGitHubServer()
  dir = await mkdtemp(join(tmpdir(), 'e2e-github-'))
  const event = join(dir, 'event.json')
  await writeFile(event, JSON.stringify({ action: 'synchronize', pull_request: { number: 7 } }))
  pullRequestEnv = {
    GITHUB_API_URL: github.url,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REF: 'refs/pull/7/merge',
    GITHUB_HEAD_REF: 'feature'
  }
})
afterAll(async () => {
  await github.close()
  await rm(dir, { recursive: true, force: true })
})
beforeEach(() => {
  github.requests.length = 0
  github.failWith = undefined
})

async function firstDeploy(name: string): Promise<void> {
  // A push run without `environment`: no GitHub request at all.
  const out = await runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest(`${name}-v1`, serviceYaml(name, `docker.io/acme/${name}:v1`)),
      'revision-name': `${name}-v1`
    }),
    env: { GITHUB_API_URL: github.url }
  })
  expectEnded(out, 0, 'promoted')
  expect(github.requests).toEqual([])
}

const calls = () =>
  github.requests.map((r) => {
    // Ids are the fake server's counter: `{id}` keeps the expectations readable.
    const path = new URL(r.url, 'http://x').pathname.replace(/\/\d+\/statuses$/, '/{id}/statuses')
    const state = (r.body as { state?: string } | undefined)?.state
    return `${r.method} ${path}${state ? ` ${state}` : ''}`
  })

function expectValidRequests(): void {
  expectRequestsValid(github.requests, FAKE_GITHUB_TOKEN)
}

/**
 * The run's annotations less the API server's warnings on its dry-run write (Knative warns
 * about the test manifests' insecure securityContext defaults, as on a cluster).
 */
const ownAnnotations = (out: ActionResult) =>
  out.annotations.filter((a) => !a.message.startsWith('the Kubernetes API server warns'))

function expectResult(out: ActionResult, result: string): void {
  expectEnded(out, 0, result)
  expect(ownAnnotations(out)).toEqual([])
}

test('a rollout on a pull request: a Deployment in progress, then success; one sticky comment', async () => {
  await firstDeploy('pr')
  const inputs = kit.inputs({
    manifest: await kit.manifest('pr-v2', serviceYaml('pr', 'docker.io/acme/pr:v2')),
    'revision-name': 'pr-v2',
    environment: 'preview',
    'pause-at': '20'
  })
  const paused = await runAction({ inputs, env: pullRequestEnv })
  expectResult(paused, 'paused')
  expect(calls()).toEqual([
    'POST /repos/acme/shop/deployments',
    'POST /repos/acme/shop/deployments/{id}/statuses in_progress',
    // Paused waits for promote: still in progress, and its description says so.
    'POST /repos/acme/shop/deployments/{id}/statuses in_progress',
    // Older deployments of the Service in the environment: none yet.
    'GET /repos/acme/shop/deployments',
    // Who the token is: only its own comment is edited.
    'GET /user',
    'GET /repos/acme/shop/issues/7/comments',
    'POST /repos/acme/shop/issues/7/comments'
  ])
  expect(github.requests[0].body).toMatchObject({
    ref: '0123456789abcdef0123456789abcdef01234567',
    environment: 'preview',
    payload: { service: 'pr', namespace: 'default', revision: 'pr-v2' }
  })
  const [comment] = github.comments.get(7)!
  expect(comment.body.startsWith(stickyMarker('default', 'pr'))).toBe(true)
  expect(comment.body).toContain('⏸️ Paused')
  expect(comment.body).toContain('**Candidate URL:** http://candidate-pr.default.example.com')
  expect(comment.body).toMatch(/^\| 1 \| 20% \| \d\d:\d\d:\d\d → \d\d:\d\d:\d\d \| .*✅ pass/m)
  expect(github.requests[2].body).toMatchObject({
    description: 'Paused at 20% on pr-v2: waiting for promote or abort'
  })
  expectValidRequests()

  github.requests.length = 0
  const promoted = await runAction({
    inputs: { ...inputs, command: 'promote', 'pause-at': '' },
    // A later commit: the promote still deploys the one its rollout recorded.
    env: {
      ...pullRequestEnv,
      GITHUB_RUN_ID: '1002',
      GITHUB_SHA: 'fedcba9876543210fedcba9876543210fedcba98'
    }
  })
  expectResult(promoted, 'promoted')
  expect(github.requests[0].body).toMatchObject({ ref: '0123456789abcdef0123456789abcdef01234567' })
  expect(calls()).toEqual([
    'POST /repos/acme/shop/deployments',
    'POST /repos/acme/shop/deployments/{id}/statuses in_progress',
    'POST /repos/acme/shop/deployments/{id}/statuses success',
    // The paused run's deployment is closed: it no longer stays in progress for good.
    'GET /repos/acme/shop/deployments',
    'GET /repos/acme/shop/deployments/{id}/statuses',
    'POST /repos/acme/shop/deployments/{id}/statuses inactive',
    'GET /user',
    'GET /repos/acme/shop/issues/7/comments',
    `PATCH /repos/acme/shop/issues/comments/${comment.id}`
  ])
  expect(github.requests[2].body).toMatchObject({
    state: 'success',
    environment_url: 'http://pr.default.example.com'
  })
  expect(github.comments.get(7)).toHaveLength(1)
  expect(github.comments.get(7)![0].body).toContain('✅ Promoted')
  expectValidRequests()
})

test('a rolled-back rollout marks its Deployment failed', async () => {
  await firstDeploy('prbad')
  const out = await runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest(
        'prbad-v2',
        serviceYaml('prbad', 'docker.io/acme/prbad:v2', { EMULATOR_ERROR_RATE: '0.5' })
      ),
      'revision-name': 'prbad-v2',
      environment: 'production'
    }),
    env: { GITHUB_API_URL: github.url }
  })
  expectEnded(out, 1, 'rolled-back')
  // A push run: the Deployment, no comment.
  expect(calls()).toEqual([
    'POST /repos/acme/shop/deployments',
    'POST /repos/acme/shop/deployments/{id}/statuses in_progress',
    'POST /repos/acme/shop/deployments/{id}/statuses failure',
    'GET /repos/acme/shop/deployments'
  ])
  expect(github.requests[2].body).not.toHaveProperty('environment_url')
  expectValidRequests()
})

test('GitHub refusing every call is a warning, never a failed rollout', async () => {
  await firstDeploy('ghdown')
  github.failWith = 401
  const out = await runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest('ghdown-v2', serviceYaml('ghdown', 'docker.io/acme/gd:v2')),
      'revision-name': 'ghdown-v2',
      environment: 'production'
    }),
    env: pullRequestEnv
  })
  expectEnded(out, 0, 'promoted')
  expect(ownAnnotations(out).map((a) => `${a.level}: ${a.message}`)).toEqual([
    'warning: GitHub deployment: GitHub API POST /repos/acme/shop/deployments answered 401: Bad credentials',
    'warning: GitHub pull request comment: GitHub API GET /repos/acme/shop/issues/7/comments?per_page=100&page=1 answered 401: Bad credentials'
  ])
})

test('a preview through the built action: its own Deployment of the head commit, one comment; cleanup closes both', async () => {
  await firstDeploy('prv')
  const head = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd'
  const event = join(dir, 'event-9.json')
  await writeFile(
    event,
    JSON.stringify({ action: 'opened', pull_request: { number: 9, head: { sha: head } } })
  )
  const env = { ...pullRequestEnv, GITHUB_EVENT_PATH: event, GITHUB_REF: 'refs/pull/9/merge' }
  const inputs = kit.inputs({
    command: 'preview',
    manifest: await kit.manifest('prv-pr', serviceYaml('prv', 'docker.io/acme/prv:pr9')),
    environment: 'staging'
  })
  const out = await runAction({ inputs, env })
  expectResult(out, 'previewed')
  expect(out.outputs['candidate-url']).toBe('http://pr-9-prv.default.example.com')
  const created = github.requests.find((r) => r.method === 'POST' && r.url.endsWith('/deployments'))
  // The pull request's head commit, not the merge commit GITHUB_SHA names.
  expect(created?.body).toMatchObject({
    ref: head,
    environment: 'staging-pr-9',
    transient_environment: true,
    production_environment: false
  })
  const success = github.requests.find((r) => (r.body as { state?: string })?.state === 'success')
  expect(success?.body).toMatchObject({ environment_url: 'http://pr-9-prv.default.example.com' })
  expect(github.comments.get(9)).toHaveLength(1)
  expect(github.comments.get(9)![0].body).toContain('http://pr-9-prv.default.example.com')
  expectValidRequests()

  github.requests.length = 0
  const gone = await runAction({
    inputs: kit.inputs({
      command: 'preview',
      service: 'prv',
      cleanup: 'true',
      environment: 'staging'
    }),
    env: { ...env, GITHUB_RUN_ID: '1003' }
  })
  // DESIGN.md's outputs have no word for a removed preview; `aborted` is an end asked for.
  expectResult(gone, 'aborted')
  expect(gone.stdout).toMatch(
    /^::notice title=.*::aborted default\/prv \(preview prv-pr-9-\w+ removed\)$/m
  )
  expect(gone.summary).toMatch(/^## ⏹️ Aborted \(preview removed\): prv in default\n/)
  expect(calls()).toContain('POST /repos/acme/shop/deployments/{id}/statuses inactive')
  expect(calls().filter((c) => c.startsWith('POST /repos/acme/shop/deployments '))).toEqual([])
  expect(github.comments.get(9)).toHaveLength(1)
  expect(github.comments.get(9)![0].body).toMatch(/removed/i)
  expectValidRequests()
})
