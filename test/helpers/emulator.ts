// Start a full in-process emulator (store, Knative controller, data plane, API server)
// for a test suite, and run the real kubectl against it.

import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/emulator.js'

export type { Emulator, EmulatorOptions } from '../../emulator/emulator.js'

export interface TestEmulator extends Emulator {
  /** kubectl's discovery cache for this emulator, so runs never share a stale one. */
  kubectlCacheDir: string
}

/** A started emulator on ephemeral ports; `stop()` also removes its temporary files. */
export async function startTestEmulator(opts: EmulatorOptions = {}): Promise<TestEmulator> {
  const dir = await mkdtemp(join(tmpdir(), 'emulator-test-'))
  const emulator = await startEmulator({ kubeconfigPath: join(dir, 'kubeconfig'), ...opts })
  const stop = emulator.stop
  return {
    ...emulator,
    kubectlCacheDir: join(dir, 'kubectl-cache'),
    async stop() {
      await stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/**
 * One emulator for the enclosing `describe` (or file): started in beforeAll, stopped in
 * afterAll. Call the returned function inside tests to get it.
 */
export function withEmulator(opts: EmulatorOptions = {}): () => TestEmulator {
  let emulator: TestEmulator | undefined
  beforeAll(async () => {
    emulator = await startTestEmulator(opts)
  })
  afterAll(async () => {
    await emulator?.stop()
  })
  return () => {
    if (!emulator)
      throw new Error('the emulator is not running: call withEmulator() at describe level')
    return emulator
  }
}

export const KUBECTL = '/usr/bin/kubectl'

export interface KubectlResult {
  code: number
  stdout: string
  stderr: string
}

/** Run the real kubectl against the emulator; never rejects, the exit code is in the result. */
export function kubectl(
  emulator: TestEmulator,
  args: string[],
  stdin?: string
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      KUBECTL,
      ['--kubeconfig', emulator.kubeconfigPath, '--cache-dir', emulator.kubectlCacheDir, ...args],
      {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: emulator.kubectlCacheDir },
        timeout: 60_000
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, stdout, stderr })
      }
    )
    if (stdin !== undefined) child.stdin!.end(stdin)
  })
}

/** Poll `probe` until it returns a value other than undefined/false; rejects after `timeoutMs`. */
export async function eventually<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/**
 * kubectl's stderr without its `Warning:` lines: the API server's warnings (Knative warns
 * about every container that leaves an insecure securityContext default unset) are printed
 * there on a real cluster too, and are not a failure.
 */
export function withoutWarnings(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('Warning: '))
    .join('\n')
}
