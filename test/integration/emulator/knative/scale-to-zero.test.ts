// Scale to zero as a rollout meets it (pkg/reconciler/autoscaling/kpa/): idle past the
// stable window plus the grace period → Active=False NoTraffic, no pod, still Ready;
// min-scale keeps a revision warm; the next request wakes it and pays the cold start.

import {
  activityOf,
  KNATIVE_AUTOSCALING,
  minScaleOf
} from '../../../../emulator/knative/autoscaler.js'
import { revisionStatus } from '../../../../emulator/knative/revision-status.js'
import type { KObject } from '../../../../emulator/store.js'
import { request } from 'node:http'
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node'
import {
  eventually,
  kubectl,
  startTestEmulator,
  type TestEmulator
} from '../../../helpers/emulator.js'

/** One request through the ingress with a Host header (fetch cannot set Host). */
const get = (url: string, host: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request(url, { headers: { Host: host } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })

const ON = KNATIVE_AUTOSCALING // on by default, as in Knative
const OFF = { ...KNATIVE_AUTOSCALING, scaleToZero: false }
const rev = (annotations: Record<string, string> = {}): KObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Revision',
  metadata: { name: 'r-00001', namespace: 'default', generation: 1, annotations },
  spec: { containers: [{ image: 'img' }] }
})

describe('activityOf (Knative defaults: stable window 60s + grace period 30s)', () => {
  const rows: [string, number, number | undefined, number, typeof ON, object][] = [
    ['off: always active', 1e9, undefined, 0, OFF, { active: true }],
    ['just ready', 0, undefined, 0, ON, { active: true, inactiveAtMs: 90_000 }],
    ['idle 89s', 89_999, undefined, 0, ON, { active: true, inactiveAtMs: 90_000 }],
    ['idle 90s: scaled to zero', 90_000, undefined, 0, ON, { active: false }],
    [
      'a request resets the idle time',
      100_000,
      50_000,
      0,
      ON,
      { active: true, inactiveAtMs: 140_000 }
    ],
    ['min-scale 1 keeps it warm', 1e9, undefined, 1, ON, { active: true }]
  ]
  test.each(rows)('%s', (_name, now, lastRequest, minScale, settings, want) => {
    expect(activityOf(now, 0, lastRequest, minScale, settings)).toEqual(want)
  })

  test.each([
    [{}, 0],
    [{ 'autoscaling.knative.dev/min-scale': '2' }, 2],
    [{ 'autoscaling.knative.dev/minScale': '1' }, 1],
    [{ 'autoscaling.knative.dev/min-scale': 'x' }, 0]
  ])('minScaleOf(%j) is %d', (annotations, want) => {
    expect(minScaleOf(rev(annotations))).toBe(want)
  })
})

describe('revisionStatus of an idle revision (revision_lifecycle.go)', () => {
  const status = (nowMs: number, annotations = {}) =>
    revisionStatus(rev(annotations), {
      nowMs,
      startedMs: 0,
      image: { state: 'resolved', digests: ['sha256:' + 'a'.repeat(64)] },
      autoscaling: ON
    })
  const cond = (s: any, type: string) => s.conditions.find((c: any) => c.type === type)

  test('scaled to zero: Ready stays True, Active False NoTraffic, no replicas, no pod', () => {
    const out = status(90_000)
    expect(out.running).toBe(false)
    expect(cond(out.status, 'Ready')).toMatchObject({ status: 'True' })
    expect(cond(out.status, 'Active')).toMatchObject({
      status: 'False',
      reason: 'NoTraffic',
      message: 'The target is not receiving traffic.',
      severity: 'Info'
    })
    expect(out.status).toMatchObject({ actualReplicas: 0, desiredReplicas: 0 })
  })

  test('active: a pod, and a wake-up when it would scale to zero', () => {
    const out = status(1_000)
    expect(out).toMatchObject({ running: true, wakeAtMs: 90_000 })
    expect(cond(out.status, 'Active')).toMatchObject({ status: 'True' })
  })

  test('min-scale 2: two replicas, never scaled to zero', () => {
    const out = status(1e9, { 'autoscaling.knative.dev/min-scale': '2' })
    expect(out).toMatchObject({ running: true, wakeAtMs: undefined })
    expect(out.status).toMatchObject({ actualReplicas: 2, desiredReplicas: 2 })
  })
})

