// Shared set-up for the engine's virtual-time tests: inputs with test defaults, a manifest
// builder, and one call that runs a command against the in-memory Knative.

import type { Inputs } from '../../src/inputs.js'
import type { KService } from '../../src/knative/types.js'
import { memoryLogger } from './memory-logger.js'
import { runEngine, type EngineDeps, type ManifestRelease } from '../../src/rollout/engine.js'
import type { RunIdentity } from '../../src/rollout/lease.js'
import type { RunOutcome } from '../../src/rollout/result.js'
import type { ProbeTarget, Prober } from '../../src/rollout/ports.js'
import { VirtualClock } from './virtual-clock.js'
import { FakeKnative } from './fake-knative.js'

export const NS = 'default'
export const SVC = 'shop'
export const RUN: RunIdentity = {
  id: 'acme/shop/runs/1',
  url: 'https://github.com/acme/shop/actions/runs/1/attempts/1'
}

export function inputs(over: Partial<Inputs> = {}): Inputs {
  return {
    command: 'rollout',
    service: SVC,
    namespace: NS,
    steps: [10, 25, 50, 100],
    stepIntervalMs: 30_000,
    probe: { path: '/', rps: 10 },
    thresholds: {
      minSuccessRate: 0.99,
      maxLatencyP99Ms: 500,
      minRequests: 50,
      failureThreshold: 1
    },
    metrics: [],
    webhooks: [],
    timeoutMs: 3_600_000,
    dryRun: false,
    waitForLock: false,
    gitops: {
      trafficOwner: 'action',
      writeBack: 'none',
      author: {
        name: 'knative-rollout[bot]',
        email: 'knative-rollout[bot]@users.noreply.github.com'
      },
      syncTimeoutMs: 300_000,
      check: 'refuse'
    },
    ...over
  }
}

export function manifest(
  image: string,
  env: Record<string, string> = {},
  release?: ManifestRelease
) {
  const service: KService = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: SVC, namespace: NS },
    spec: {
      template: {
        spec: {
          containers: [
            { image, env: Object.entries(env).map(([name, value]) => ({ name, value })) }
          ]
        }
      }
    }
  }
  return { service, release }
}

export class World {
  readonly clock = new VirtualClock()
  readonly knative = new FakeKnative(this.clock)
  /** Called before each probe (to change the world mid-step). */
  onProbe?: (target: ProbeTarget) => void

  async run(
    request: { inputs: Inputs; manifest?: ReturnType<typeof manifest>; sha?: string },
    over: Partial<EngineDeps> = {}
  ): Promise<RunOutcome & { log: string[] }> {
    const log = memoryLogger()
    const prober: Prober = {
      probe: (target, rps, ms, signal) => {
        this.onProbe?.(target)
        return this.knative.probe(target, rps, ms, signal)
      }
    }
    const outcome = await runEngine(
      {
        inputs: request.inputs,
        service: request.inputs.service ?? SVC,
        manifest: request.manifest,
        sha: request.sha
      },
      { client: this.knative, prober, clock: this.clock, log, me: RUN, ...over }
    )
    return { ...outcome, log: log.lines }
  }

  /** A service serving `shop-v1` (a first deploy through the engine). */
  async deployed(env: Record<string, string> = {}): Promise<void> {
    const out = await this.run({
      inputs: inputs({ revisionName: 'shop-v1' }),
      manifest: manifest('registry.local/shop:v1', env)
    })
    if (out.result !== 'promoted') throw new Error(`set-up failed: ${out.message}`)
  }

  /** `shop-v1` serving, and a rollout of `shop-v2` paused at 25% (pause-at). */
  async pausedAt25(): Promise<void> {
    await this.deployed()
    const paused = await this.run({
      inputs: inputs({ revisionName: 'shop-v2', pauseAt: 25 }),
      manifest: manifest('registry.local/shop:v2')
    })
    if (paused.result !== 'paused') throw new Error(`set-up failed: ${paused.message}`)
  }

  async service(): Promise<KService> {
    return (await this.knative.getService(NS, SVC))!
  }
}

/** status.traffic as `tag:revision:percent` strings, the way a person reads it. */
export function split(svc: KService): string[] {
  return (svc.status?.traffic ?? []).map((t) => `${t.tag ?? '-'}:${t.revisionName}:${t.percent}`)
}
