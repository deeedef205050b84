// What a pipeline tells GitHub (docs/pipelines.md): every Service in every cluster records
// its own Deployment, in its cluster's environment, with the commit and the states of its own
// rollout; a stage that never started records none; and the pull request gets one comment
// for the whole run, with the table of Services. The pipeline runs in virtual time on the
// in-memory Knative; GitHub is the loopback stand-in (which applies GitHub's auto_inactive),
// and every request is checked against GitHub's published OpenAPI description.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseInputs } from '../../../src/inputs.js'
import { pipelineReporter } from '../../../src/github/pipeline-report.js'
import { reportingFor } from '../../../src/github/rollout-report.js'
import { runPipeline } from '../../../src/pipeline/run-pipeline.js'
import { expectRequestsValid } from '../../helpers/github-openapi.js'
import { startGitHubServer, type FakeGitHub } from '../../helpers/github-server.js'
import { inputs, manifest, NS, RUN, World } from '../../helpers/engine-harness.js'
import { memoryLogger } from '../../helpers/memory-logger.js'
import { serviceYaml } from '../../helpers/service-yaml.js'

const TOKEN = 'ghs_pipelineDeploymentsToken'
const MERGE_SHA = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const HEAD_SHA = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'
const PUSH_SHA = 'cccccccccccccccccccccccccccccccccccccccc'
const DISPATCH_SHA = 'dddddddddddddddddddddddddddddddddddddddd'
const SERVICES = ['cart', 'shop', 'users']
const MARKER = '<!-- knative-rollout:pipeline:default:stg,eu -->'
const WAVES = `
- name: staging
  clusters: [{name: stg, kubeconfig-env: KC_STG}]
- name: production
  clusters: [{name: eu, kubeconfig-env: KC_EU}]
`

let github: FakeGitHub
let workspace: string
beforeAll(async () => {
  github = await startGitHubServer()
  workspace = await mkdtemp(join(tmpdir(), 'pipeline-deployments-'))
  await mkdir(join(workspace, 'deploy'))
  for (const name of SERVICES) {
    // users is the bad release: half its answers are errors.
    const env: Record<string, string> = name === 'users' ? { EMULATOR_ERROR_RATE: '0.5' } : {}
    await writeFile(
      join(workspace, 'deploy', `${name}.yaml`),
      serviceYaml(name, `registry.local/${name}:v2`, env)
    )
  }
})
afterAll(async () => {
  await github.close()
  await rm(workspace, { recursive: true, force: true })
})

/** Each Service serving its v1 (a first deploy through the engine). */
async function deployedWorld(): Promise<World> {
  const world = new World()
  for (const name of SERVICES) {
    const m = manifest(`registry.local/${name}:v1`)
    m.service.metadata.name = name
    const out = await world.run({
      inputs: inputs({ service: name, revisionName: `${name}-v1` }),
      manifest: m
    })
    if (out.result !== 'promoted') throw new Error(`set-up failed: ${out.message}`)
  }
  return world
}

async function pullRequestPipeline(world: World) {
  return pipeline(world, {
    event: 'pull_request',
    sha: MERGE_SHA,
    payload: { pull_request: { number: 7, head: { sha: HEAD_SHA } } }
  })
}

async function pipeline(
  world: World,
  run: { event: string; sha: string; payload?: object; given?: Record<string, string> }
) {
  const env = {
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: run.sha,
    GITHUB_EVENT_NAME: run.event,
    GITHUB_RUN_ID: '41',
    GITHUB_API_URL: github.url,
    GITHUB_WORKSPACE: workspace,
    KC_STG: 'not read: the in-memory Knative is every cluster',
    KC_EU: 'not read: the in-memory Knative is every cluster'
  }
  const given: Record<string, string> = {
    manifest: 'deploy/*.yaml',
    waves: WAVES,
    environment: 'acme',
    'github-token': TOKEN,
    steps: '25,100',
    'step-interval': '30s',
    'probe-rps': '10',
    'max-parallel': '1',
    ...run.given
  }
  const parsed = parseInputs((n) => given[n])
  const payload = run.payload && JSON.stringify(run.payload)
  const reporter = pipelineReporter(
    parsed,
    reportingFor(parsed, env, payload, memoryLogger(), fetch)
  )!
  const out = await runPipeline(parsed, {
    clock: world.clock,
    log: memoryLogger(),
    env,
    client: world.knative,
    prober: world.knative,
    me: RUN,
    onUnit: reporter
  })
  await reporter.finish({ ...out, rows: out.results, result: out.outcome.result })
  return out
}

