// kubeconfig credential plugins, run for real (a Node script as the `exec` command, a shell
// script as a gcp auth-provider's cmd-path) against
// the emulator with RBAC on: the credential a plugin hands back is reported to be masked, and
// a plugin that fails is named with one escaped line of its stderr, never its stdout.

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { kubeconfigYaml } from '../../../emulator/kubeconfig.js'
import { createServingClient } from '../../../src/knative/client.js'
import { wallClock } from '../../../src/clock.js'
import { withEmulator } from '../../helpers/emulator.js'
import { memoryLogger } from '../../helpers/memory-logger.js'

const TOKEN = 'plugin-token-0123456789abcdef'
const emulator = withEmulator({
  rbac: {
    [TOKEN]: {
      user: 'ci',
      rules: [{ apiGroups: ['serving.knative.dev'], resources: ['*'], verbs: ['get', 'list'] }]
    }
  }
})

/** A kubeconfig whose user runs `script` with Node for its credential. */
function withPlugin(script: string, command = process.execPath): string {
  const config = parse(kubeconfigYaml({ server: emulator().apiUrl, user: 'ci', token: 'unused' }))
  config.users = [
    {
      name: 'ci',
      user: {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command,
          args: ['-e', script],
          interactiveMode: 'Never'
        }
      }
    }
  ]
  return stringify(config)
}

const credential = JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1',
  kind: 'ExecCredential',
  status: { token: TOKEN }
})

function client(kubeconfig: string, secrets: string[] = []) {
  return createServingClient({
    kubeconfig,
    clock: wallClock,
    log: memoryLogger(),
    retry: { attempts: 1 },
    onSecret: (s) => secrets.push(s)
  })
}

async function failure(kubeconfig: string): Promise<string> {
  const error = await client(kubeconfig)
    .getService('default', 'shop')
    .then(
      () => undefined,
      (e: Error) => e
    )
  if (!error) throw new Error('the request succeeded')
  return error.message
}

test('the credential a plugin hands back is used, and reported once to be masked', async () => {
  const secrets: string[] = []
  const c = client(withPlugin(`process.stdout.write(${JSON.stringify(credential)})`), secrets)
  expect(await c.getService('default', 'shop')).toBeUndefined()
  expect(await c.getService('default', 'other')).toBeUndefined()
  expect(secrets).toEqual([TOKEN])
})

test.each([
  [
    'a failing plugin: one escaped line of its stderr, never its stdout',
    `process.stdout.write('stdout-credential-LEAK'); process.stderr.write('\\n::add-mask::x please log in\\nsecond line\\n'); process.exit(1)`,
    /credential plugin "node" \(user "ci"\) failed: it said: :\u200b:add-mask::x please log in; a kubeconfig runs/
  ],
  [
    'output that is not an ExecCredential is not quoted (it would be the credential)',
    `process.stdout.write('stdout-credential-LEAK')`,
    /credential plugin "node" \(user "ci"\) failed: its output is not a valid ExecCredential \(JSON\)/
  ]
])('%s', async (_name, script, expected) => {
  const message = await failure(withPlugin(script))
  expect(message).toMatch(expected)
  expect(message).not.toContain('LEAK')
  expect(message).not.toContain('second line')
  expect(message).not.toMatch(/[\r\n]/)
})

test('a plugin command that does not exist is named', async () => {
  expect(await failure(withPlugin('', '/nonexistent/kubectl-oidc_login'))).toMatch(
    /credential plugin "kubectl-oidc_login" \(user "ci"\) failed: its command was not found/
  )
})

describe('an auth-provider that runs a command (gcp: cmd-path, run through a shell)', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'auth-provider-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** A kubeconfig whose user is a gcp auth-provider running the shell script `body`. */
  function withProvider(name: string, body: string): string {
    const script = join(dir, name)
    writeFileSync(script, `#!/bin/sh\n${body}\n`)
    chmodSync(script, 0o755)
    const config = parse(kubeconfigYaml({ server: emulator().apiUrl, user: 'ci', token: 'unused' }))
    config.users = [
      {
        name: 'ci',
        user: {
          'auth-provider': {
            name: 'gcp',
            config: {
              'cmd-path': script,
              'cmd-args': 'config config-helper',
              'token-key': '{.token}',
              'expiry-key': '{.expiry}'
            }
          }
        }
      }
    ]
    return stringify(config)
  }

  test('its token is used and reported to be masked; its arguments reach it as written', async () => {
    const secrets: string[] = []
    const c = client(
      withProvider(
        'ok.sh',
        `[ "$*" = "config config-helper" ] || exit 3\nprintf '{"token":"${TOKEN}","expiry":"2999-01-01T00:00:00Z"}'`
      ),
      secrets
    )
    expect(await c.getService('default', 'shop')).toBeUndefined()
    expect(secrets).toEqual([TOKEN])
  })

  test('a failing one: named, with one escaped line of what it printed to stderr', async () => {
    const message = await failure(
      withProvider(
        'fail.sh',
        `printf 'stdout-credential-LEAK'\nprintf '::error title=x::please run gcloud auth login\\nsecond line\\n' >&2\nexit 1`
      )
    )
    expect(message).toMatch(
      /credential plugin "fail.sh" \(user "ci"\) failed: it said: :\u200b:error title=x::please run gcloud auth login; a kubeconfig runs/
    )
    expect(message).not.toContain('LEAK')
    expect(message).not.toContain('second line')
  })
})
