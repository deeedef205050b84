// Each kind of kubeconfig the entries (clientFor) and createServingClient read, against real
// servers: the emulator with RBAC on (only the right token is let in) over http and https,
// and an https server that asks for a client certificate. The common kinds are read without
// client-node (plain-kubeconfig.ts); which ones are is a table of its own below.

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { clientFor } from '../../../src/knative/client-for.js'
import { createServingClient } from '../../../src/knative/client.js'
import { plainAccess } from '../../../src/knative/plain-kubeconfig.js'
import type { ServingClient } from '../../../src/rollout/ports.js'
import { wallClock } from '../../../src/clock.js'
import { withEmulator } from '../../helpers/emulator.js'
import { memoryLogger } from '../../helpers/memory-logger.js'

const TOKEN = 'kinds-token-0123456789abcdef'
const rbac = {
  [TOKEN]: {
    user: 'ci',
    rules: [{ apiGroups: ['serving.knative.dev'], resources: ['*'], verbs: ['get', 'list'] }]
  }
}
const plainHttp = withEmulator({ rbac })
const overTls = withEmulator({ rbac, tls: true })

let dir: string
const savedKubeconfig = process.env.KUBECONFIG
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeconfig-kinds-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(() => {
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG
  else process.env.KUBECONFIG = savedKubeconfig
})

type Config = {
  cluster: Record<string, unknown>
  user: Record<string, unknown>
  /** Contexts before the current one, to another (closed) server. */
  others?: boolean
}

function kubeconfig({ cluster, user, others }: Config): string {
  const context = (name: string, c: string) => ({ name, context: { cluster: c, user: 'ci' } })
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      ...(others ? [{ name: 'elsewhere', cluster: { server: 'https://127.0.0.1:1' } }] : []),
      { name: 'here', cluster }
    ],
    users: [{ name: 'ci', user }],
    contexts: [...(others ? [context('other', 'elsewhere')] : []), context('current', 'here')],
    'current-context': 'current'
  })
}

function file(name: string, content: string): string {
  const path = join(dir, name)
  writeFileSync(path, content, { mode: 0o600 })
  return path
}

const b64 = (text: string) => Buffer.from(text).toString('base64')
const deps = (secrets: string[] = []) => ({
  clock: wallClock,
  log: memoryLogger(),
  onSecret: (s: string) => secrets.push(s)
})

/** A read the server answers only for the right credential: the Service is not there. */
async function readsThrough(client: ServingClient): Promise<void> {
  expect(await client.getService('default', 'absent')).toBeUndefined()
}

