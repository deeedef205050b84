// The emulator's Kubernetes API server (node:http on 127.0.0.1): discovery, OpenAPI v3,
// namespaces, the object verbs and watch for the types in resources.ts, plus the admin
// endpoints under /emulator/ and /metrics. Knative admission/presentation and the data
// plane are passed in, so this layer also runs with identity stand-ins.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { ApiError } from './api-error.js'
import { serveAdmin } from './api/admin.js'
import { AuditLog, type AuditEntry } from './api/audit.js'
import { ANONYMOUS, authenticate, authorize, type AuthConfig } from './api/auth.js'
import type { RbacPolicy } from './api/rbac.js'
import { discovery } from './api/discovery.js'
import { decideFaults } from './api/faults.js'
import { warningHeader } from './api/field-validation.js'
import { readBody, readRawBody, sendError, sendJson, sendText } from './api/http.js'
import { NAMESPACE_TYPE, serveNamespaces } from './api/namespaces.js'
import { openapiV3 } from './api/openapi.js'
import { methodNotAllowed, resolveResource, verbOf } from './api/routing.js'
import { includeObjectOf, toTable, wantsTable } from './api/table.js'
import {
  identityAdmit,
  identityPresent,
  type Admit,
  type DataPlaneControl,
  type Present
} from './api/types.js'
import { serveVerb, type ResourceContext, type VerbRequest } from './api/verbs.js'
import { serveWatch } from './api/watch.js'
import { storeKey } from './resources.js'
import type { EmulatorSettings } from './settings.js'
import type { KObject, Store } from './store.js'

export interface ApiServerOptions {
  store: Store
  settings: EmulatorSettings
  /** Knative admission; identity when absent. */
  admit?: Admit
  /** Knative version presentation; identity when absent. */
  present?: Present
  /** Backs `/metrics` and `PUT /emulator/revisions/.../behaviour`. */
  dataPlane?: DataPlaneControl
  /** Bearer token → user name. Unknown or missing tokens are `system:anonymous`. */
  tokens?: Record<string, string>
  /** RBAC on: these tokens may only do what their rules allow; unknown tokens are 401. */
  rbac?: RbacPolicy
  /** Serve HTTPS with this certificate and key (PEM) instead of plain http. */
  tls?: { cert: string; key: string }
  now?: () => Date
  /** Random source for injected faults. */
  random?: () => number
}

export interface ApiServer {
  readonly audit: AuditLog
  readonly httpServer: Server
  /** Start listening; resolves to the base URL, e.g. `http://127.0.0.1:40123` (`https:` with tls). */
  listen(port?: number, host?: string): Promise<string>
  /** Stop listening and cut open connections (watches included). */
  close(): Promise<void>
}

const NAMESPACE_PATH = /^\/api\/v1\/namespaces(?:\/([^/]+))?$/

