// A bounded keep-alive HTTP load generator for the benchmarks: `count` GETs with
// `concurrency` in flight over one agent, each request's latency recorded. Loopback only.

import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'

export interface LoadOptions {
  url: string
  /** Sent as the Host header (the ingress routes by it); defaults to the URL's host. */
  host?: string
  headers?: Record<string, string>
  count: number
  concurrency: number
}

export interface LoadResult {
  requests: number
  seconds: number
  requestsPerSecond: number
  /** Status code -> how many. */
  codes: Record<string, number>
  latencyMs: { p50: number; p99: number; mean: number }
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url)
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) {
    throw new Error(`benchmarks only send traffic to loopback, not ${target.hostname}`)
  }
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency })
  const headers = { ...options.headers, ...(options.host ? { host: options.host } : {}) }
  const latencies = new Float64Array(options.count)
  const codes: Record<string, number> = {}
  let issued = 0
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const req = request(target, { agent, headers }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end()
    })
  const worker = async () => {
    while (issued < options.count) {
      const i = issued++
      const started = performance.now()
      const code = await one()
      latencies[i] = performance.now() - started
      codes[code] = (codes[code] ?? 0) + 1
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  const sorted = [...latencies].sort((a, b) => a - b)
  const at = (q: number) =>
    round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))])
  return {
    requests: options.count,
    seconds: round(seconds),
    requestsPerSecond: Math.round(options.count / seconds),
    codes,
    latencyMs: {
      p50: at(0.5),
      p99: at(0.99),
      mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length)
    }
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
