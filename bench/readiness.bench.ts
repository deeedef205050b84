// Readiness reaction: from the moment the emulator's controller writes a Service status that
// names the candidate as its latest ready revision (the store's own event, in this process)
// to the moment the engine's wait notices it. The engine's way is waitForService (list +
// watch, src/knative/client.ts); the baseline, in the same run on the same emulator, reads
// the Service once a second until it shows the same thing (what a 1 s polling loop does).

import { readFileSync } from 'node:fs'
import { startEmulator, type Emulator } from '../emulator/emulator.js'
import { SERVICES } from '../emulator/resources.js'
import { wallClock } from '../src/clock.js'
import { createServingClient } from '../src/knative/client.js'
import type { KService } from '../src/knative/types.js'
import { terminalLogger } from '../src/log.js'
import type { ServingClient } from '../src/rollout/ports.js'

const ROUNDS = 10
const POLL_MS = 1_000
const NS = 'default'
const NAME = 'ready-bench'

export async function runReadinessBench(): Promise<Record<string, unknown>> {
  const emulator = await startEmulator()
  try {
    const client = createServingClient({
      kubeconfig: readFileSync(emulator.kubeconfigPath, 'utf8'),
      clock: wallClock,
      log: terminalLogger({ write: () => undefined })
    })
    await client.createService(service(0))
    await client.waitForService(NS, NAME, (s) => !!s.status?.latestReadyRevisionName, 30_000)
    const watch: number[] = []
    const polling: number[] = []
    let version = 0
    for (let round = 0; round < ROUNDS; round++) {
      watch.push(await reaction(emulator, client, ++version, 'watch'))
      polling.push(await reaction(emulator, client, ++version, 'poll'))
    }
    const w = median(watch)
    const p = median(polling)
    return {
      what: 'ms from the controller writing "latest ready = candidate" on the Service to the wait noticing it',
      rounds: ROUNDS,
      watchMs: { median: round2(w), max: round2(Math.max(...watch)), runs: watch.map(round2) },
      polling1sMs: {
        median: round2(p),
        max: round2(Math.max(...polling)),
        runs: polling.map(round2)
      },
      ratioPollingOverWatch: w > 0 ? round2(p / w) : null,
      targets: { watchMs: '≤ 20' }
    }
  } finally {
    await emulator.stop()
  }
}

/** One new revision; how long after the controller marked it ready the wait saw it. */
async function reaction(
  emulator: Emulator,
  client: ServingClient,
  version: number,
  how: 'watch' | 'poll'
): Promise<number> {
  const candidate = `${NAME}-v${version}`
  let readyAt: number | undefined
  const unsubscribe = emulator.store.subscribe((e) => {
    const ready = (e.object as KService).status?.latestReadyRevisionName
    if (e.resource === SERVICES && e.object.metadata.name === NAME && ready === candidate)
      readyAt ??= performance.now()
  })
  try {
    await client.updateService(NS, NAME, (s) => ({ ...s, spec: service(version).spec }))
    const shown = (s: KService) => s.status?.latestReadyRevisionName === candidate
    if (how === 'watch') {
      await client.waitForService(NS, NAME, shown, 30_000)
    } else {
      for (;;) {
        const s = await client.getService(NS, NAME)
        if (s && shown(s)) break
        await wallClock.sleep(POLL_MS)
      }
    }
    const noticedAt = performance.now()
    if (readyAt === undefined) throw new Error(`${candidate}: the store never showed it ready`)
    return noticedAt - readyAt
  } finally {
    unsubscribe()
  }
}

function service(version: number): KService {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: NAME, namespace: NS },
    spec: {
      template: {
        metadata: { name: `${NAME}-v${version}` },
        spec: { containers: [{ image: `ghcr.io/acme/ready:${version}` }] }
      }
    }
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}
