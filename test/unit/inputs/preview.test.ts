// The preview's own inputs (cleanup, pull-request) and the pull request read from the event.

import { InputError } from '../../../src/input-error.js'
import { parseInputs } from '../../../src/inputs.js'
import {
  parsePreviewInputs,
  pullRequestOfEvent,
  withEventPullRequest,
  type PreviewInputs
} from '../../../src/inputs/preview.js'

const HEAD = 'b'.repeat(40)
const raw = (given: Record<string, string>) => (name: string) =>
  given[name] ?? ({ cleanup: 'false', 'pull-request': '' } as Record<string, string>)[name] ?? ''

function problems(fn: () => unknown): string[] {
  try {
    fn()
  } catch (e) {
    if (e instanceof InputError) return e.problems
    throw e
  }
  return []
}

describe('parsePreviewInputs', () => {
  test.each<{
    name: string
    given: Record<string, string>
    command?: string
    value?: PreviewInputs
    problems?: string[]
  }>([
    { name: 'defaults', given: {}, command: 'preview', value: { cleanup: false } },
    {
      name: 'a pull request and cleanup',
      given: { cleanup: 'true', 'pull-request': '42' },
      command: 'preview',
      value: { cleanup: true, pullRequest: 42 }
    },
    {
      name: 'a #number is the number',
      given: { 'pull-request': '#7' },
      command: 'preview',
      value: { cleanup: false, pullRequest: 7 }
    },
    {
      name: 'True is a boolean',
      given: { cleanup: 'True' },
      command: 'preview',
      value: { cleanup: true }
    },
    { name: 'another command gets none', given: {}, command: 'rollout', value: undefined },
    {
      name: 'cleanup that is not a boolean',
      given: { cleanup: 'yes' },
      command: 'preview',
      problems: ['cleanup: "yes" is not a boolean; use true or false']
    },
    ...['0', '-3', '1.5', 'abc', '07', '2147483648'].map((text) => ({
      name: `pull-request ${text}`,
      given: { 'pull-request': text },
      command: 'preview',
      problems: [
        `pull-request: "${text}" is not a pull request number; use a whole number from 1 to 2147483647, e.g. 42`
      ]
    })),
    {
      name: 'the largest pull request number',
      given: { 'pull-request': '2147483647' },
      command: 'preview',
      value: { cleanup: false, pullRequest: 2147483647 }
    },
    {
      name: 'both on another command',
      given: { cleanup: 'true', 'pull-request': '3' },
      command: 'promote',
      problems: [
        'cleanup: applies only to command: preview',
        'pull-request: applies only to command: preview'
      ]
    }
  ])('$name', ({ given, command, value, problems: expected }) => {
    if (expected) expect(problems(() => parsePreviewInputs(raw(given), command))).toEqual(expected)
    else expect(parsePreviewInputs(raw(given), command)).toEqual(value)
  })
})

describe('the pull request of the event', () => {
  const event = (pr: unknown) => JSON.stringify({ pull_request: pr })
  test.each<{ name: string; payload?: string; found: { number?: number; headSha?: string } }>([
    { name: 'no payload', payload: undefined, found: {} },
    { name: 'not JSON', payload: '{', found: {} },
    { name: 'a push event', payload: JSON.stringify({ ref: 'refs/heads/main' }), found: {} },
    {
      name: 'a pull_request event',
      payload: event({ number: 7, head: { sha: HEAD } }),
      found: { number: 7, headSha: HEAD }
    },
    {
      name: 'a head that is not a sha',
      payload: event({ number: 7, head: { sha: 'main' } }),
      found: { number: 7 }
    },
    { name: 'a number that is text', payload: event({ number: '7' }), found: {} },
    { name: 'a number that is not whole', payload: event({ number: 7.5 }), found: {} }
  ])('$name', ({ payload, found }) => {
    expect(pullRequestOfEvent(payload)).toEqual(found)
  })

  test.each<{ name: string; preview: PreviewInputs; payload?: string; filled: PreviewInputs }>([
    {
      name: 'the event fills in the pull request and its head',
      preview: { cleanup: false },
      payload: event({ number: 7, head: { sha: HEAD } }),
      filled: { cleanup: false, pullRequest: 7, headSha: HEAD }
    },
    {
      name: 'the input wins; the head of another pull request is not taken',
      preview: { cleanup: false, pullRequest: 9 },
      payload: event({ number: 7, head: { sha: HEAD } }),
      filled: { cleanup: false, pullRequest: 9 }
    },
    {
      name: 'the input naming the event pull request keeps its head',
      preview: { cleanup: true, pullRequest: 7 },
      payload: event({ number: 7, head: { sha: HEAD } }),
      filled: { cleanup: true, pullRequest: 7, headSha: HEAD }
    },
    {
      name: 'no event and no input: no pull request',
      preview: { cleanup: false },
      payload: undefined,
      filled: { cleanup: false }
    }
  ])('$name', ({ preview, payload, filled }) => {
    expect(withEventPullRequest(preview, payload)).toEqual(filled)
  })
})

describe('parseInputs with command preview', () => {
  const parse = (given: Record<string, string>) => parseInputs((name) => given[name])
  test('a cleanup needs only the Service', () => {
    expect(parse({ command: 'preview', service: 'shop', cleanup: 'true' }).preview).toEqual({
      cleanup: true
    })
  })
  test('a preview still needs something to deploy', () => {
    expect(problems(() => parse({ command: 'preview', service: 'shop' }))).toContain(
      'manifest, image: preview needs something to deploy: give manifest (a Service YAML), image, or both'
    )
  })
})
