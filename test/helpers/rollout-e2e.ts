// Full rollouts through run() with the real adapters (client-node, the HTTP prober, the wall
// clock) against a test emulator: manifests on disk, inputs as a workflow gives them.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseInputs } from '../../src/inputs.js'
import { memoryLogger } from './memory-logger.js'
import { wallClock } from '../../src/clock.js'
import { run, type RunDeps } from '../../src/run.js'
import { createServingClient } from '../../src/knative/client.js'
import { createHttpProber } from '../../src/analysis/prober.js'
import type { KService } from '../../src/knative/types.js'
import type { TestEmulator } from './emulator.js'
import { serviceYaml } from './service-yaml.js'

/** Fast analysis: 20 probes a second each, small steps, a short timeout. */
export const FAST: Record<string, string> = {
  'step-interval': '2s',
  'probe-rps': '20',
  'min-requests': '10',
  'min-success-rate': '0.95',
  'max-latency-p99': '2s',
  timeout: '2m'
}

export interface RolloutRig {
  /** Runs one command; `flags` are action inputs by name (over FAST). */
  rollout(
    flags: Record<string, string>,
    deps?: Partial<RunDeps>
  ): Promise<Awaited<ReturnType<typeof run>> & { lines: string[] }>
  /** First deploy of `service` at `<service>-v1`, healthy. */
  deployV1(service: string): Promise<void>
  /** A manifest file for `<service>-<version>` with the emulator's behaviour env. */
  manifest(service: string, version: string, env?: Record<string, string>): Promise<string>
  service(name: string): Promise<KService>
  kubeconfig: string
  cleanup(): Promise<void>
}

export async function rolloutRig(emulator: TestEmulator): Promise<RolloutRig> {
  const dir = await mkdtemp(join(tmpdir(), 'rollout-e2e-'))
  const kubeconfig = await readFile(emulator.kubeconfigPath, 'utf8')
  const client = createServingClient({ kubeconfig, clock: wallClock, log: memoryLogger() })
  let runs = 0

  const rig: RolloutRig = {
    kubeconfig,
    async rollout(flags, deps = {}) {
      const all: Record<string, string> = {
        ...FAST,
        kubeconfig,
        'ingress-address': emulator.ingressUrl,
        ...flags
      }
      const log = memoryLogger()
      const id = ++runs
      const outcome = await run(
        parseInputs((name) => all[name]),
        {
          clock: wallClock,
          log,
          env: {},
          me: { id: `test/runs/${id}`, url: `https://github.com/acme/shop/actions/runs/${id}` },
          ...deps
        }
      )
      return { ...outcome, lines: log.lines }
    },
    async deployV1(service) {
      const out = await rig.rollout({
        manifest: await rig.manifest(service, 'v1'),
        'revision-name': `${service}-v1`
      })
      if (out.result !== 'promoted') throw new Error(`set-up failed: ${out.message}`)
    },
    async manifest(service, version, env = {}) {
      // Both revisions answer in ~20 ms, so a millisecond of scheduling noise on a loaded
      // machine is no latency regression to the judge.
      const path = join(dir, `${service}-${version}.yaml`)
      const image = `docker.io/acme/${service}:${version}`
      await writeFile(path, serviceYaml(service, image, { EMULATOR_LATENCY_MS: '20', ...env }))
      return path
    },
    async service(name) {
      return (await client.getService('default', name))!
    },
    cleanup: () => rm(dir, { recursive: true, force: true })
  }
  return rig
}

/** `PUT /emulator/revisions/<ns>/<name>/behaviour`: change a revision while it serves. */
export async function setBehaviour(
  emulator: TestEmulator,
  revision: string,
  behaviour: { errorRate?: number; latencyMs?: number }
): Promise<void> {
  const response = await fetch(
    `${emulator.apiUrl}/emulator/revisions/default/${encodeURIComponent(revision)}/behaviour`,
    { method: 'PUT', body: JSON.stringify(behaviour) }
  )
  if (!response.ok) throw new Error(`behaviour: HTTP ${response.status} ${await response.text()}`)
}

/** status.traffic as `tag:revision:percent`, the way a person reads it. */
export const split = (svc: KService): string[] =>
  (svc.status?.traffic ?? []).map((t) => `${t.tag ?? '-'}:${t.revisionName}:${t.percent}`)

/**
 * Users' requests through the emulator's ingress to `service` (20/s), until the returned
 * stop is called: the traffic the data plane counts and Prometheus scrapes.
 */
export async function userTraffic(
  rig: RolloutRig,
  emulator: TestEmulator,
  service: string
): Promise<() => Promise<void>> {
  const host = new URL((await rig.service(service)).status!.url!).host
  const prober = createHttpProber(wallClock)
  const stop = new AbortController()
  const loop = (async () => {
    while (!stop.signal.aborted) {
      await prober
        .probe({ url: emulator.ingressUrl + '/', host }, 20, 1_000, stop.signal)
        .catch(() => undefined)
    }
  })()
  return async () => {
    stop.abort()
    await loop
  }
}
