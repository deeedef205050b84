// What the end-to-end tests share: one emulator per test file, the action's inputs for a
// fast rollout against it, manifests written to files, and a look at the live Service.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServingClient } from '../../src/knative/client.js'
import { memoryLogger } from './memory-logger.js'
import { wallClock } from '../../src/clock.js'
import type { KService } from '../../src/knative/types.js'
import type { ActionResult } from './action-runner.js'
import { withEmulator, type EmulatorOptions, type TestEmulator } from './emulator.js'
import { serviceYaml } from './service-yaml.js'

export interface Kit {
  emulator(): TestEmulator
  /** The emulator's kubeconfig, as content: what INPUT_KUBECONFIG carries. */
  kubeconfig(): string
  /** Inputs for a fast rollout against this emulator, `extra` on top. */
  inputs(extra?: Record<string, string>): Record<string, string>
  manifest(name: string, yaml: string): Promise<string>
  service(name: string): Promise<KService>
}

/**
 * Short steps: one analysis of 2 s at 20 probes/s each side (40 requests ≥ min-requests).
 * The p99 guard is loose: on a loaded test machine both revisions can answer in a second,
 * and these tests are about what the action does, not about latency thresholds.
 */
export const FAST = {
  steps: '20,100',
  'step-interval': '2s',
  'probe-rps': '20',
  'max-latency-p99': '10s',
  timeout: '2m'
}

export function e2eKit(options: EmulatorOptions = {}): Kit {
  const emulator = withEmulator(options)
  let dir = ''
  let kubeconfig = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'e2e-'))
    kubeconfig = await readFile(emulator().kubeconfigPath, 'utf8')
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))
  return {
    emulator,
    kubeconfig: () => kubeconfig,
    inputs: (extra = {}) => ({
      ...FAST,
      kubeconfig,
      'ingress-address': emulator().ingressUrl,
      ...extra
    }),
    async manifest(name, yaml) {
      const path = join(dir, `${name}.yaml`)
      await writeFile(path, yaml)
      return path
    },
    async service(name) {
      const client = createServingClient({ kubeconfig, clock: wallClock, log: memoryLogger() })
      const svc = await client.getService('default', name)
      if (!svc) throw new Error(`service ${name} does not exist`)
      return svc
    }
  }
}

/** A v1 Service running `image`, with emulator behaviour in its env. */
export { serviceYaml }

/** status.traffic as `tag:revision:percent` strings. */
export function split(svc: KService): string[] {
  return (svc.status?.traffic ?? []).map((t) => `${t.tag ?? '-'}:${t.revisionName}:${t.percent}`)
}

/**
 * Expects the run to end with this exit code and result; otherwise fails with the end of
 * what the action said (stdout without the mask commands, and stderr), to show why.
 */
export function expectEnded(out: ActionResult, code: number, result: string): void {
  if (out.code === code && out.outputs.result === result) return
  const said = out.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .slice(-15)
    .join('\n')
  throw new Error(
    `expected exit ${code} with result ${result}, got exit ${out.code} (signal ${out.signal}) with result ${out.outputs.result}\n--- stdout (end)\n${said}\n--- stderr (end)\n${out.stderr.slice(-3000)}`
  )
}

/** The log's groups in order, each ended before the next begins (the runner does not nest them). */
export function logGroups(stdout: string): string[] {
  const marks = stdout.split('\n').filter((l) => /^::(end)?group::/.test(l))
  expect(marks.every((m, i) => m.startsWith(i % 2 ? '::endgroup::' : '::group::'))).toBe(true)
  expect(marks.length % 2).toBe(0)
  // The toolkit escapes a command's % as %25; the runner shows it as %.
  return marks.filter((m) => m !== '::endgroup::').map((m) => m.slice(9).replace(/%25/g, '%'))
}
