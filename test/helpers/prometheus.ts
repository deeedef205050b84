// Starts a real Prometheus server (Debian's `prometheus`) on a free loopback port, scraping
// the given targets every second, with its storage in a temp dir that is removed on stop.

import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface RunningPrometheus {
  url: string
  /** Polls an instant query until `ready(value)` holds or `timeoutMs` passes. */
  waitFor(promql: string, ready: (result: any[]) => boolean, timeoutMs?: number): Promise<any[]>
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * @param targets `host:port` of each /metrics endpoint to scrape
 * @param o.discover an HTTP service-discovery URL (the emulator's per-pod targets, each with
 *   the labels its release puts on its series) scraped instead of `targets`
 */
export async function startPrometheus(
  targets: string[],
  o: { discover?: string } = {}
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-'))
  const port = await freePort()
  const scrape = o.discover
    ? `    http_sd_configs: [{ url: "${o.discover}", refresh_interval: 1s }]`
    : `    static_configs: [{ targets: [${targets.map((t) => `"${t}"`).join(', ')}] }]`
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: emulator',
      scrape
    ].join('\n')
  )
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn'
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  )
  let stderr = ''
  child.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-4000)))
  const url = `http://127.0.0.1:${port}`

  const query = async (promql: string) => {
    const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`)
    const body = (await r.json()) as { data: { result: any[] } }
    return body.data.result
  }
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`)
    const ok = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false
    )
    if (ok) break
    if (Date.now() > deadline) throw new Error(`prometheus did not become ready: ${stderr}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    url,
    async waitFor(promql, ready, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs
      for (;;) {
        const result = await query(promql)
        if (ready(result)) return result
        if (Date.now() > until)
          throw new Error(`timed out waiting for ${promql}: last ${JSON.stringify(result)}`)
        await new Promise((r) => setTimeout(r, 500))
      }
    },
    async stop() {
      child.kill('SIGTERM')
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)))
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
