// Prometheus credentials as inputs: one kind at a time, complete, only with a URL, and
// never echoed in a problem message; what reaches the client is the kind given.

import { InputError, parseInputs } from '../../../src/inputs.js'
import { prometheusAuth } from '../../../src/rollout/step-checks.js'

const BASE = { service: 'shop', image: 'ghcr.io/acme/shop:1.0' }
const URL_ = { 'prometheus-url': 'http://127.0.0.1:9090' }

function parse(values: Record<string, string | undefined>) {
  const all: Record<string, string | undefined> = { ...BASE, ...values }
  return parseInputs((name) => all[name])
}

function problemsOf(values: Record<string, string | undefined>): string[] {
  try {
    parse(values)
  } catch (e) {
    if (e instanceof InputError) return e.problems
    throw e
  }
  return []
}

test.each([
  {
    name: 'a bearer token',
    values: { ...URL_, 'prometheus-token': 'tok-123' },
    auth: { kind: 'bearer', token: 'tok-123' }
  },
  {
    name: 'basic auth',
    values: { ...URL_, 'prometheus-username': 'grafana', 'prometheus-password': 'pw-456' },
    auth: { kind: 'basic', username: 'grafana', password: 'pw-456' }
  },
  { name: 'no credentials', values: URL_, auth: { kind: 'none' } }
])('$name → $auth.kind', ({ values, auth }) => {
  expect(prometheusAuth(parse(values))).toEqual(auth)
})

test.each([
  {
    name: 'a token and a username',
    values: {
      ...URL_,
      'prometheus-token': 'tok-123',
      'prometheus-username': 'grafana',
      'prometheus-password': 'pw-456'
    },
    problem: /^prometheus-token: give a bearer token or a username and password, not both$/
  },
  {
    name: 'a username without a password',
    values: { ...URL_, 'prometheus-username': 'grafana' },
    problem: /^prometheus-username, prometheus-password: basic auth needs both/
  },
  {
    name: 'a password without a username',
    values: { ...URL_, 'prometheus-password': 'pw-456' },
    problem: /^prometheus-username, prometheus-password: basic auth needs both/
  },
  {
    name: 'credentials without a URL',
    values: { 'prometheus-token': 'tok-123' },
    problem: /^prometheus-url: required when Prometheus credentials are given$/
  }
])('$name is refused, the secret not shown', ({ values, problem }) => {
  const problems = problemsOf(values)
  expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]))
  expect(problems.join('\n')).not.toMatch(/tok-123|pw-456/)
})