describe.each([
  {
    name: 'clientFor (the entries)',
    make: (c: { kubeconfig?: string; tlsInsecure?: boolean }) => clientFor(c, deps())
  },
  {
    name: 'createServingClient',
    make: (c: { kubeconfig?: string; tlsInsecure?: boolean }) =>
      Promise.resolve(createServingClient({ ...c, ...deps() }))
  }
])('$name', ({ make }) => {
  test.each<{ name: string; config: () => Config; tlsInsecure?: boolean }>([
    {
      name: 'a token over http (insecure-skip-tls-verify)',
      config: () => ({
        cluster: { server: plainHttp().apiUrl, 'insecure-skip-tls-verify': true },
        user: { token: TOKEN }
      })
    },
    {
      name: 'a token file (its newline dropped)',
      config: () => ({
        cluster: { server: plainHttp().apiUrl, 'insecure-skip-tls-verify': true },
        user: { 'token-file': file('token', `${TOKEN}\n`) }
      })
    },
    {
      name: 'the current context, not the first one',
      config: () => ({
        cluster: { server: `${plainHttp().apiUrl}/`, 'insecure-skip-tls-verify': true },
        user: { token: TOKEN },
        others: true
      })
    },
    {
      name: 'https with certificate-authority-data',
      config: () => ({
        cluster: { server: overTls().apiUrl, 'certificate-authority-data': b64(overTls().ca!) },
        user: { token: TOKEN }
      })
    },
    {
      name: 'https with a certificate-authority file',
      config: () => ({
        cluster: {
          server: overTls().apiUrl,
          'certificate-authority': file('ca.pem', overTls().ca!)
        },
        user: { token: TOKEN }
      })
    },
    {
      name: 'https without a CA, with tls-insecure',
      config: () => ({ cluster: { server: overTls().apiUrl }, user: { token: TOKEN } }),
      tlsInsecure: true
    },
    {
      name: 'a credential plugin (through client-node)',
      config: () => ({
        cluster: { server: plainHttp().apiUrl, 'insecure-skip-tls-verify': true },
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1',
            command: process.execPath,
            args: [
              '-e',
              `process.stdout.write(${JSON.stringify(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: TOKEN } }))})`
            ],
            interactiveMode: 'Never'
          }
        }
      })
    }
  ])('$name', async ({ config, tlsInsecure }) => {
    await readsThrough(await make({ kubeconfig: kubeconfig(config()), tlsInsecure }))
  })

  test('KUBECONFIG names the file; its CA file is relative to it', async () => {
    file('relative-ca.pem', overTls().ca!)
    process.env.KUBECONFIG = file(
      'config',
      kubeconfig({
        cluster: { server: overTls().apiUrl, 'certificate-authority': 'relative-ca.pem' },
        user: { token: TOKEN }
      })
    )
    await readsThrough(await make({}))
  })

  test('the wrong CA is refused (verification is on)', async () => {
    const client = await make({
      kubeconfig: kubeconfig({
        cluster: { server: overTls().apiUrl, 'certificate-authority-data': b64(testCa().cert) },
        user: { token: TOKEN }
      })
    })
    await expect(client.getService('default', 'absent')).rejects.toThrow(
      /cannot verify the TLS certificate/
    )
  })

  test('a wrong token is refused (RBAC is on)', async () => {
    const client = await make({
      kubeconfig: kubeconfig({
        cluster: { server: plainHttp().apiUrl, 'insecure-skip-tls-verify': true },
        user: { token: 'not-the-token' }
      })
    })
    await expect(client.getService('default', 'absent')).rejects.toThrow(/401|403/)
  })

  test.each([
    { name: 'client-certificate-data and client-key-data', files: false },
    { name: 'client-certificate and client-key files', files: true }
  ])('a client certificate: $name', async ({ files }) => {
    const { url, seen } = await certServer()
    const { cert, key } = testCa().client
    const user = files
      ? { 'client-certificate': file('client.pem', cert), 'client-key': file('client.key', key) }
      : { 'client-certificate-data': b64(cert), 'client-key-data': b64(key) }
    const client = await make({
      kubeconfig: kubeconfig({
        cluster: { server: url, 'certificate-authority-data': b64(testCa().cert) },
        user
      })
    })
    await readsThrough(client)
    expect(seen).toContain('kinds-client')
  })
})

test('a plugin credential is reported to be masked (clientFor)', async () => {
  const secrets: string[] = []
  const script = `process.stdout.write(${JSON.stringify(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: TOKEN } }))})`
  const client = await clientFor(
    {
      kubeconfig: kubeconfig({
        cluster: { server: plainHttp().apiUrl, 'insecure-skip-tls-verify': true },
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1',
            command: process.execPath,
            args: ['-e', script],
            interactiveMode: 'Never'
          }
        }
      })
    },
    deps(secrets)
  )
  await readsThrough(client)
  expect(secrets).toEqual([TOKEN])
})

test('clientFor refuses a bad kubeconfig before any request, without its content', async () => {
  await expect(
    clientFor({ kubeconfig: 'clusters: [\n  token: hunter2-very-secret' }, deps())
  ).rejects.toThrow(/^The kubeconfig input is not a valid kubeconfig(?!.*hunter2)/)
})

