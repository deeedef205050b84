// The Kubernetes API over node:http / node:https (built in, so a run loads no HTTP library):
// JSON requests and the newline-delimited JSON of a watch. Who we are and how TLS is set up
// comes from a KubeAccess: a plain kubeconfig's token and certificates (plain-kubeconfig.ts)
// or, for credential plugins and proxies, client-node's own options (kubeconfig.ts).

import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http'
import { createRequire } from 'node:module'

// node:http and node:https when first used, so that a plain-http cluster never loads
// node:https and node:tls (issue 10: start-up). A require() the bundler leaves alone: an
// import() would cost the bundle a chunk and a turn of the event loop.
const builtin = createRequire(import.meta.url)
export const nodeHttp = (): typeof import('node:http') => builtin('node:http')
export const nodeHttps = (): typeof import('node:https') => builtin('node:https')

export interface KubeAccess {
  /** The API server URL from the kubeconfig; paths are appended to it as client-node does. */
  server: string
  /** node:https options for one request: TLS material, the credential headers, the agent. */
  requestOptions(): Promise<RequestOptions>
}

/** A response that is not 2xx: toKubeApiError (errors.ts) reads the code, body and headers. */
export class HttpStatusError extends Error {
  override name = 'HttpStatusError'
  constructor(
    readonly statusCode: number,
    readonly body: string,
    readonly headers: IncomingHttpHeaders
  ) {
    super(`HTTP ${statusCode}`)
  }
}

export type Query = Record<string, string | boolean | undefined>

export interface KubeHttp {
  server: string
  /** One request; resolves with the parsed JSON of a 2xx answer, else HttpStatusError. */
  request<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    query: Query,
    body: unknown,
    signal: AbortSignal,
    /** Told the answer's headers, 2xx or not (the API server's warnings, say). */
    onHeaders?: (headers: IncomingHttpHeaders) => void
  ): Promise<T>
  /**
   * A watch of `path` (watch=true added). `done` is called once: null when the server ends
   * it, a TimeoutError after `inactivityMs` without data, else the error. Resolves with what
   * stops it.
   */
  watch(
    path: string,
    query: Query,
    inactivityMs: number,
    onEvent: (type: string, object: unknown) => void,
    done: (err: unknown) => void
  ): Promise<AbortController>
}

export function kubeHttp(access: KubeAccess): KubeHttp {
  const urlOf = (path: string, query: Query): URL => {
    const url = new URL(access.server + path)
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, `${v}`)
    return url
  }
  return {
    server: access.server,
    async request<T>(
      method: string,
      path: string,
      query: Query,
      body: unknown,
      signal: AbortSignal,
      onHeaders?: (headers: IncomingHttpHeaders) => void
    ): Promise<T> {
      const res = await send(access, method, urlOf(path, query), body, signal)
      onHeaders?.(res.headers)
      const chunks: Buffer[] = []
      for await (const chunk of res) chunks.push(chunk as Buffer)
      const text = Buffer.concat(chunks).toString('utf8')
      const code = res.statusCode ?? 0
      if (code < 200 || code > 299) throw new HttpStatusError(code, text, res.headers)
      return JSON.parse(text) as T
    },
    watch: (path, query, inactivityMs, onEvent, done) =>
      watch(access, urlOf(path, { ...query, watch: 'true' }), inactivityMs, onEvent, done)
  }
}

/** One request; resolves with the answer's head (its body still to read). */
async function send(
  access: KubeAccess,
  method: string,
  url: URL,
  body: unknown,
  signal: AbortSignal
): Promise<IncomingMessage> {
  const options = await access.requestOptions()
  const { request } = url.protocol === 'http:' ? nodeHttp() : nodeHttps()
  const payload = body === undefined ? undefined : JSON.stringify(body)
  signal.throwIfAborted()
  return new Promise((resolve, reject) => {
    const req = request(url, {
      ...options,
      method,
      headers: {
        ...options.headers,
        Accept: 'application/json',
        ...(payload === undefined
          ? {}
          : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) })
      }
    })
    // Not http.request's `signal`: it would destroy a socket that a complete answer gave
    // back to the keep-alive pool (an error nobody listens to). Only an open answer is cut.
    let res: IncomingMessage | undefined
    const onAbort = (): void => {
      if (!res?.complete) req.destroy(signal.reason as Error)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    req.once('close', () => signal.removeEventListener('abort', onAbort))
    req.once('response', (r: IncomingMessage) => resolve((res = r)))
    req.on('error', reject)
    req.end(payload)
  })
}

/** KubeHttp.watch: newline-delimited JSON events, as client-node's Watch reads them. */
async function watch(
  access: KubeAccess,
  url: URL,
  inactivityMs: number,
  onEvent: (type: string, object: unknown) => void,
  done: (err: unknown) => void
): Promise<AbortController> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  let timedOut = false
  let called = false
  const finish = (err: unknown): void => {
    if (called) return
    called = true
    clearTimeout(timer)
    controller.abort()
    done(err && timedOut ? timeoutError() : err)
  }
  // The connect, then the gaps between data, are bounded: a quiet watch is resumed.
  const idle = (): void => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      timedOut = true
      controller.abort(timeoutError())
    }, inactivityMs)
    timer.unref()
  }
  idle()
  const res = await send(access, 'GET', url, undefined, controller.signal).catch(
    (err: unknown) => void finish(err)
  )
  if (!res) return controller
  if (res.statusCode !== 200) {
    res.resume()
    finish(new HttpStatusError(res.statusCode ?? 0, '', res.headers))
    return controller
  }
  idle()
  let buffered = ''
  res.setEncoding('utf8')
  res.on('data', (chunk: string) => {
    idle()
    buffered += chunk
    for (let nl = buffered.indexOf('\n'); nl >= 0 && !called; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl)
      buffered = buffered.slice(nl + 1)
      const event = parseLine(line)
      if (event) onEvent(event.type, event.object)
    }
  })
  res.on('error', finish)
  res.on('end', () => finish(null))
  res.on('close', () => finish(null))
  return controller
}

/** One watch event; a line that is not one is skipped, as client-node does. */
function parseLine(line: string): { type: string; object: unknown } | undefined {
  try {
    const event = JSON.parse(line) as { type?: unknown; object?: unknown } | null
    return event && typeof event.type === 'string'
      ? { type: event.type, object: event.object }
      : undefined
  } catch {
    return undefined
  }
}

function timeoutError(): Error {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError')
}
