// The Deployments a rollout records, for a pull request, a push and a dispatched `promote`:
// the commit each names, what a paused one says, and older ones made inactive. The engine
// runs in virtual time on the in-memory Knative; GitHub is the loopback stand-in, and every
// request is checked against GitHub's published OpenAPI description.

import { parseInputs } from '../../../src/inputs.js'
import { gitHubReporter } from '../../../src/github/rollout-report.js'
import { recordedCommit } from '../../../src/github/recorded-commit.js'
import { readState } from '../../../src/rollout/state.js'
import type { RunOutcome } from '../../../src/rollout/result.js'
import { expectRequestsValid } from '../../helpers/github-openapi.js'
import { startGitHubServer, type FakeGitHub } from '../../helpers/github-server.js'
import { inputs, manifest, NS, SVC, World } from '../../helpers/engine-harness.js'
import { memoryLogger } from '../../helpers/memory-logger.js'

const TOKEN = 'ghs_deploymentsTestToken'
const MERGE_SHA = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const HEAD_SHA = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'
const PUSH_SHA = 'cccccccccccccccccccccccccccccccccccccccc'
const DISPATCH_SHA = 'dddddddddddddddddddddddddddddddddddddddd'
const V2 = manifest('registry.local/shop:v2')

let github: FakeGitHub
beforeAll(async () => {
  github = await startGitHubServer()
})
afterAll(() => github.close())
beforeEach(() => {
  github.requests.length = 0
  github.deployments.length = 0
})

/** The action's view of one run: its GitHub environment and event, and the reporter. */
function reporter(
  world: World,
  run: { command?: string; event: string; sha: string; payload?: object; runId: string }
) {
  const env = {
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: run.sha,
    GITHUB_EVENT_NAME: run.event,
    GITHUB_RUN_ID: run.runId,
    GITHUB_API_URL: github.url
  }
  const given: Record<string, string> = {
    service: SVC,
    'github-token': TOKEN,
    environment: 'production',
    command: run.command ?? 'rollout',
    ...(run.command ? {} : { image: 'registry.local/shop:v2' })
  }
  const r = gitHubReporter(
    parseInputs((name) => given[name]),
    env,
    run.payload && JSON.stringify(run.payload),
    memoryLogger(),
    fetch,
    () => recordedCommit(() => world.knative.getService(NS, SVC))
  )
  if (!r) throw new Error('no reporter')
  return r
}

/** One run: the Deployment started, the engine's rollout, the Deployment finished. */
async function deploy(
  world: World,
  run: Parameters<typeof reporter>[1],
  engine: () => Promise<RunOutcome>
): Promise<RunOutcome> {
  const r = reporter(world, run)
  await r.start({ namespace: NS, service: SVC })
  const outcome = await engine()
  await r.finish(outcome)
  return outcome
}

const statesOf = (i: number) => github.deployments[i].statuses.map((s) => s.state)

test('a pull request: the PR head commit, not the merge commit; a pause says so', async () => {
  const world = new World()
  await world.deployed()
  const out = await deploy(
    world,
    {
      event: 'pull_request',
      sha: MERGE_SHA,
      payload: { pull_request: { number: 7, head: { sha: HEAD_SHA } } },
      runId: '11'
    },
    () => world.run({ inputs: inputs({ revisionName: 'shop-v2', pauseAt: 25 }), manifest: V2 })
  )
  expect(out.result).toBe('paused')
  expect(github.deployments).toHaveLength(1)
  expect(github.deployments[0]).toMatchObject({
    ref: HEAD_SHA,
    task: 'deploy:knative-rollout',
    environment: 'production'
  })
  const [started, paused] = github.deployments[0].statuses
  expect(started).toMatchObject({ state: 'in_progress', description: 'Rolling out shop' })
  // GitHub has no paused state: in progress, and the description says what it waits for.
  expect(paused).toMatchObject({
    state: 'in_progress',
    description: 'Paused at 25% on shop-v2: waiting for promote or abort',
    environment_url: 'http://shop.default.example.com',
    log_url: 'https://github.com/acme/shop/actions/runs/11/attempts/1'
  })
  expectRequestsValid(github.requests, TOKEN)
})

test('a push: GITHUB_SHA; the next success retires the production one before it', async () => {
  const world = new World()
  await world.deployed()
  await deploy(world, { event: 'push', sha: PUSH_SHA, runId: '21' }, () =>
    world.run({ inputs: inputs({ revisionName: 'shop-v2' }), manifest: V2, sha: PUSH_SHA })
  )
  await deploy(world, { event: 'push', sha: DISPATCH_SHA, runId: '22' }, () =>
    world.run({
      inputs: inputs({ revisionName: 'shop-v3' }),
      manifest: manifest('registry.local/shop:v3'),
      sha: DISPATCH_SHA
    })
  )
  expect(github.deployments.map((d) => d.ref)).toEqual([PUSH_SHA, DISPATCH_SHA])
  // auto_inactive skips production environments: the first success is retired by hand.
  expect(statesOf(0)).toEqual(['in_progress', 'success', 'inactive'])
  expect(github.deployments[0].statuses[2].description).toBe(
    `Superseded by deployment ${github.deployments[1].id}`
  )
  expect(statesOf(1)).toEqual(['in_progress', 'success'])
  expect(github.deployments[1].statuses[1]).toMatchObject({
    description: 'Promoted shop-v3: it serves 100%',
    environment_url: 'http://shop.default.example.com',
    auto_inactive: true
  })
  expectRequestsValid(github.requests, TOKEN)
})

test('a dispatched promote names the commit its rollout recorded, and closes the paused one', async () => {
  const world = new World()
  await world.deployed()
  await deploy(world, { event: 'push', sha: PUSH_SHA, runId: '31' }, () =>
    world.run({
      inputs: inputs({ revisionName: 'shop-v2', pauseAt: 25 }),
      manifest: V2,
      sha: PUSH_SHA
    })
  )
  expect(readState(await world.service())?.commit).toBe(PUSH_SHA)
  const promoted = await deploy(
    world,
    { command: 'promote', event: 'workflow_dispatch', sha: DISPATCH_SHA, runId: '32' },
    () => world.run({ inputs: inputs({ command: 'promote' }) })
  )
  expect(promoted.result).toBe('promoted')
  expect(github.deployments.map((d) => d.ref)).toEqual([PUSH_SHA, PUSH_SHA])
  // The paused deployment no longer stays in progress for good.
  expect(statesOf(0)).toEqual(['in_progress', 'in_progress', 'inactive'])
  expect(statesOf(1)).toEqual(['in_progress', 'success'])
  expectRequestsValid(github.requests, TOKEN)
})