describe('which kubeconfigs are read without client-node', () => {
  const server = { server: 'https://127.0.0.1:6443' }
  test.each<{ name: string; config: Config | string; plain: boolean }>([
    { name: 'a token', config: { cluster: server, user: { token: 't' } }, plain: true },
    { name: 'no credential', config: { cluster: server, user: {} }, plain: true },
    {
      name: 'client certificate data',
      config: {
        cluster: server,
        user: { 'client-certificate-data': 'eA==', 'client-key-data': 'eA==' }
      },
      plain: true
    },
    {
      name: 'tls-server-name and extensions',
      config: {
        cluster: { ...server, 'tls-server-name': 'api', extensions: [] },
        user: { token: 't' }
      },
      plain: true
    },
    {
      name: 'an exec plugin',
      config: { cluster: server, user: { exec: { command: 'x' } } },
      plain: false
    },
    {
      name: 'an auth-provider',
      config: { cluster: server, user: { 'auth-provider': { name: 'oidc' } } },
      plain: false
    },
    {
      name: 'basic auth',
      config: { cluster: server, user: { username: 'u', password: 'p' } },
      plain: false
    },
    {
      name: 'impersonation',
      config: { cluster: server, user: { token: 't', as: 'admin' } },
      plain: false
    },
    {
      name: 'a proxy',
      config: { cluster: { ...server, 'proxy-url': 'http://proxy:3128' }, user: { token: 't' } },
      plain: false
    },
    {
      name: 'plain http without insecure-skip-tls-verify (client-node refuses it)',
      config: { cluster: { server: 'http://127.0.0.1:1' }, user: { token: 't' } },
      plain: false
    },
    { name: 'not YAML', config: 'clusters: [\n  x', plain: false },
    { name: 'no current context', config: 'clusters: []\nusers: []\ncontexts: []\n', plain: false }
  ])('$name: $plain', ({ config, plain }) => {
    const text = typeof config === 'string' ? config : kubeconfig(config)
    expect(plainAccess({ kubeconfig: text }) !== undefined).toBe(plain)
  })
})

// A CA, a server certificate for 127.0.0.1 and a client certificate (CN kinds-client).
let ca: {
  cert: string
  server: { cert: string; key: string }
  client: { cert: string; key: string }
}
function testCa(): typeof ca {
  if (ca) return ca
  const at = (n: string) => join(dir, n)
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' })
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.crt'),
    '-days',
    '1',
    '-subj',
    '/CN=kinds-ca'
  )
  const issue = (name: string, cn: string, ext: string) => {
    ssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      at(`${name}.key`),
      '-out',
      at(`${name}.csr`),
      '-subj',
      `/CN=${cn}`
    )
    writeFileSync(at(`${name}.ext`), ext)
    ssl(
      'x509',
      '-req',
      '-in',
      at(`${name}.csr`),
      '-CA',
      at('ca.crt'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-out',
      at(`${name}.crt`),
      '-days',
      '1',
      '-extfile',
      at(`${name}.ext`)
    )
    return {
      cert: readFileSync(at(`${name}.crt`), 'utf8'),
      key: readFileSync(at(`${name}.key`), 'utf8')
    }
  }
  ca = {
    cert: readFileSync(at('ca.crt'), 'utf8'),
    server: issue('server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1\n'),
    client: issue('client', 'kinds-client', 'extendedKeyUsage=clientAuth\n')
  }
  return ca
}

let certs: { url: string; seen: string[] } | undefined
let certHttps: https.Server | undefined
afterAll(() => certHttps?.close())
/** An API server that answers only a client certificate from testCa(): 404 for any Service. */
async function certServer(): Promise<{ url: string; seen: string[] }> {
  if (certs) return certs
  const seen: string[] = []
  const { server, cert } = testCa()
  certHttps = https.createServer(
    { cert: server.cert, key: server.key, ca: cert, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      seen.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN))
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({ kind: 'Status', code: 404, reason: 'NotFound', message: 'not found' })
      )
    }
  )
  await new Promise<void>((resolve) => certHttps!.listen(0, '127.0.0.1', resolve))
  certs = { url: `https://127.0.0.1:${(certHttps.address() as AddressInfo).port}`, seen }
  return certs
}
