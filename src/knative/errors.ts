// Errors from the Kubernetes API, as one typed object: the API's Status (code, reason,
// message), what we were doing (verb, resource, name, namespace) and the server's URL.
// Messages never include credentials: only the Status's own message is quoted, never the
// response's headers, and a library's own message loses what it quotes (libraryMessage).

import { redactUrlCredentials } from '../report/redact.js'

export interface KubeRequest {
  verb: string // get, list, watch, create, update
  resource: string // e.g. services.serving.knative.dev
  name?: string
  namespace?: string
  /** The API server URL from the kubeconfig (never the credentials). */
  server: string
}

export class KubeApiError extends Error {
  override readonly name = 'KubeApiError'

  constructor(
    message: string,
    /** HTTP status; 0 when no answer arrived (network error, timeout). */
    readonly code: number,
    /** The Status reason (NotFound, Conflict, Forbidden, ...) or the network error code. */
    readonly reason: string | undefined,
    readonly request: KubeRequest,
    /** From Retry-After or the Status's details.retryAfterSeconds. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }

  /** 429, 5xx and network errors are worth another try; other 4xx are answers. */
  get retryable(): boolean {
    return this.code === 429 || this.code >= 500 || this.reason === 'NetworkError'
  }
}

/** `get services.serving.knative.dev "hello" in namespace "default"` */
export function describeRequest(r: KubeRequest): string {
  const name = r.name ? ` "${r.name}"` : ''
  const ns = r.namespace ? ` in namespace "${r.namespace}"` : ''
  return `${r.verb} ${r.resource}${name}${ns}`
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED'
])

interface StatusBody {
  kind?: string
  message?: string
  reason?: string
  code?: number
  details?: { retryAfterSeconds?: number }
}

/** Converts whatever a request (kube-http.ts), a credential plugin or a watch threw into a KubeApiError. */
export function toKubeApiError(err: unknown, request: KubeRequest): KubeApiError {
  if (err instanceof KubeApiError) return err
  const e = err as { code?: unknown; statusCode?: unknown; body?: unknown; headers?: unknown }

  // An answer that is not 2xx (kube-http.ts's HttpStatusError): its code, body (text), headers.
  // (A DOMException has a numeric `code`, its legacy error number: not an HTTP status.)
  const httpCode = typeof e?.statusCode === 'number' ? e.statusCode : undefined
  if (httpCode !== undefined) {
    const status = parseStatus(e.body)
    return fromStatus(httpCode, status, retryAfterHeader(e.headers), request, err)
  }

  const tls = tlsProblem(err)
  if (tls) {
    return new KubeApiError(
      `cannot verify the TLS certificate of the Kubernetes API server at ${request.server} to ${describeRequest(request)}: ${tls}; put the cluster's CA in the kubeconfig (certificate-authority-data), or set tls-insecure: true to skip verification`,
      0,
      'TLSError',
      request,
      undefined,
      { cause: err }
    )
  }
  const netCode = networkCode(err)
  if (netCode) {
    return new KubeApiError(
      `cannot reach the Kubernetes API server at ${request.server} to ${describeRequest(request)}: ${netCode}${causeText(err)}`,
      0,
      'NetworkError',
      request,
      undefined,
      { cause: err }
    )
  }
  const message = libraryMessage(err instanceof Error ? err.message : String(err))
  return new KubeApiError(
    `${describeRequest(request)} on ${request.server} failed: ${message}`,
    0,
    'ClientError',
    request,
    undefined,
    { cause: err }
  )
}

/** A watch stream's ERROR event carries a Status object. */
export function fromWatchStatus(status: StatusBody, request: KubeRequest): KubeApiError {
  return fromStatus(status.code ?? 500, status, undefined, request, undefined)
}