describe('the full emulator, with short windows', () => {
  let e: TestEmulator
  const COLD_START_MS = 300
  beforeAll(async () => {
    e = await startTestEmulator({
      statusDelayMs: 5,
      autoscaling: {
        scaleToZero: true,
        stableWindowMs: 200,
        gracePeriodMs: 100,
        coldStartMs: COLD_START_MS
      }
    })
  })
  afterAll(() => e.stop())

  const revision = (name: string) => e.store.get('revisions.serving.knative.dev', 'default', name)
  const active = (name: string) =>
    revision(name)?.status?.conditions?.find((c: any) => c.type === 'Active')
  const pods = (name: string) =>
    e.store
      .list('pods', 'default')
      .filter((p) => p.metadata.labels?.['serving.knative.dev/revision'] === name)

  async function create(name: string, annotations: Record<string, string> = {}) {
    const token = /token: (\S+)/.exec(
      await import('node:fs/promises').then((fs) => fs.readFile(e.kubeconfigPath, 'utf8'))
    )![1]
    const res = await fetch(`${e.apiUrl}/apis/serving.knative.dev/v1/namespaces/default/services`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Service',
        metadata: { name },
        spec: {
          template: {
            metadata: { annotations },
            spec: { containers: [{ image: 'docker.io/acme/hello:v1' }] }
          }
        }
      })
    })
    expect(res.status).toBe(201)
  }

  test('idle → scaled to zero; a request wakes it after the cold start; min-scale stays warm', async () => {
    await create('idle')
    await create('warm', { 'autoscaling.knative.dev/min-scale': '1' })
    await eventually(() => active('idle-00001')?.reason === 'NoTraffic', 'idle to scale to zero')
    expect(pods('idle-00001')).toEqual([])
    // As a client reads it (revision_lifecycle.go MarkInactive; kpa's actualReplicas):
    // client-node and kubectl see Ready True, Active False NoTraffic, no replicas.
    const kc = new KubeConfig()
    kc.loadFromFile(e.kubeconfigPath)
    const seen: any = await kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({
      group: 'serving.knative.dev',
      version: 'v1',
      namespace: 'default',
      plural: 'revisions',
      name: 'idle-00001'
    })
    const byType = (conditions: any[]) =>
      Object.fromEntries(conditions.map((c) => [c.type, [c.status, c.reason ?? '']]))
    const expected = { Active: ['False', 'NoTraffic'], Ready: ['True', ''] }
    expect(byType(seen.status.conditions)).toMatchObject(expected)
    expect(seen.status.actualReplicas).toBe(0)
    const viaKubectl = await kubectl(e, ['get', 'revision', 'idle-00001', '-o', 'json'])
    const kubectlSeen = JSON.parse(viaKubectl.stdout)
    expect(byType(kubectlSeen.status.conditions)).toMatchObject(expected)
    expect(kubectlSeen.status.actualReplicas).toBe(0)
    expect(active('warm-00001')).toMatchObject({ status: 'True' })
    expect(pods('warm-00001')).toHaveLength(1)

    expect(await get(e.ingressUrl, 'idle.default.example.com')).toBe(200)
    // The cold start is in what queue-proxy measured for that request (Knative 1.21 names).
    const metrics = await (await fetch(`${e.apiUrl}/metrics`)).text()
    const sum = metrics
      .split('\n')
      .find(
        (l) =>
          l.startsWith('kn_serving_invocation_duration_seconds_sum{') && l.includes('idle-00001')
      )
    expect(Number(sum!.split(' ').pop())).toBeGreaterThanOrEqual(COLD_START_MS / 1000)
    await eventually(() => active('idle-00001')?.status === 'True', 'idle to be active again')
    expect(pods('idle-00001')).toHaveLength(1)
  }, 30_000)
})
