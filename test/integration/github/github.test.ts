import { GitHubApi } from '../../../src/github/api.js'
import { readGitHubContext, type GitHubContext } from '../../../src/github/context.js'
import { Deployments } from '../../../src/github/deployments.js'
import { stickyMarker, upsertStickyComment } from '../../../src/github/pr-comment.js'
import { checkAgainstOpenApi, expectRequestsValid } from '../../helpers/github-openapi.js'
import { startGitHubServer, type FakeGitHub } from '../../helpers/github-server.js'

const TOKEN = 'ghs_secretTokenValue123'
let github: FakeGitHub
let context: GitHubContext

beforeAll(async () => {
  github = await startGitHubServer()
})
afterAll(() => github.close())
beforeEach(() => {
  github.requests.length = 0
  github.failWith = undefined
  context = readGitHubContext(
    {
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SHA: 'abc123def',
      GITHUB_REF: 'refs/pull/7/merge',
      GITHUB_RUN_ID: '42',
      GITHUB_API_URL: github.url
    },
    JSON.stringify({ pull_request: { number: 7 } })
  )!
})

function expectAllValid() {
  expect(github.requests.length).toBeGreaterThan(0)
  expectRequestsValid(github.requests, TOKEN)
  for (const r of github.requests) expect(r.headers['x-github-api-version']).toBe('2022-11-28')
}

describe('GitHub context', () => {
  test.each([
    ['a pull request run', { pull_request: { number: 7 } }, 7],
    ['a push run', { ref: 'refs/heads/main' }, undefined],
    ['no payload', undefined, undefined]
  ])('%s', (_name, payload, pr) => {
    const ctx = readGitHubContext(
      { GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'abc', GITHUB_RUN_ID: '9' },
      payload && JSON.stringify(payload)
    )
    expect(ctx?.pullRequest).toBe(pr)
    expect(ctx?.runUrl).toBe('https://github.com/acme/shop/actions/runs/9/attempts/1')
  })

  test.each([
    [
      'a pull request: its head commit',
      'pull_request',
      { pull_request: { number: 7, head: { sha: 'b'.repeat(40) } } },
      'b'.repeat(40)
    ],
    [
      'pull_request_target too',
      'pull_request_target',
      { pull_request: { number: 7, head: { sha: 'c'.repeat(40) } } },
      'c'.repeat(40)
    ],
    [
      'a push: GITHUB_SHA',
      'push',
      { pull_request: { head: { sha: 'b'.repeat(40) } } },
      'a'.repeat(40)
    ],
    [
      'a head that is not a SHA: GITHUB_SHA',
      'pull_request',
      { pull_request: { head: { sha: 'main; rm -rf' } } },
      'a'.repeat(40)
    ],
    ['no payload: GITHUB_SHA', 'pull_request', undefined, 'a'.repeat(40)]
  ])('the deployed commit, %s', (_name, event, payload, sha) => {
    const ctx = readGitHubContext(
      { GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'a'.repeat(40), GITHUB_EVENT_NAME: event },
      payload && JSON.stringify(payload)
    )
    expect(ctx?.deployedSha).toBe(sha)
  })

  test('outside GitHub there is no context', () => {
    expect(readGitHubContext({})).toBeUndefined()
  })
})

