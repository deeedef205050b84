import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { GitHubApi } from '../../../src/github/api.js'
import { GitBranchPusher } from '../../../src/gitops/branch-push.js'
import { DEFAULT_AUTHOR } from '../../../src/gitops/git.js'
import { pullRequestBranch } from '../../../src/gitops/pull-request.js'
import type { WriteBackEvent } from '../../../src/gitops/write-back.js'
import { writeBack, type WriteBackDeps } from '../../../src/gitops/write-back-run.js'
import { bareRepo, git, type BareRepo } from '../../helpers/bare-repo.js'
import { expectRequestsValid } from '../../helpers/github-openapi.js'
import { startGitHubServer, type FakeGitHub } from '../../helpers/github-server.js'
import { memoryLogger } from '../../helpers/memory-logger.js'
import {
  digestOf,
  promotedTo,
  rolledBackTo,
  shortDigestOf
} from '../../helpers/write-back-events.js'

const TOKEN = 'ghs_pullRequestToken42'
const MANIFEST = 'deploy/web.yaml'
const BRANCH = 'knative-rollout/prod/web'
const v1 = readFileSync(join('test/fixtures/gitops', 'v1-service.yaml'), 'utf8')
const promote = (revision: string, c: string) => promotedTo(revision, c)
const rolledBack = rolledBackTo('error rate 12% > 5%')

let github: FakeGitHub
let repo: BareRepo
let checkout: string

beforeAll(async () => {
  github = await startGitHubServer()
})
afterAll(() => github.close())
beforeEach(() => {
  github.requests.length = 0
  github.pulls.length = 0
  github.refusePullRequests = undefined
  repo = bareRepo({ [MANIFEST]: v1, 'README.md': 'shop\n' })
  checkout = repo.clone('checkout')
})
afterEach(() => {
  repo.remove()
  // Whatever a test did, every request it sent is one GitHub's description accepts.
  expectRequestsValid(github.requests, TOKEN)
})

function deps(event: WriteBackEvent, log = memoryLogger()): WriteBackDeps {
  return {
    github: {
      pusher: new GitBranchPusher(checkout, { base: 'main' }),
      api: new GitHubApi(github.url, TOKEN),
      target: { owner: 'acme', repo: 'shop' },
      branch: pullRequestBranch('prod', 'web')
    },
    manifestPath: MANIFEST,
    event,
    log
  }
}

const remoteRef = (ref: string) => git(repo.remote, 'rev-parse', ref)
const requests = () => github.requests.map((r) => `${r.method} ${r.url}`)

test('the first rollout opens the PR; the next one updates the same PR in place, on the new base', async () => {
  const first = await writeBack('pull-request', deps(promote('web-00002', 'a')))
  expect(first).toEqual({
    commit: remoteRef(BRANCH),
    pullRequest: 'https://github.com/acme/shop/pull/1'
  })
  // One commit on main, holding the planned file; main itself untouched.
  expect(git(repo.remote, 'rev-parse', `${BRANCH}^`)).toBe(remoteRef('main'))
  expect(repo.show(BRANCH, MANIFEST)).toContain(`'${digestOf('a')}'`)
  expect(repo.show('main', MANIFEST)).toBe(v1)
  expect(git(repo.remote, 'log', '-1', '--format=%an <%ae>|%s', BRANCH)).toBe(
    `${DEFAULT_AUTHOR.name} <${DEFAULT_AUTHOR.email}>|Promote prod/web to web-00002 (${shortDigestOf('a')}, was web-00001): 4 steps passed`
  )
  expect(github.pulls).toMatchObject([
    { number: 1, state: 'open', head: { ref: BRANCH }, base: { ref: 'main' } }
  ])
  expect(requests()).toEqual([
    'GET /repos/acme/shop/pulls?head=acme%3Aknative-rollout%2Fprod%2Fweb&state=open&per_page=100',
    'POST /repos/acme/shop/pulls'
  ])

  // Meanwhile main moves on; the next promotion starts again from it.
  repo.pushFromElsewhere('README.md', 'shop, the web shop\n', 'docs')
  github.requests.length = 0
  const second = await writeBack('pull-request', deps(promote('web-00003', 'b')))
  expect(second).toEqual({
    commit: remoteRef(BRANCH),
    pullRequest: 'https://github.com/acme/shop/pull/1'
  })
  expect(git(repo.remote, 'rev-parse', `${BRANCH}^`)).toBe(remoteRef('main'))
  expect(git(repo.remote, 'rev-list', '--count', `main..${BRANCH}`)).toBe('1')
  expect(repo.show(BRANCH, MANIFEST)).toContain(`'${digestOf('b')}'`)
  expect(github.pulls).toHaveLength(1)
  expect(github.pulls[0].title).toMatch(/^Promote prod\/web to web-00003 /)
  expect(requests()).toEqual([
    'GET /repos/acme/shop/pulls?head=acme%3Aknative-rollout%2Fprod%2Fweb&state=open&per_page=100',
    'PATCH /repos/acme/shop/pulls/1'
  ])
})

