import { parseInputs } from '../../../src/inputs.js'
import { memoryLogger } from '../../helpers/memory-logger.js'
import {
  deploymentStateFor,
  gitHubReporter,
  statusLine
} from '../../../src/github/rollout-report.js'

describe('the Deployment state for each result', () => {
  test.each([
    ['promoted', 'rollout', 'promoted', 'success'],
    ['paused waits for promote or abort', 'rollout', 'paused', 'in_progress'],
    ['rolled back', 'rollout', 'rolled-back', 'failure'],
    ['failed', 'promote', 'failed', 'failure'],
    ['aborted on request', 'abort', 'aborted', 'inactive'],
    ['a rollout of what already serves', 'rollout', 'unchanged', 'success'],
    ['nothing to abort', 'abort', 'unchanged', 'inactive']
  ] as const)('%s → %s', (_name, command, result, state) => {
    expect(deploymentStateFor({ command, result })).toBe(state)
  })
})

describe('when the action talks to GitHub at all', () => {
  const env = {
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: 'abc',
    GITHUB_API_URL: 'http://127.0.0.1:9'
  }
  const inputs = (extra: Record<string, string>) =>
    parseInputs((name) => ({ service: 'shop', image: 'nginx', ...extra })[name])
  test.each([
    ['a token on a runner', { 'github-token': 't' }, env, true],
    ['no token', {}, env, false],
    ['outside GitHub (no GITHUB_REPOSITORY / GITHUB_SHA)', { 'github-token': 't' }, {}, false],
    ['the status command', { 'github-token': 't', command: 'status' }, env, false],
    ['a dry run', { 'github-token': 't', 'dry-run': 'true' }, env, false]
  ])('%s', (_name, extra, environment, expected) => {
    const reporter = gitHubReporter(inputs(extra), environment, undefined, memoryLogger())
    expect(reporter !== undefined).toBe(expected)
  })
})

describe('the Deployment status description', () => {
  const report = {
    command: 'rollout',
    service: 'shop',
    namespace: 'default',
    currentRevision: 'shop-v1',
    candidateRevision: 'shop-v2',
    steps: [],
    traffic: [
      { revisionName: 'shop-v1', percent: 75, tag: 'current' },
      { revisionName: 'shop-v2', percent: 25, tag: 'candidate' }
    ]
  }
  test.each([
    [
      'paused: in progress, and it says it waits',
      'paused',
      undefined,
      'Paused at 25% on shop-v2: waiting for promote or abort'
    ],
    ['promoted', 'promoted', undefined, 'Promoted shop-v2: it serves 100%'],
    [
      'rolled back, with the reason',
      'rolled-back',
      'step 10%: 12 of 50 failed',
      'Rolled back shop-v2: step 10%: 12 of 50 failed'
    ],
    ['failed', 'failed', 'timed out', 'Failed: timed out'],
    ['aborted', 'aborted', undefined, 'Aborted shop-v2; shop-v1 serves 100%']
  ] as const)('%s', (_name, result, reason, expected) => {
    expect(statusLine({ ...report, result, ...(reason ? { reason } : {}) })).toBe(expected)
  })

  test('a reason quoting an app is one escaped line, bounded, its URL credentials gone', () => {
    const reason = `Container failed with: crashed\n::error::PWNED\r\nsee http://u:pw@x.example/ ${'z'.repeat(500)}`
    const line = statusLine({ ...report, result: 'rolled-back', reason })
    expect(line).toMatch(
      /^Rolled back shop-v2: Container failed with: crashed\\n::error::PWNED\\r\\nsee http:\/\/\*\*\*@x\.example\/ z+… \(\d+ more characters\)$/
    )
    expect(line).not.toContain('pw@')
  })
})
