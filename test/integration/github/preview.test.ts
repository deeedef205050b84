// What a pull request's preview records on GitHub: a Deployment of the PR's head commit in
// `<environment>-pr-<number>` with the tag URL, one sticky comment (ours by marker and
// author) edited by the next preview of the same pull request, and on cleanup the
// Deployment inactive and the comment saying the preview is gone. The engine runs in virtual
// time on the in-memory Knative; GitHub is the loopback stand-in, and every request is
// checked against GitHub's published OpenAPI description.

import { parseInputs } from '../../../src/inputs.js'
import { previewMarker, previewReporter } from '../../../src/github/preview-report.js'
import type { RunOutcome } from '../../../src/rollout/result.js'
import { expectRequestsValid } from '../../helpers/github-openapi.js'
import { startGitHubServer, type FakeGitHub } from '../../helpers/github-server.js'
import type { StandInPullRequest } from '../../helpers/github-pulls.js'
import { inputs, manifest, NS, SVC, World } from '../../helpers/engine-harness.js'
import { memoryLogger } from '../../helpers/memory-logger.js'

const TOKEN = 'ghs_previewTestToken'
const MERGE_SHA = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const HEAD_SHA = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'
const NEXT_SHA = 'cccccccccccccccccccccccccccccccccccccccc'
const MAIN_SHA = 'dddddddddddddddddddddddddddddddddddddddd'
const PR = 7
const URL_7 = 'http://pr-7-shop.default.example.com'
const RUN_LOG = (id: string) => `https://github.com/acme/shop/actions/runs/${id}/attempts/1`
const MARKER = previewMarker(NS, SVC)

let github: FakeGitHub
beforeAll(async () => {
  github = await startGitHubServer()
})
afterAll(() => github.close())
beforeEach(() => {
  github.requests.length = 0
  github.deployments.length = 0
  github.comments.clear()
  github.pulls.length = 0
})

interface Run {
  event: string
  runId: string
  /** The pull_request event's pull request: its number and head commit. */
  head?: string
  action?: string
  /** Inputs beside the test defaults (command preview, environment staging). */
  given?: Record<string, string>
  /** The preview revision's behaviour in the in-memory Knative (EMULATOR_* env). */
  behaviour?: Record<string, string>
}

/** One preview run as the action makes it: the reporter started, the engine, the reporter finished. */
async function previewRun(world: World, run: Run, image?: string): Promise<RunOutcome> {
  const env = {
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: run.head ? MERGE_SHA : MAIN_SHA,
    GITHUB_EVENT_NAME: run.event,
    GITHUB_RUN_ID: run.runId,
    GITHUB_API_URL: github.url
  }
  const payload = run.head
    ? JSON.stringify({
        action: run.action ?? 'synchronize',
        pull_request: { number: PR, head: { sha: run.head } }
      })
    : undefined
  const given: Record<string, string> = {
    command: 'preview',
    service: SVC,
    'github-token': TOKEN,
    environment: 'staging',
    ...(image ? { image } : {}),
    ...run.given
  }
  const parsed = parseInputs((name) => given[name])
  const reporter = previewReporter(parsed, env, payload, memoryLogger(), fetch)
  if (!reporter) throw new Error('no reporter')
  await reporter.start({ namespace: NS, service: SVC })
  const cleanup = given.cleanup === 'true'
  const outcome = await world.run({
    inputs: inputs({
      command: 'preview',
      ...(image ? { image } : {}),
      preview: { cleanup, pullRequest: PR, ...(run.head ? { headSha: run.head } : {}) }
    }),
    ...(image ? { manifest: manifest(image, run.behaviour) } : {}),
    sha: env.GITHUB_SHA
  })
  await reporter.finish(outcome)
  return outcome
}

const statesOf = (i: number) => github.deployments[i].statuses.map((s) => s.state)
const ours = () => (github.comments.get(PR) ?? []).filter((c) => c.body.startsWith(MARKER))