test('the same change again pushes nothing and leaves one PR', async () => {
  await writeBack('pull-request', deps(promote('web-00002', 'a')))
  const head = remoteRef(BRANCH)
  const again = await writeBack('pull-request', deps(promote('web-00002', 'a')))
  expect(again).toEqual({ pullRequest: 'https://github.com/acme/shop/pull/1' })
  expect(remoteRef(BRANCH)).toBe(head)
  expect(github.pulls).toHaveLength(1)
})

test("the checkout's branch, index and working tree are left as they were", async () => {
  const before = git(checkout, 'rev-parse', 'HEAD')
  await writeBack('pull-request', deps(promote('web-00002', 'a')))
  expect(git(checkout, 'rev-parse', 'HEAD')).toBe(before)
  expect(git(checkout, 'status', '--porcelain')).toBe('')
  expect(readFileSync(join(checkout, MANIFEST), 'utf8')).toBe(v1)
})

test('a rollback after a promotion turns the same PR into a revert', async () => {
  repo.pushFromElsewhere(
    MANIFEST,
    v1.replace("shop/web:1.0.0'", "shop/web:2.0.0'").replace('web-00001   #', 'web-00002   #'),
    'web 2.0.0'
  )
  await writeBack('pull-request', deps(promote('web-00002', 'a')))
  const back = await writeBack('pull-request', deps(rolledBack))
  expect(back.pullRequest).toBe('https://github.com/acme/shop/pull/1')
  expect(github.pulls).toHaveLength(1)
  expect(github.pulls[0].title).toBe(
    'Revert prod/web to web-00001 (registry.example.com/shop/web:1.0.0): web-00002 rolled back: error rate 12% > 5%'
  )
  expect(repo.show(BRANCH, MANIFEST)).toContain("'registry.example.com/shop/web:1.0.0'")
})

test('every request is one GitHub accepts, sent with the token', async () => {
  await writeBack('pull-request', deps(promote('web-00002', 'a')))
  await writeBack('pull-request', deps(promote('web-00003', 'b')))
  expect(github.requests.length).toBe(4)
  expectRequestsValid(github.requests, TOKEN)
})

test('a repository that forbids Actions to open PRs: the setting to change, named', async () => {
  github.refusePullRequests = {
    status: 403,
    message: 'GitHub Actions is not permitted to create or approve pull requests.'
  }
  const log = memoryLogger()
  const out = await writeBack('pull-request', deps(promote('web-00002', 'a'), log))
  expect(out.pullRequest).toBeUndefined()
  expect(out.problem).toMatch(
    /acme\/shop: enable the repository setting "Allow GitHub Actions to create and approve pull requests" \(Settings → Actions → General → Workflow permissions/
  )
  expect(log.lines).toContain(`warning: ${out.problem}`)
  expect(github.pulls).toHaveLength(0)
})

test('a token without pull-requests: write: the permission to add, named', async () => {
  github.refusePullRequests = { status: 403, message: 'Resource not accessible by integration' }
  const out = await writeBack('pull-request', deps(promote('web-00002', 'a')))
  expect(out.problem).toMatch(/permissions: contents: write, pull-requests: write/)
})

test('an open PR that git no longer needs (main got there another way) is closed', async () => {
  await writeBack('pull-request', deps(promote('web-00002', 'a')))
  repo.pushFromElsewhere(MANIFEST, repo.show(BRANCH, MANIFEST), 'the same change, by hand')
  const log = memoryLogger()
  expect(await writeBack('pull-request', deps(promote('web-00002', 'a'), log))).toEqual({})
  expect(github.pulls).toMatchObject([{ number: 1, state: 'closed' }])
  expect(log.lines).toContain(
    'write-back: closed pull request #1 (https://github.com/acme/shop/pull/1): no longer needed'
  )
})

test('a manifest path written ./deploy/web.yaml names the same file in the tree', async () => {
  const out = await writeBack('pull-request', {
    ...deps(promote('web-00002', 'a')),
    manifestPath: `./${MANIFEST}`
  })
  expect(out.problem).toBeUndefined()
  expect(repo.show(BRANCH, MANIFEST)).toContain(`'${digestOf('a')}'`)
  expect(git(repo.remote, 'ls-tree', '-r', '--name-only', BRANCH)).toBe(`README.md\n${MANIFEST}`)
})

test('dry run: the diff it would propose, and nothing pushed or requested', async () => {
  const log = memoryLogger()
  const out = await writeBack('pull-request', {
    ...deps(promote('web-00002', 'a'), log),
    dryRun: true
  })
  expect(out).toEqual({})
  expect(log.lines).toContain(`-        - image: 'registry.example.com/shop/web:1.0.0'`)
  expect(log.lines).toContain(`+        - image: '${digestOf('a')}'`)
  expect(git(repo.remote, 'branch', '--list', BRANCH)).toBe('')
  expect(github.requests).toHaveLength(0)
})

describe('pullRequestBranch', () => {
  test.each([
    ['namespace and service', undefined, 'knative-rollout/prod/web'],
    ['with an environment', 'production', 'knative-rollout/production/prod/web'],
    [
      'an environment that is no ref name, made one',
      ' eu west..1: ~^ ',
      'knative-rollout/eu-west.1/prod/web'
    ]
  ])('%s', (_name, environment, branch) => {
    expect(pullRequestBranch('prod', 'web', environment)).toBe(branch)
    expect(() => git('.', 'check-ref-format', `refs/heads/${branch}`)).not.toThrow()
  })
})