function fromStatus(
  code: number,
  status: StatusBody | undefined,
  retryAfterMs: number | undefined,
  request: KubeRequest,
  cause: unknown
): KubeApiError {
  const what = describeRequest(request)
  const detail = status?.message ? `: ${status.message}` : ''
  const reason = status?.reason ?? defaultReason(code)
  let message: string
  if (code === 401) {
    message = `the Kubernetes API server at ${request.server} rejected the credentials (401 Unauthorized) to ${what}${detail}; check the kubeconfig's token or certificate`
  } else if (code === 403) {
    message = `forbidden (403) to ${what} on ${request.server}${detail}; the kubeconfig's user needs RBAC permission to ${request.verb} ${request.resource}: ${rbacRule(request)}`
  } else {
    message = `${what} on ${request.server} failed: ${code} ${reason}${detail}`
  }
  const afterSeconds = status?.details?.retryAfterSeconds
  return new KubeApiError(
    message,
    code,
    reason,
    request,
    retryAfterMs ?? (afterSeconds !== undefined ? afterSeconds * 1000 : undefined),
    { cause }
  )
}

/**
 * The rule to add, e.g. RBAC: allow `patch` on `services.serving.knative.dev` in namespace
 * "shop" (a Role rule: apiGroups ["serving.knative.dev"], resources ["services"], verbs ["patch"]).
 */
export function rbacRule(r: Pick<KubeRequest, 'verb' | 'resource' | 'namespace'>): string {
  const dot = r.resource.indexOf('.')
  const plural = dot < 0 ? r.resource : r.resource.slice(0, dot)
  const group = dot < 0 ? '' : r.resource.slice(dot + 1)
  const where = r.namespace
    ? `in namespace "${r.namespace}" (a Role`
    : `cluster-wide (a ClusterRole`
  return (
    `RBAC: allow \`${r.verb}\` on \`${r.resource}\` ${where} rule: ` +
    `apiGroups ["${group}"], resources ["${plural}"], verbs ["${r.verb}"], bound to the kubeconfig's user)`
  )
}

function parseStatus(body: unknown): StatusBody | undefined {
  if (body && typeof body === 'object') return body as StatusBody
  if (typeof body !== 'string' || body.length === 0) return undefined
  try {
    const parsed = JSON.parse(body) as unknown
    return parsed && typeof parsed === 'object' ? (parsed as StatusBody) : undefined
  } catch {
    return { message: body.slice(0, 500) }
  }
}

function retryAfterHeader(headers: unknown): number | undefined {
  if (!headers || typeof headers !== 'object') return undefined
  const raw = (headers as Record<string, string | undefined>)['retry-after']
  if (raw === undefined) return undefined
  const seconds = Number(raw)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(raw)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

function networkCode(err: unknown): string | undefined {
  for (
    let e: unknown = err, depth = 0;
    e && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code
    const name = (e as { name?: unknown }).name
    if (name === 'TimeoutError' || name === 'ConnectTimeoutError') return 'timeout'
  }
  return undefined
}

/** `CODE (message)` of a certificate or TLS handshake failure anywhere in the cause chain. */
function tlsProblem(err: unknown): string | undefined {
  for (
    let e: unknown = err, depth = 0;
    e && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
      const message = e instanceof Error ? e.message : ''
      return message && message !== code ? `${code} (${message})` : code
    }
  }
  return undefined
}

function causeText(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause
  const message = cause instanceof Error ? cause.message : err instanceof Error ? err.message : ''
  return message ? ` (${libraryMessage(message)})` : ''
}

/**
 * A library's error message without the input it quotes: undici's Headers quote a header
 * value they refuse (the kubeconfig's token, when it is not a valid header value), and a URL
 * may carry credentials (a kubeconfig's server). Neither is needed to name the problem.
 */
export function libraryMessage(message: string): string {
  return redactUrlCredentials(
    message.replace(
      /(Headers\.\w+: )"(?:[^"\\]|\\.)*"( is an invalid header (?:value|name))/gs,
      '$1the value$2'
    )
  )
}

function defaultReason(code: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    409: 'Conflict',
    410: 'Expired',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout'
  }
  return reasons[code] ?? 'Unknown'
}
