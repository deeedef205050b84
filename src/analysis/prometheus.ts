// Instant queries against Prometheus' HTTP API (/api/v1/query). `query`: one number per
// query, the first sample of a vector or a scalar; an empty result is "no data" (undefined).
// `queryVector`: every sample with its label set, for callers that track series themselves.
// A sample that is not a finite number (NaN from 0/0, +Inf from a division by zero) is no
// data: a verdict must not rest on it. Prometheus' own error text is untrusted (it may echo
// the query, or a proxy the Authorization header): redacted and escaped before it is shown.

import { basicAuthToken } from '../build/auth-file.js'
import { MAX_BODY_BYTES, readBody } from '../read-body.js'
import { redact } from '../report/redact.js'
import { escapeUntrusted } from '../report/untrusted.js'

export type PrometheusAuth =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; username: string; password: string }

export class PrometheusError extends Error {}

export class PrometheusClient {
  constructor(
    private readonly baseUrl: string,
    private readonly auth: PrometheusAuth = { kind: 'none' },
    private readonly timeoutMs = 10_000
  ) {}

  async query(promql: string): Promise<number | undefined> {
    return firstValue(await this.instant(promql))
  }

  /** Every sample of an instant vector (a scalar as one sample without labels); [] is no data. */
  async queryVector(promql: string): Promise<{ labels: Record<string, string>; value: number }[]> {
    const data = await this.instant(promql)
    if (data.resultType === 'scalar') {
      const value = parseSample(data.result as [number, string])
      return value === undefined ? [] : [{ labels: {}, value }]
    }
    if (data.resultType !== 'vector')
      throw new PrometheusError(`Prometheus returned a ${data.resultType}; expected a vector`)
    return (data.result as { metric: Record<string, string>; value: [number, string] }[]).flatMap(
      (s) => {
        const value = parseSample(s.value)
        return value === undefined ? [] : [{ labels: s.metric, value }]
      }
    )
  }

  /** What an error message must not show: the token, the password and its basic-auth form. */
  private secrets(): string[] {
    if (this.auth.kind === 'bearer') return [this.auth.token]
    if (this.auth.kind === 'basic') return [this.auth.password, basicAuthToken(this.auth)]
    return []
  }

  private problem(text: string): string {
    return escapeUntrusted(redact(text, this.secrets()), 500)
  }

  private async instant(promql: string): Promise<PromResponse['data']> {
    const url = new URL(
      'api/v1/query',
      this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`
    )
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
    if (this.auth.kind === 'bearer') headers.authorization = `Bearer ${this.auth.token}`
    if (this.auth.kind === 'basic') {
      headers.authorization = `Basic ${basicAuthToken(this.auth)}`
    }
    let response: Response
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body: new URLSearchParams({ query: promql }),
        signal: AbortSignal.timeout(this.timeoutMs)
      })
    } catch (error) {
      // undici puts the cause (ECONNREFUSED, ENOTFOUND, a certificate error) apart.
      const e = error as Error & { cause?: { message?: string; code?: string } }
      const cause = e.cause?.code ?? e.cause?.message
      throw new PrometheusError(
        `Prometheus at ${url.origin} is unreachable: ${this.problem(`${e.message}${cause ? ` (${cause})` : ''}`)}`
      )
    }
    const { text, truncated } = await readBody(response)
    if (truncated)
      throw new PrometheusError(
        `Prometheus at ${url.origin} answered more than ${MAX_BODY_BYTES} bytes`
      )
    let body: PromResponse | undefined
    try {
      body = JSON.parse(text) as PromResponse
    } catch {
      body = undefined
    }
    if (!response.ok || body?.status !== 'success' || !body.data) {
      const why =
        typeof body?.error === 'string' ? this.problem(body.error) : `HTTP ${response.status}`
      throw new PrometheusError(`Prometheus at ${url.origin} refused the query: ${why}`)
    }
    return body.data
  }
}

interface PromResponse {
  status: 'success' | 'error'
  error?: string
  data: { resultType: string; result: unknown }
}

function firstValue(data: PromResponse['data']): number | undefined {
  if (data.resultType === 'scalar') return parseSample(data.result as [number, string])
  if (data.resultType === 'vector') {
    const vector = data.result as { value: [number, string] }[]
    return vector.length ? parseSample(vector[0].value) : undefined
  }
  throw new PrometheusError(
    `Prometheus returned a ${data.resultType}; a check must return one number`
  )
}

/** A sample's value; NaN, +Inf and -Inf (and anything not a number) are no data. */
function parseSample(sample: [number, string] | undefined): number | undefined {
  const n = Number(Array.isArray(sample) ? sample[1] : undefined)
  return Number.isFinite(n) ? n : undefined
}
