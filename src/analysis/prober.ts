// Synthetic HTTP probes: `rps` requests per second for `durationMs`, started on an even
// schedule (request i at i/rps seconds) rather than in bursts, with a bound on requests in
// flight. Uses node:http directly because fetch forbids setting the Host header, which is
// how a request reaches a Knative service through the ingress address.

import http from 'node:http'
import https from 'node:https'
import { performance } from 'node:perf_hooks'
import type { Clock, ProbeSample, ProbeTarget, Prober } from '../rollout/ports.js'

export interface ProberOptions {
  /** A request not answered (headers and body) within this is a failure (status 0). */
  requestTimeoutMs?: number
  /** Requests in flight at most; later starts wait for a slot. */
  maxConcurrency?: number
}

export function createHttpProber(clock: Clock, options: ProberOptions = {}): Prober {
  const timeoutMs = options.requestTimeoutMs ?? 5_000
  const maxConcurrency = options.maxConcurrency ?? 64

  return {
    async probe(target, rps, durationMs, signal) {
      const count = Math.max(0, Math.round((rps * durationMs) / 1000))
      const intervalMs = 1000 / rps
      const samples: ProbeSample[] = []
      const inFlight = new Set<Promise<void>>()
      const agents = {
        http: new http.Agent({ keepAlive: true }),
        https: new https.Agent({ keepAlive: true })
      }
      const start = clock.now()
      try {
        for (let i = 0; i < count; i++) {
          signal?.throwIfAborted()
          const wait = start + i * intervalMs - clock.now()
          if (wait > 0) await clock.sleep(wait, signal)
          while (inFlight.size >= maxConcurrency) await Promise.race(inFlight)
          const at = clock.now()
          const running = requestOnce(target, timeoutMs, agents, signal).then((r) => {
            samples.push({ at, ...r })
            inFlight.delete(running)
          })
          inFlight.add(running)
        }
        await Promise.all(inFlight)
        signal?.throwIfAborted()
      } finally {
        agents.http.destroy()
        agents.https.destroy()
      }
      return samples.sort((a, b) => a.at - b.at)
    }
  }
}

/**
 * One GET; never rejects: a network error or timeout is status 0, with the error's code
 * (ENOTFOUND, ECONNREFUSED, a TLS code, TIMEOUT) in `error`, which the reachability check
 * (reachability.ts) names: "0% success" alone does not say that DNS failed.
 */
function requestOnce(
  target: ProbeTarget,
  timeoutMs: number,
  agents: { http: http.Agent; https: https.Agent },
  outer?: AbortSignal
): Promise<{ status: number; latencyMs: number; error?: string }> {
  const started = performance.now()
  // Its own timer, cleared when the request ends: AbortSignal.timeout() and .any() would
  // keep each request's signal, timer and listeners alive for the whole timeout, thousands
  // of them at a time when many Services probe at once (bench/scale.bench.ts).
  const controller = new AbortController()
  const signal = controller.signal
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  const onOuter = () => controller.abort(outer?.reason)
  if (outer?.aborted) onOuter()
  else outer?.addEventListener('abort', onOuter, { once: true })
  return new Promise((resolve) => {
    const done = (status: number, error?: string): void => {
      clearTimeout(timer)
      outer?.removeEventListener('abort', onOuter)
      resolve({ status, latencyMs: performance.now() - started, ...(error ? { error } : {}) })
    }
    const failed = (err: Error & { code?: string }): void =>
      done(0, signal.aborted && !outer?.aborted ? 'TIMEOUT' : (err.code ?? err.message))
    let url: URL
    try {
      url = new URL(target.url)
    } catch {
      return done(0, 'an invalid URL')
    }
    const secure = url.protocol === 'https:'
    const req = (secure ? https : http).request(url, {
      method: 'GET',
      headers: target.host ? { host: target.host } : {},
      agent: secure ? agents.https : agents.http,
      // An ingress addressed by IP serves many hosts: SNI must name the service too.
      ...(secure && target.host ? { servername: target.host } : {}),
      signal
    })
    req.on('response', (res) => {
      const status = res.statusCode ?? 0
      // Latency includes the body: a revision that answers headers fast and then stalls is slow.
      res.on('data', () => undefined)
      res.on('end', () => done(status))
      res.on('error', failed)
      res.on('close', () => {
        if (!res.complete) done(0, 'the connection dropped mid-body')
      })
    })
    req.on('error', failed)
    req.end()
  })
}
