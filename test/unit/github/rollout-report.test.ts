import { parseInputs } from '../../../src/inputs.js'
import { memoryLogger } from '../../helpers/memory-logger.js'
import { deploymentStateFor, gitHubReporter } from '../../../src/github/rollout-report.js'

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