describe('Deployments', () => {
  test('a successful rollout: created, in progress, success with the URL', async () => {
    const d = new Deployments(new GitHubApi(github.url, TOKEN), context)
    await d.start({
      environment: 'production',
      service: 'shop',
      namespace: 'default',
      revision: 'shop-abc123d'
    })
    await d.status('success', 'Promoted shop-abc123d', 'http://shop.default.example.com')
    expect(
      github.requests.map((r) => `${r.method} ${new URL(r.url, 'http://x').pathname}`)
    ).toEqual([
      'POST /repos/acme/shop/deployments',
      'POST /repos/acme/shop/deployments/1000/statuses',
      'POST /repos/acme/shop/deployments/1000/statuses'
    ])
    expect(github.requests[0].body).toMatchObject({
      ref: 'abc123def',
      environment: 'production',
      auto_merge: false,
      required_contexts: []
    })
    expect(github.requests[1].body).toMatchObject({ state: 'in_progress' })
    expect(github.requests[2].body).toMatchObject({
      state: 'success',
      environment_url: 'http://shop.default.example.com'
    })
    expectAllValid()
  })

  test('a failed rollout gets no environment URL', async () => {
    const d = new Deployments(new GitHubApi(github.url, TOKEN), context)
    await d.start({
      environment: 'staging',
      service: 'shop',
      namespace: 'default',
      revision: 'shop-x'
    })
    await d.status('failure', 'Rolled back: 12% errors', 'http://shop.default.example.com')
    expect(github.requests[2].body).not.toHaveProperty('environment_url')
    expectAllValid()
  })

  test('an API error names the call and status but never the token', async () => {
    github.failWith = 401
    const d = new Deployments(new GitHubApi(github.url, TOKEN), context)
    const error = await d
      .start({ environment: 'p', service: 's', namespace: 'n', revision: 's-1' })
      .catch((e) => e)
    expect(String(error.message)).toContain(
      'POST /repos/acme/shop/deployments answered 401: Bad credentials'
    )
    expect(String(error.message)).not.toContain(TOKEN)
  })
})

describe('sticky PR comment', () => {
  const marker = stickyMarker('default', 'shop')

  test('created once, then edited in place', async () => {
    const api = new GitHubApi(github.url, TOKEN)
    expect(await upsertStickyComment(api, context, marker, 'first')).toBe('created')
    expect(await upsertStickyComment(api, context, marker, 'second')).toBe('updated')
    expect(github.comments.get(7)).toEqual([
      { id: expect.any(Number), body: `${marker}\nsecond`, user: { login: 'github-actions[bot]' } }
    ])
    expectAllValid()
  })

  test.each([
    // GITHUB_TOKEN cannot read GET /user: its comments are github-actions[bot]'s.
    { name: 'GITHUB_TOKEN', login: undefined, author: 'github-actions[bot]' },
    { name: 'a personal token', login: 'deploy-bot', author: 'deploy-bot' }
  ])(
    '$name: a comment with our marker by someone else is left alone',
    async ({ login, author }) => {
      github.login = login
      github.comments.set(7, [
        { id: 1, body: `${marker}\nforged by mallory`, user: { login: 'mallory' } }
      ])
      try {
        const api = new GitHubApi(github.url, TOKEN)
        expect(await upsertStickyComment(api, context, marker, 'first')).toBe('created')
        expect(await upsertStickyComment(api, context, marker, 'second')).toBe('updated')
        expect(github.comments.get(7)!.map((c) => [c.user?.login, c.body])).toEqual([
          ['mallory', `${marker}\nforged by mallory`],
          [author, `${marker}\nsecond`]
        ])
        expectAllValid()
      } finally {
        github.login = undefined
        github.comments.delete(7)
      }
    }
  )

  test('runs without a pull request make no request', async () => {
    const api = new GitHubApi(github.url, TOKEN)
    expect(
      await upsertStickyComment(api, { ...context, pullRequest: undefined }, marker, 'x')
    ).toBe('skipped')
    expect(github.requests).toEqual([])
  })
})

describe('the OpenAPI check itself', () => {
  test.each([
    ['an unknown path', 'POST', '/repos/a/b/deployment', {}, 'no path'],
    ['a wrong method', 'PUT', '/repos/a/b/deployments', {}, 'is not an operation'],
    [
      'a bad enum value',
      'POST',
      '/repos/a/b/deployments/1/statuses',
      { state: 'done' },
      'not one of'
    ],
    [
      'an undeclared property',
      'POST',
      '/repos/a/b/issues/1/comments',
      { body: 'x', colour: 'red' },
      'not a property'
    ],
    [
      'a missing required property',
      'POST',
      '/repos/a/b/deployments',
      { environment: 'p' },
      'body.ref is required'
    ],
    [
      'an undeclared query parameter',
      'GET',
      '/repos/a/b/issues/1/comments?perpage=5',
      undefined,
      'query parameter "perpage"'
    ]
  ])('flags %s', (_name, method, url, body, problem) => {
    expect(checkAgainstOpenApi(method, url, body).join('\n')).toContain(problem)
  })
})