test('a preview: a Deployment of the head commit in staging-pr-7 with the tag URL, and one comment', async () => {
  const world = new World()
  await world.deployed()
  const out = await previewRun(
    world,
    { event: 'pull_request', runId: '11', head: HEAD_SHA },
    'registry.local/shop:pr7'
  )
  expect([out.result, out.candidateUrl]).toEqual(['previewed', URL_7])
  expect(out.candidateRevision).toBe('shop-pr-7-bbbbbbb')

  expect(github.deployments).toHaveLength(1)
  expect(github.deployments[0]).toMatchObject({
    // The pull request's head, not the merge commit GITHUB_SHA names on pull_request runs.
    ref: HEAD_SHA,
    environment: 'staging-pr-7',
    task: 'deploy:knative-rollout',
    transient_environment: true,
    production_environment: false,
    payload: { service: SVC, namespace: NS, pull_request: PR, tag: 'pr-7' }
  })
  expect(github.deployments[0].statuses).toEqual([
    expect.objectContaining({
      state: 'in_progress',
      log_url: RUN_LOG('11'),
      description: 'Making the preview of shop'
    }),
    expect.objectContaining({
      state: 'success',
      environment_url: URL_7,
      log_url: RUN_LOG('11'),
      description: 'Preview shop-pr-7-bbbbbbb is ready on the pr-7 tag (0% of production)'
    })
  ])

  const [comment] = github.comments.get(PR)!
  expect(github.comments.get(PR)).toHaveLength(1)
  expect(
    comment.body.startsWith(`${MARKER}\n### 🔎 Preview of \`shop\` in \`default\` is ready`)
  ).toBe(true)
  expect(comment.body).toContain(`- **URL:** ${URL_7}`)
  expect(comment.body).toContain('- **Revision:** `shop-pr-7-bbbbbbb` on the tag `pr-7`')
  expectRequestsValid(github.requests, TOKEN)
})

test('the next commit of the same pull request: a new Deployment, the old one inactive, the same comment edited', async () => {
  const world = new World()
  await world.deployed()
  // Anyone may post a comment that starts with our marker: it is not ours to edit.
  github.comments.set(PR, [{ id: 1, body: `${MARKER}\nfake verdict`, user: { login: 'mallory' } }])
  await previewRun(
    world,
    { event: 'pull_request', runId: '21', head: HEAD_SHA },
    'registry.local/shop:pr7'
  )
  const first = ours().find((c) => c.user?.login === 'github-actions[bot]')!
  const next = await previewRun(
    world,
    { event: 'pull_request', runId: '22', head: NEXT_SHA },
    'registry.local/shop:pr7b'
  )
  expect([next.result, next.candidateRevision]).toEqual(['previewed', 'shop-pr-7-ccccccc'])
  expect(github.deployments.map((d) => [d.ref, d.environment])).toEqual([
    [HEAD_SHA, 'staging-pr-7'],
    [NEXT_SHA, 'staging-pr-7']
  ])
  expect(statesOf(0)).toEqual(['in_progress', 'success', 'inactive'])
  expect(statesOf(1)).toEqual(['in_progress', 'success'])

  // Still one comment of ours, the first one, now naming the new revision; the stranger's as it was.
  const mine = ours().filter((c) => c.user?.login === 'github-actions[bot]')
  expect(mine.map((c) => c.id)).toEqual([first.id])
  expect(mine[0].body).toContain('`shop-pr-7-ccccccc`')
  expect(mine[0].body).not.toContain('shop-pr-7-bbbbbbb')
  expect(github.comments.get(PR)!.find((c) => c.id === 1)!.body).toBe(`${MARKER}\nfake verdict`)
  expectRequestsValid(github.requests, TOKEN)
})

