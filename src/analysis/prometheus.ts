// Instant queries against Prometheus' HTTP API (/api/v1/query). `query`: one number per
// query, the first sample of a vector or a scalar; an empty result is "no data" (undefined).
// `queryVector`: every sample with its label set, for callers that track series themselves.

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
    if (data.resultType === 'scalar')
      return [{ labels: {}, value: Number((data.result as [number, string])[1]) }]
    if (data.resultType !== 'vector')
      throw new PrometheusError(`Prometheus returned a ${data.resultType}; expected a vector`)
    return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map(
      (s) => ({ labels: s.metric, value: Number(s.value[1]) })
    )
  }

  private async instant(promql: string): Promise<PromResponse['data']> {
    const url = new URL(
      'api/v1/query',
      this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`
    )
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
    if (this.auth.kind === 'bearer') headers.authorization = `Bearer ${this.auth.token}`
    if (this.auth.kind === 'basic') {
      headers.authorization = `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`
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
      throw new PrometheusError(
        `Prometheus at ${url.origin} is unreachable: ${(error as Error).message}`
      )
    }
    const body = (await response.json().catch(() => undefined)) as PromResponse | undefined
    if (!response.ok || body?.status !== 'success') {
      const why = body?.error ?? `HTTP ${response.status}`
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

function parseSample([, value]: [number, string]): number | undefined {
  const n = Number(value)
  return Number.isNaN(n) ? undefined : n
}
