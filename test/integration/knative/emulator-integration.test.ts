// The client and the prober against the real emulator (API server, Knative controller,
// ingress) over HTTP: the path the action takes, without a cluster.

import { readFile } from 'node:fs/promises'
import { startEmulator, type Emulator } from '../../../emulator/emulator.js'
import { NO_FAULTS } from '../../../emulator/settings.js'
import { createServingClient } from '../../../src/knative/client.js'
import { KubeApiError } from '../../../src/knative/errors.js'
import { isReady, type KService } from '../../../src/knative/types.js'
import { createHttpProber } from '../../../src/analysis/prober.js'
import { summarise } from '../../../src/analysis/stats.js'
import { wallClock } from '../../../src/clock.js'
import { memoryLogger } from '../../helpers/memory-logger.js'
import type { ServingClient } from '../../../src/rollout/ports.js'
import { instantClock } from '../../helpers/kube-server.js'

let emulator: Emulator
let kubeconfig: string
let client: ServingClient

beforeAll(async () => {
  emulator = await startEmulator()
  kubeconfig = await readFile(emulator.kubeconfigPath, 'utf8')
  client = createServingClient({ kubeconfig, clock: wallClock, log: memoryLogger() })
})
afterAll(() => emulator.stop())
afterEach(() => {
  emulator.settings.faults = { ...NO_FAULTS }
})

function service(
  name: string,
  revision: string,
  env: { name: string; value: string }[] = []
): KService {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: {
      template: {
        metadata: { name: revision },
        spec: {
          containers: [
            { image: 'example.com/hello:v1', env: [{ name: 'TARGET', value: 'v1' }, ...env] }
          ]
        }
      }
    }
  }
}

const trafficShows = (tag: string, percent: number) => (svc: KService) =>
  isReady(svc) && (svc.status?.traffic ?? []).some((t) => t.tag === tag && t.percent === percent)

test('create, wait Ready, add a candidate at 0%, wait for its revision, probe it through the ingress', async () => {
  const created = await client.createService(service('hello', 'hello-v1'))
  expect(created.metadata.resourceVersion).toBeDefined()

  const ready = await client.waitForService('default', 'hello', isReady, 20_000)
  expect(ready.status?.latestReadyRevisionName).toBe('hello-v1')

  await client.updateService('default', 'hello', (svc) => {
    svc.spec.template = {
      metadata: { name: 'hello-v2' },
      spec: {
        containers: [{ image: 'example.com/hello:v2', env: [{ name: 'TARGET', value: 'v2' }] }]
      }
    }
    svc.spec.traffic = [
      { tag: 'current', revisionName: 'hello-v1', percent: 100 },
      { tag: 'candidate', revisionName: 'hello-v2', percent: 0 },
      { tag: 'latest', latestRevision: true, percent: 0 }
    ]
    return svc
  })
  const revision = await client.waitForRevision('default', 'hello-v2', isReady, 20_000)
  expect(revision.metadata.name).toBe('hello-v2')
  const routed = await client.waitForService(
    'default',
    'hello',
    trafficShows('candidate', 0),
    20_000
  )
  const candidateUrl = routed.status!.traffic!.find((t) => t.tag === 'candidate')!.url!
  const host = new URL(candidateUrl).host

  const samples = await createHttpProber(wallClock).probe(
    { url: emulator.ingressUrl + '/', host },
    50,
    200
  )
  const summary = summarise(samples)
  expect(summary.requests).toBe(10)
  expect(summary.errors).toBe(0)
})

test('a failing candidate is measured as failing through the ingress', async () => {
  await client.createService(
    service('flaky', 'flaky-v1', [{ name: 'EMULATOR_ERROR_RATE', value: '1' }])
  )
  const ready = await client.waitForService('default', 'flaky', isReady, 20_000)
  const samples = await createHttpProber(wallClock).probe(
    { url: emulator.ingressUrl + '/', host: new URL(ready.status!.url!).host },
    50,
    100
  )
  expect(summarise(samples)).toMatchObject({ requests: 5, errors: 5 })
})

test('waits survive the server dropping every watch', async () => {
  emulator.settings.faults = { ...NO_FAULTS, watchDropAfterMs: 30 }
  await client.createService(
    service('dropped', 'dropped-v1', [{ name: 'EMULATOR_READY_DELAY_MS', value: '300' }])
  )
  const ready = await client.waitForService('default', 'dropped', isReady, 20_000)
  expect(ready.status?.latestReadyRevisionName).toBe('dropped-v1')
})

test.each([
  {
    name: 'every write conflicts: gives up with 409 after the bounded re-reads',
    faults: { conflictRate: 1 },
    code: 409
  },
  {
    name: 'every request 503: gives up after bounded retries',
    faults: { errorRate: 1, errorStatus: 503 },
    code: 503
  }
])('$name', async ({ faults, code }) => {
  const clock = instantClock()
  const faulty = createServingClient({ kubeconfig, clock, log: memoryLogger() })
  await client.createService(service(`faulty-${code}`, `faulty-${code}-v1`))
  emulator.settings.faults = { ...NO_FAULTS, ...faults }
  const err = (await faulty
    .updateService('default', `faulty-${code}`, (s) => s)
    .catch((e: unknown) => e)) as KubeApiError
  expect(err).toBeInstanceOf(KubeApiError)
  expect(err.code).toBe(code)
  expect(err.message).toContain(emulator.apiUrl)
  if (code === 503) expect(clock.sleeps.every((ms) => ms === 1000)).toBe(true) // the Status's retryAfterSeconds
})

test('a conflicting write in between is absorbed: the mutation lands on the newest object', async () => {
  await client.createService(service('racy', 'racy-v1'))
  await client.waitForService('default', 'racy', isReady, 20_000) // the controller is done writing
  let calls = 0
  const updated = await client.updateService('default', 'racy', (svc) => {
    calls++
    if (calls === 1) {
      // Another writer gets in between our read and our write.
      const stored = emulator.store.get(
        'services.serving.knative.dev',
        'default',
        'racy'
      ) as unknown as KService | undefined
      if (stored) {
        emulator.store.update('services.serving.knative.dev', {
          ...stored,
          metadata: { ...stored.metadata, labels: { ...stored.metadata.labels, team: 'other' } }
        } as never)
      }
    }
    svc.metadata.annotations = { ...svc.metadata.annotations, 'rollout/phase': 'candidate' }
    return svc
  })
  expect(calls).toBe(2)
  expect(updated.metadata.labels?.team).toBe('other')
  expect(updated.metadata.annotations?.['rollout/phase']).toBe('candidate')
})