test('three Services, one bad: three Deployments in the cluster’s environment, each with its own states; one comment', async () => {
  // A comment of ours from an earlier run, and a stranger's that copies the marker.
  github.comments.set(7, [
    { id: 1, body: `${MARKER}\nforged`, user: { login: 'mallory' } },
    { id: 2, body: `${MARKER}\nthe run before`, user: { login: 'github-actions[bot]' } }
  ])
  const world = await deployedWorld()
  const out = await pullRequestPipeline(world)
  expect(out.results.map((r) => [r.cluster, r.service, r.result])).toEqual([
    ['stg', 'cart', 'promoted'],
    ['stg', 'shop', 'promoted'],
    ['stg', 'users', 'rolled-back'],
    ['eu', 'cart', 'unchanged'],
    ['eu', 'shop', 'unchanged'],
    ['eu', 'users', 'unchanged']
  ])

  // Production never started: no Deployment there.
  expect(
    github.deployments.map((d) => [
      d.environment,
      d.ref,
      d.task,
      d.payload,
      d.statuses.map((s) => s.state)
    ])
  ).toEqual([
    [
      'acme-stg',
      HEAD_SHA,
      'deploy:knative-rollout',
      { service: 'cart', namespace: NS, wave: 'staging', cluster: 'stg' },
      ['in_progress', 'success']
    ],
    [
      'acme-stg',
      HEAD_SHA,
      'deploy:knative-rollout',
      { service: 'shop', namespace: NS, wave: 'staging', cluster: 'stg' },
      ['in_progress', 'success']
    ],
    [
      'acme-stg',
      HEAD_SHA,
      'deploy:knative-rollout',
      { service: 'users', namespace: NS, wave: 'staging', cluster: 'stg' },
      ['in_progress', 'failure']
    ]
  ])
  // Each success leaves the other Services' successes in the shared environment alone.
  for (const d of github.deployments.slice(0, 2)) {
    expect(d.statuses[1]).toMatchObject({
      state: 'success',
      auto_inactive: false,
      environment_url: `http://${(d.payload as { service: string }).service}.default.example.com`
    })
  }
  expect((github.deployments[2] as { description?: string }).description).toBe(
    'Progressive rollout of default/users in stg'
  )
  expect(github.deployments[2].statuses[1].description).toMatch(
    /^Rolled back users-aaaaaaa: step 25%: The candidate fails more often/
  )

  // One comment of ours, edited in place; the stranger's untouched.
  const comments = github.comments.get(7)!
  expect(comments.map((c) => [c.id, c.user?.login])).toEqual([
    [1, 'mallory'],
    [2, 'github-actions[bot]']
  ])
  expect(comments[0].body).toBe(`${MARKER}\nforged`)
  const body = comments[1].body
  expect(body.startsWith(`${MARKER}\n## `)).toBe(true)
  expect(body).toContain('| Wave | Cluster | Service | Result |')
  for (const name of SERVICES) expect(body).toContain(`| staging | stg | ${name} (default) |`)
  expect(body).toMatch(
    /\| production \| eu \| users \(default\) \| [^|]+ \| – \| – \| not started: /
  )
  expectRequestsValid(github.requests, TOKEN)
})

test('a dispatched promote of a paused stage: each Service’s Deployment names the commit its rollout recorded in that cluster', async () => {
  github.deployments.length = 0
  github.requests.length = 0
  const world = await deployedWorld()
  const staging = {
    manifest: 'deploy/cart.yaml\ndeploy/shop.yaml',
    waves: '- {name: staging, clusters: [{name: stg, kubeconfig-env: KC_STG}]}'
  }
  const paused = await pipeline(world, {
    event: 'push',
    sha: PUSH_SHA,
    given: { ...staging, 'pause-at': '25' }
  })
  expect(paused.results.map((r) => r.result)).toEqual(['paused', 'paused'])
  const promoted = await pipeline(world, {
    event: 'workflow_dispatch',
    sha: DISPATCH_SHA,
    given: { ...staging, command: 'promote' }
  })
  expect(promoted.results.map((r) => r.result)).toEqual(['promoted', 'promoted'])
  expect(
    github.deployments.map((d) => [
      (d.payload as { service: string }).service,
      d.ref,
      d.statuses.map((s) => s.state)
    ])
  ).toEqual([
    // The paused ones, closed by the promote that superseded them.
    ['cart', PUSH_SHA, ['in_progress', 'in_progress', 'inactive']],
    ['shop', PUSH_SHA, ['in_progress', 'in_progress', 'inactive']],
    // The promote deploys the pushed commit, not the dispatch's.
    ['cart', PUSH_SHA, ['in_progress', 'success']],
    ['shop', PUSH_SHA, ['in_progress', 'success']]
  ])
  expect(github.deployments[0].statuses[1].description).toBe(
    'Paused at 25% on cart-ccccccc: waiting for promote or abort'
  )
  expectRequestsValid(github.requests, TOKEN)
})