export function createApiServer(opts: ApiServerOptions): ApiServer {
  const { store, settings, dataPlane } = opts
  const now = opts.now ?? (() => new Date())
  const random = opts.random ?? Math.random
  const auth: AuthConfig = {
    tokens: new Map(Object.entries(opts.tokens ?? {})),
    rbac: opts.rbac && new Map(Object.entries(opts.rbac))
  }
  const audit = new AuditLog()
  // Namespaces have no lifecycle here: they are as old as the server.
  const startedAt = now()
  const ctx: ResourceContext = {
    store,
    settings,
    admit: opts.admit ?? identityAdmit,
    present: opts.present ?? identityPresent,
    now
  }

  async function serveApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    path: string,
    entry: AuditEntry
  ): Promise<void> {
    const method = req.method ?? 'GET'
    const query = url.searchParams
    const namespaces = NAMESPACE_PATH.exec(path)
    const target = namespaces ? undefined : resolveResource(path, settings)
    const verb = target
      ? verbOf(method, target, query)
      : method === 'GET'
        ? namespaces && !namespaces[1]
          ? 'list'
          : 'get'
        : namespaces && method === 'POST'
          ? 'create'
          : undefined
    entry.user = authenticate(req.headers, auth)
    authorize(req.headers, auth, {
      verb: verb ?? method.toLowerCase(),
      group: target?.type.group ?? (namespaces ? '' : undefined),
      resource: target?.type.plural ?? (namespaces ? 'namespaces' : undefined),
      subresource: target?.subresource,
      namespace: target?.namespace,
      name: target?.name ?? namespaces?.[1]
    })

    if (!target) {
      if (namespaces) {
        const name = namespaces[1] && decodeURIComponent(namespaces[1])
        const reply = serveNamespaces(
          store,
          settings,
          method,
          name,
          await readRawBody(req),
          req.headers['content-type'],
          startedAt
        )
        const body = reply.body
        if (method !== 'GET' || !wantsTable(req.headers.accept))
          return sendJson(res, reply.status, body)
        const objects = 'items' in body ? (body.items as KObject[]) : [body]
        return sendJson(res, 200, toTable(NAMESPACE_TYPE, objects, now(), includeObjectOf(query)))
      }
      if (method !== 'GET') throw methodNotAllowed()
      const doc = path.startsWith('/openapi/v3')
        ? openapiV3(path, settings)
        : discovery(path, settings, req.headers.host ?? '')
      if (doc === undefined) return sendText(res, 404, '404 page not found\n')
      return sendJson(res, 200, doc)
    }

    const { type, subresource, name } = target
    const allowed = subresource === 'status' ? ['get', 'update', 'patch'] : type.verbs
    if (!allowed.includes(verb!)) throw methodNotAllowed()
    const faults = decideFaults(settings.faults, verb === 'update' || verb === 'patch', random)
    if (faults.delayMs > 0) await sleep(faults.delayMs)
    if (faults.error) throw faults.error
    const body = await readBody(req)
    if (faults.conflict) throw ApiError.conflict(storeKey(type), name ?? '')

    const request: VerbRequest = {
      target,
      query,
      contentType: (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase(),
      accept: req.headers.accept,
      body,
      user: entry.user,
      userAgent: req.headers['user-agent']
    }
    if (verb === 'watch')
      return serveWatch(res, ctx, request, { dropAfterMs: settings.faults.watchDropAfterMs })
    const reply = serveVerb(verb!, ctx, request)
    const headers: Record<string, string[]> = {}
    if (reply.warnings?.length) headers.Warning = warningHeader(reply.warnings)
    sendJson(res, reply.status, reply.body, headers)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator')
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname
    const method = req.method ?? 'GET'
    if (path.startsWith('/emulator/') || path === '/metrics') {
      try {
        if (path === '/metrics') {
          if (!dataPlane) return sendText(res, 404, 'this emulator has no data plane\n')
          return sendText(res, 200, dataPlane.metrics(), 'text/plain; version=0.0.4; charset=utf-8')
        }
        const pod = /^\/emulator\/metrics\/pods\/([^/]+)\/([^/]+)$/.exec(path)
        if (pod && dataPlane) {
          const text = dataPlane.podMetrics(decodeURIComponent(pod[1]), decodeURIComponent(pod[2]))
          if (text === undefined) return sendText(res, 404, 'no such pod\n')
          return sendText(res, 200, text, 'text/plain; version=0.0.4; charset=utf-8')
        }
        if (path === '/emulator/prometheus-targets' && dataPlane)
          return sendJson(res, 200, dataPlane.scrapeTargets(req.headers.host ?? ''))
        const reply = serveAdmin(
          { store, settings, audit, dataPlane },
          method,
          path,
          url.searchParams,
          await readBody(req)
        )
        sendJson(res, reply.status, reply.body ?? {})
      } catch (err) {
        sendError(res, err)
      }
      return
    }
    const entry = audit.record({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type'],
      status: 0,
      user: ANONYMOUS,
      time: now().toISOString()
    })
    try {
      await serveApi(req, res, url, path, entry)
    } catch (err) {
      sendError(res, err)
    }
    entry.status = res.statusCode
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err) => sendError(res, err))
  }
  const httpServer: Server = opts.tls
    ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, listener)
    : createServer(listener)

  return {
    audit,
    httpServer,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject)
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject)
          const address = httpServer.address() as AddressInfo
          resolve(`${opts.tls ? 'https' : 'http'}://${host}:${address.port}`)
        })
      })
    },
    close() {
      return new Promise((resolve) => {
        if (!httpServer.listening) return resolve()
        httpServer.close(() => resolve())
        httpServer.closeAllConnections()
      })
    }
  }
}
