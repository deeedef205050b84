// A real Docker registry (the `docker-registry` Debian package, distribution 2.8) on a free
// 127.0.0.1 port, with its storage and config in a temp dir that stop() removes. With
// `htpasswd` it requires Basic auth for that one user, as a private registry would.

import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestRegistry {
  /** http://127.0.0.1:PORT */
  url: string
  /** 127.0.0.1:PORT */
  host: string
  stop(): Promise<void>
}

export interface RegistryOptions {
  htpasswd?: { user: string; password: string }
}

const STARTUP_MS = 15_000

export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'test-registry-'))
  try {
    const auth = opts.htpasswd
      ? await writeHtpasswd(dir, opts.htpasswd.user, opts.htpasswd.password)
      : ''
    // The port is free when asked for; another process could take it before the registry
    // binds it, so a registry that dies on startup is retried on a new port.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort()
      const config = join(dir, 'config.yml')
      await writeFile(
        config,
        [
          'version: 0.1',
          'log: {level: error, accesslog: {disabled: true}}',
          `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`,
          `http: {addr: "127.0.0.1:${port}", secret: test-only-secret}`,
          auth
        ].join('\n')
      )
      const child = spawn('docker-registry', ['serve', config], {
        stdio: ['ignore', 'ignore', 'pipe']
      })
      let stderr = ''
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      const host = `127.0.0.1:${port}`
      if (await ready(child, `http://${host}/v2/`)) {
        return {
          url: `http://${host}`,
          host,
          stop: async () => {
            await stopChild(child)
            await rm(dir, { recursive: true, force: true })
          }
        }
      }
      await stopChild(child)
      if (attempt === 3) throw new Error(`docker-registry did not start: ${stderr.trim()}`)
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true })
    throw e
  }
}

async function writeHtpasswd(dir: string, user: string, password: string): Promise<string> {
  const path = join(dir, 'htpasswd')
  await writeFile(path, `${user}:${await bcrypt(password)}\n`, { mode: 0o600 })
  return `auth: {htpasswd: {realm: test-registry, path: ${path}}}`
}

/**
 * A bcrypt hash ($2b$), which is all the registry's htpasswd accepts. Python's crypt module
 * (libxcrypt) makes one; the password goes through stdin, not argv.
 */
function bcrypt(password: string): Promise<string> {
  const script =
    'import crypt,sys,warnings\n' +
    'warnings.simplefilter("ignore")\n' +
    'print(crypt.crypt(sys.stdin.read(), crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))'
  return new Promise((resolve, reject) => {
    const child = execFile('python3', ['-W', 'ignore', '-c', script], (err, stdout) => {
      const hash = stdout.trim()
      if (err || !hash.startsWith('$2'))
        reject(new Error(`cannot make a bcrypt hash with python3: ${err?.message ?? hash}`))
      else resolve(hash)
    })
    child.stdin?.end(password)
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port'))
      )
    })
  })
}

/** True once GET /v2/ answers (200, or 401 with auth); false if the process exits first. */
async function ready(child: ChildProcess, url: string): Promise<boolean> {
  let exited = child.exitCode !== null
  child.once('exit', () => (exited = true))
  const deadline = Date.now() + STARTUP_MS
  while (!exited && Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) })
      await res.body?.cancel()
      if (res.status === 200 || res.status === 401) return true
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return false
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
