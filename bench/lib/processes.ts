// Servers the emulator benchmark runs in child processes: a bare node:http baseline and the
// emulator binary built fresh from source. Each prints one JSON line when ready; every child
// is stopped by its own handle.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export interface Child<T> {
  ready: T
  stop(): Promise<void>
}

/** A bare node:http server answering `body` to every request: the baseline. */
const BASELINE = `
const http = require('node:http')
const body = process.env.BASELINE_BODY
const type = process.env.BASELINE_TYPE
const server = http.createServer((req, res) => {
  req.resume()
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) })
  res.end(body)
})
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })))
`

export function startBaseline(body: string, contentType: string): Promise<Child<{ url: string }>> {
  const child = spawn(process.execPath, ['-e', BASELINE], {
    env: { ...process.env, BASELINE_BODY: body, BASELINE_TYPE: contentType },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  return firstJsonLine(child, () => undefined)
}

export interface EmulatorReady {
  api: string
  ingress: string
  kubeconfig: string
}

/**
 * Bundles emulator/main.ts (the `knative-emulator` binary) and starts it on ephemeral
 * ports. Resolves undefined when the entry does not exist yet.
 */
export async function startEmulatorProcess(): Promise<Child<EmulatorReady> | undefined> {
  if (!existsSync('emulator/main.ts')) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'bench-emulator-'))
  const bundle = join(dir, 'emulator.mjs')
  const built = spawnSync(
    join('node_modules', '.bin', 'esbuild'),
    [
      'emulator/main.ts',
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--target=node22',
      '--log-level=warning',
      `--outfile=${bundle}`,
      "--banner:js=import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
    ],
    { encoding: 'utf8' }
  )
  if (built.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`could not bundle emulator/main.ts: ${built.stderr || built.error}`)
  }
  const child = spawn(
    process.execPath,
    [bundle, '--kubeconfig', join(dir, 'kubeconfig'), '--port', '0', '--ingress-port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  return firstJsonLine<EmulatorReady>(child, () => rmSync(dir, { recursive: true, force: true }))
}

function firstJsonLine<T>(child: ChildProcess, cleanup: () => void): Promise<Child<T>> {
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    cleanup()
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error('child server did not report ready within 30 s'))
    }, 30_000)
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', (line) => {
      clearTimeout(timer)
      lines.close()
      child.stdout!.resume() // keep draining so the child never blocks on a full pipe
      try {
        resolve({ ready: JSON.parse(line) as T, stop })
      } catch {
        void stop()
        reject(new Error(`child server printed ${line.slice(0, 200)}, not JSON`))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`child server exited with ${code} before it was ready`))
    })
  })
}

/** Runs a command to its end with exactly `env`; its exit status and output. */
export function exec(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}