test('a next commit that fails: the earlier preview stays live only while its tag still serves it', async () => {
  const world = new World()
  await world.deployed()
  const first = { event: 'pull_request', runId: '61', head: HEAD_SHA }
  await previewRun(world, first, 'registry.local/shop:pr7')
  // Never ready: the tag stays on the first preview, whose Deployment still tells the truth.
  const unready = { event: 'pull_request', runId: '62', head: NEXT_SHA }
  const crashed = await previewRun(
    world,
    { ...unready, behaviour: { EMULATOR_EXIT_CODE: '1' } },
    'registry.local/shop:pr7b'
  )
  expect(crashed.result).toBe('failed')
  expect(statesOf(0)).toEqual(['in_progress', 'success'])
  expect(statesOf(1)).toEqual(['in_progress', 'failure'])
  // Ready but answering 500s: the tag moved to it, so the first one no longer serves there.
  const broken = await previewRun(
    world,
    { ...unready, runId: '63', behaviour: { EMULATOR_ERROR_RATE: '1' } },
    'registry.local/shop:pr7c'
  )
  expect([broken.result, broken.candidateUrl]).toEqual(['failed', URL_7])
  expect(statesOf(0)).toEqual(['in_progress', 'success', 'inactive'])
  expect(statesOf(2)).toEqual(['in_progress', 'failure'])
  expectRequestsValid(github.requests, TOKEN)
})

test('cleanup on pull_request closed: the tag goes, the Deployment is inactive, the comment says so', async () => {
  const world = new World()
  await world.deployed()
  await previewRun(
    world,
    { event: 'pull_request', runId: '31', head: HEAD_SHA },
    'registry.local/shop:pr7'
  )
  const gone = await previewRun(world, {
    event: 'pull_request',
    action: 'closed',
    runId: '32',
    head: HEAD_SHA,
    given: { cleanup: 'true' }
  })
  expect([gone.result, gone.candidateRevision]).toEqual(['aborted', 'shop-pr-7-bbbbbbb'])
  expect((await world.service()).spec.traffic!.some((t) => t.tag === 'pr-7')).toBe(false)

  // No new Deployment: the preview's own is marked inactive.
  expect(github.deployments).toHaveLength(1)
  expect(statesOf(0)).toEqual(['in_progress', 'success', 'inactive'])
  expect(github.deployments[0].statuses[2]).toMatchObject({
    description: 'Preview removed: pull request #7 closed',
    log_url: RUN_LOG('32')
  })
  const [comment] = ours()
  expect(ours()).toHaveLength(1)
  expect(comment.body).toContain('### 🧹 Preview of `shop` in `default` removed')
  expect(comment.body).toContain(
    'The tag `pr-7` (`shop-pr-7-bbbbbbb`) is gone with pull request #7'
  )
  expectRequestsValid(github.requests, TOKEN)
})

test('a cleanup with no preview of ours posts no comment on the closed pull request', async () => {
  const world = new World()
  await world.deployed()
  const gone = await previewRun(world, {
    event: 'pull_request',
    action: 'closed',
    runId: '41',
    head: HEAD_SHA,
    given: { cleanup: 'true' }
  })
  expect(gone.result).toBe('unchanged')
  expect(github.comments.get(PR) ?? []).toEqual([])
  expect(github.deployments).toEqual([])
  expectRequestsValid(github.requests, TOKEN)
})

test('a dispatched preview of pull request 7 names its head commit, asked of GitHub', async () => {
  const world = new World()
  await world.deployed()
  github.pulls.push({
    number: PR,
    state: 'open',
    head: { label: 'acme:feature', ref: 'feature', sha: HEAD_SHA, repo: { full_name: 'acme/shop' } }
  } as StandInPullRequest)
  const out = await previewRun(
    world,
    { event: 'workflow_dispatch', runId: '51', given: { 'pull-request': String(PR) } },
    'registry.local/shop:pr7'
  )
  expect(out.result).toBe('previewed')
  // Not the dispatch's GITHUB_SHA (the default branch): the pull request's head.
  expect(github.deployments.map((d) => d.ref)).toEqual([HEAD_SHA])
  expect(ours()).toHaveLength(1)
  expectRequestsValid(github.requests, TOKEN)
})
