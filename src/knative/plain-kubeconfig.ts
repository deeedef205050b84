// The common kubeconfig, read without client-node (issue 10: start-up): one current context
// whose cluster has a server, a CA and the TLS switches, and whose user has a token, a
// token file or a client certificate. Anything else (credential plugins, proxies, basic
// auth, impersonation, several KUBECONFIG files, in-cluster, and every invalid kubeconfig,
// so that its error reads as before) is left to client-node (kubeconfig.ts): this returns
// undefined for it. What it accepts it reads as client-node 2.0.1 does (config.js,
// config_types.js): the first entry of a name wins, a trailing / of the server is dropped,
// token-file is read relative to the working directory, CA and certificate files relative
// to the kubeconfig file.

import { accessSync, readFileSync } from 'node:fs'
import { delimiter, dirname, isAbsolute, join } from 'node:path'
import { parse } from 'yaml'
import type { RequestOptions } from 'node:http'
import { nodeHttp, nodeHttps, type KubeAccess } from './kube-http.js'
import { parseKubeconfigYaml } from './kubeconfig-yaml.js'

const CLUSTER_KEYS = new Set([
  'server',
  'certificate-authority',
  'certificate-authority-data',
  'insecure-skip-tls-verify',
  'tls-server-name',
  'extensions'
])
const USER_KEYS = new Set([
  'token',
  'token-file',
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
  'extensions'
])

type Entry = Record<string, unknown>

/** The plain kubeconfig's access, or undefined for client-node to load (see above). */
export function plainAccess(options: {
  kubeconfig?: string
  tlsInsecure?: boolean
}): KubeAccess | undefined {
  const source = kubeconfigSource(options.kubeconfig)
  if (!source) return undefined
  try {
    const doc = parseKubeconfigYaml(source.text) ?? (parse(source.text) as unknown)
    return accessOf(doc, source.dir, !!options.tlsInsecure)
  } catch {
    return undefined // invalid YAML, an unreadable file: client-node says what is wrong
  }
}

/** The input's content, or the one file client-node's loadFromDefault would read. */
function kubeconfigSource(content: string | undefined): { text: string; dir?: string } | undefined {
  if (content !== undefined && content.trim() !== '') return { text: content }
  const env = process.env.KUBECONFIG
  let file: string
  if (env) {
    const files = env.split(delimiter).filter((f) => f)
    if (files.length !== 1) return undefined
    file = files[0]!
  } else {
    const home = process.env.HOME
    if (!home || process.platform === 'win32') return undefined
    file = join(home, '.kube', 'config')
  }
  try {
    accessSync(file)
    return { text: readFileSync(file, 'utf8'), dir: dirname(file) }
  } catch {
    return undefined
  }
}

function accessOf(
  doc: unknown,
  dir: string | undefined,
  tlsInsecure: boolean
): KubeAccess | undefined {
  if (!isEntry(doc)) return undefined
  const clusters = entries(
    doc.clusters,
    'cluster',
    (c) => typeof c.server === 'string' && c.server !== ''
  )
  const contexts = entries(doc.contexts, 'context', (c) => !!c.cluster)
  const users = entries(doc.users, 'user', () => true, true)
  if (!clusters?.length || !contexts || !users) return undefined
  const current = doc['current-context']
  if (typeof current !== 'string' || current === '') return undefined
  const context = contexts.find((c) => c.name === current)?.body
  const cluster = clusters.find((c) => c.name === context?.cluster)?.body
  const user = users.find((u) => u.name === context?.user)?.body
  if (!context || !cluster || !user) return undefined
  if (!onlyKeys(cluster, CLUSTER_KEYS) || !onlyKeys(user, USER_KEYS)) return undefined
  // client-node reads every user's token file while loading: one it cannot read fails there.
  for (const u of users)
    if (!u.body.token && u.body['token-file']) readFileSync(`${u.body['token-file']}`)

  const server = (cluster.server as string).replace(/\/$/, '')
  const skipTLSVerify = cluster['insecure-skip-tls-verify'] === true || tlsInsecure
  if (!/^https?:\/\//.test(server) || (server.startsWith('http:') && !skipTLSVerify))
    return undefined
  // What client-node falls back to when nothing is configured: refused by kubeconfig.ts.
  if (dir && server === 'http://localhost:8080' && context.user === 'user') return undefined
  // client-node's fetch trims a header's whitespace (a token file's newline, say).
  const token = user.token
    ? `${user.token}`.trim()
    : user['token-file']
      ? readFileSync(`${user['token-file']}`, 'utf8').trim()
      : undefined
  const file = (path: unknown) => (dir && !isAbsolute(`${path}`) ? join(dir, `${path}`) : `${path}`)
  const material = (path: unknown, data: unknown): Buffer | undefined =>
    path ? readFileSync(file(path)) : data ? Buffer.from(`${data}`, 'base64') : undefined
  const tls = {
    ca: material(cluster['certificate-authority'], cluster['certificate-authority-data']),
    cert: material(user['client-certificate'], user['client-certificate-data']),
    key: material(user['client-key'], user['client-key-data']),
    ...(skipTLSVerify ? { rejectUnauthorized: false } : {}),
    ...(typeof cluster['tls-server-name'] === 'string'
      ? { servername: cluster['tls-server-name'] }
      : {})
  }
  let options: Promise<RequestOptions> | undefined
  return {
    server,
    // One keep-alive agent for the client's requests and watches (its free sockets do not
    // hold the process open).
    requestOptions: () =>
      (options ??= Promise.resolve({
        agent: server.startsWith('http:')
          ? new (nodeHttp().Agent)({ keepAlive: true })
          : new (nodeHttps().Agent)({ keepAlive: true, ...tls }),
        headers: token ? { Authorization: `Bearer ${token}` } : {}
      }))
  }
}

/**
 * The named entries of a kubeconfig list, each with its body (`cluster`, `context`, `user`)
 * without the keys set to null (client-node's exportConfig writes them); undefined when
 * client-node would refuse one (no name, no body) or the list is not a list.
 */
function entries(
  list: unknown,
  key: string,
  valid: (body: Entry) => boolean,
  bodyOptional = false
): { name: string; body: Entry }[] | undefined {
  if (list === undefined || list === null) return []
  if (!Array.isArray(list)) return undefined
  const out: { name: string; body: Entry }[] = []
  for (const item of list) {
    if (!isEntry(item) || typeof item.name !== 'string' || item.name === '') return undefined
    const raw = item[key] ?? (bodyOptional ? {} : undefined)
    if (!isEntry(raw)) return undefined
    const body = Object.fromEntries(
      Object.entries(raw).filter(([, v]) => v !== null && v !== undefined)
    )
    if (!valid(body)) return undefined
    out.push({ name: item.name, body })
  }
  return out
}

function isEntry(x: unknown): x is Entry {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

function onlyKeys(body: Entry, allowed: ReadonlySet<string>): boolean {
  return Object.keys(body).every((k) => allowed.has(k))
}
