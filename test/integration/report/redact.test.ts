import { redact, secretFragments, MASK } from '../../../src/report/redact.js'
import { plainView } from '../../../src/report/terminal-view.js'
import { terminalLogger } from '../../../src/log.js'
import { kubeconfigFor } from '../../helpers/kube-server.js'

const TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.payload.signature'
const KUBECONFIG = kubeconfigFor('https://10.0.0.1:6443', TOKEN).replace(
  'token:',
  'client-key-data: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t\n    token:'
)

describe('redact', () => {
  test.each([
    {
      name: 'the whole secret',
      input: `value=${TOKEN}!`,
      secrets: [TOKEN],
      expected: `value=${MASK}!`
    },
    {
      name: 'every occurrence',
      input: `${TOKEN} and ${TOKEN}`,
      secrets: [TOKEN],
      expected: `${MASK} and ${MASK}`
    },
    {
      name: 'a bare token from a kubeconfig',
      input: `Authorization: Bearer ${TOKEN}`,
      secrets: [KUBECONFIG],
      expected: `Authorization: Bearer ${MASK}`
    },
    {
      name: 'one line of a kubeconfig',
      input: `bad line: token: ${TOKEN}`,
      secrets: [KUBECONFIG],
      expected: `bad line: ${MASK}`
    },
    {
      name: 'a client key value',
      input: 'key LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t',
      secrets: [KUBECONFIG],
      expected: `key ${MASK}`
    },
    {
      name: 'undefined and empty secrets are ignored',
      input: 'plain text',
      secrets: [undefined, '', '  '],
      expected: 'plain text'
    },
    {
      name: 'the server URL alone is not a secret',
      input: 'cannot reach https://10.0.0.1:6443',
      secrets: [KUBECONFIG],
      expected: 'cannot reach https://10.0.0.1:6443'
    },
    {
      name: "an undici error quoting a URL's credentials (no mask knows them)",
      input: 'fetch failed: connect ECONNREFUSED https://bot:hunter2@hooks.example/x?y=1',
      secrets: [],
      expected: `fetch failed: connect ECONNREFUSED https://${MASK}@hooks.example/x?y=1`
    },
    {
      name: 'a user without a password in a URL',
      input: 'redirected to http://deploy@registry.local:5000/v2/',
      secrets: [],
      expected: `redirected to http://${MASK}@registry.local:5000/v2/`
    },
    {
      name: 'an @ in a path or an e-mail address is not a credential',
      input: 'see https://github.com/@org/x and ops@example.com',
      secrets: [],
      expected: 'see https://github.com/@org/x and ops@example.com'
    }
  ])('$name', ({ input, secrets, expected }) => {
    expect(redact(input, secrets)).toBe(expected)
  })

  test('a whole kubeconfig printed leaks none of its credentials', () => {
    const out = redact(`dump:\n${KUBECONFIG}`, [KUBECONFIG])
    expect(out).not.toContain(TOKEN)
    expect(out).not.toContain('LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t')
  })

  test('short lines of a multi-line secret are not masked on their own', () => {
    expect(secretFragments('abcdefgh\n-\n}\nijklmnop')).not.toContain('-')
  })
})

describe('terminal output is redacted', () => {
  test('logger lines and progress lines', () => {
    const lines: string[] = []
    const log = terminalLogger({
      write: (l) => lines.push(l),
      verbose: true,
      secrets: [KUBECONFIG, 'registry-pass-123']
    })
    log.info(`using token ${TOKEN}`)
    log.debug('login with registry-pass-123')
    log.error(`bad: ${TOKEN}`)
    const stream = { write: (l: string) => lines.push(l) > 0 }
    plainView({ stream, env: {}, secrets: ['registry-pass-123'], now: () => 0 }).step({
      percent: 10,
      verdict: 'fail',
      reason: 'webhook said registry-pass-123'
    })
    expect(lines).toHaveLength(4)
    for (const l of lines) {
      expect(l).not.toContain(TOKEN)
      expect(l).not.toContain('registry-pass-123')
    }
  })
})

describe('kubeconfig structure is not masked', () => {
  test.each([
    { name: 'apiVersion line', input: 'apiVersion: v1' },
    { name: 'a name line', input: '- name: test' },
    { name: 'users key', input: 'users:' },
    { name: 'the server line', input: 'server: https://10.0.0.1:6443' }
  ])('$name', ({ input }) => {
    expect(redact(input, [KUBECONFIG])).toBe(input)
  })
})
