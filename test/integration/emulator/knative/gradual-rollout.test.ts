// Gradual rollout with `serving.knative.dev/rollout-duration` (pkg/reconciler/route/traffic/
// rollout.go): the new latest revision starts at 1%, steps up, and the Route (hence the
// Service) says RolloutInProgress until one revision holds the target's share. Row by row
// through client-node and kubectl, each naming its source: gradual-rollout-conformance.test.ts.

import type { TrafficTarget } from '../../../../src/knative/types.js'
import { rolloutDurationMs, stepRollout } from '../../../../emulator/knative/gradual-rollout.js'
import type { KObject } from '../../../../emulator/store.js'
import { eventually, kubectl, withEmulator } from '../../../helpers/emulator.js'

const latest = (revisionName: string, percent: number, tag?: string): TrafficTarget => ({
  revisionName,
  percent,
  latestRevision: true,
  ...(tag ? { tag } : {})
})
const split = (t: TrafficTarget[]) => t.map((x) => `${x.revisionName}:${x.percent}`)

describe('stepRollout', () => {
  test('a new latest revision starts at 1% and steps up to the whole share', () => {
    // 100 s: minimum step 1 s, 99 s to go, 99 steps of 1% every second.
    let r = stepRollout([latest('a', 100)], [latest('b', 100)], {}, 100_000, 0)
    expect(split(r.traffic)).toEqual(['a:99', 'b:1'])
    expect(r).toMatchObject({ inProgress: true, wakeAtMs: 1000 })
    r = stepRollout(r.traffic, [latest('b', 100)], r.state, 100_000, 10_000)
    expect(split(r.traffic)).toEqual(['a:89', 'b:11'])
    r = stepRollout(r.traffic, [latest('b', 100)], r.state, 100_000, 99_000)
    expect(split(r.traffic)).toEqual(['b:100'])
    expect(r.inProgress).toBe(false)
  })

  test('a short duration takes bigger steps (10 s: 9 steps of 11%)', () => {
    const r = stepRollout([latest('a', 100)], [latest('b', 100)], {}, 10_000, 0)
    expect(r.state['']).toMatchObject({ stepSize: 11, stepMs: 1000 })
  })

  const none: [string, TrafficTarget[], TrafficTarget[], number][] = [
    ['no duration: at once', [latest('a', 100)], [latest('b', 100)], 0],
    [
      'a pinned target is not stepped',
      [{ revisionName: 'a', percent: 100 }],
      [{ revisionName: 'b', percent: 100 }],
      60_000
    ],
    ['a target at 1% is never stepped', [latest('a', 1)], [latest('b', 1)], 60_000],
    ['a new tag starts at its full share', [], [latest('b', 100, 'new')], 60_000],
    ['the same revision: nothing to roll', [latest('a', 100)], [latest('a', 100)], 60_000]
  ]
  test.each(none)('%s', (_name, served, desired, duration) => {
    const r = stepRollout(served, desired, {}, duration, 0)
    expect(r.traffic).toEqual(desired)
    expect(r.inProgress).toBe(false)
  })

  test.each([
    ['380s', 380_000],
    ['1m', 60_000],
    ['', 0]
  ])('rollout-duration "%s" is %d ms', (value, ms) => {
    const route = {
      metadata: {
        name: 'r',
        annotations: value ? { 'serving.knative.dev/rollout-duration': value } : {}
      }
    } as KObject
    expect(rolloutDurationMs(route)).toBe(ms)
  })
})

describe('through the emulator (e2e TestGradualRollout)', () => {
  const emulator = withEmulator({ statusDelayMs: 5 })
  const manifest = (image: string) => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: gr
  annotations:
    serving.knative.dev/rollout-duration: "3s"
spec:
  template:
    spec:
      containers:
        - image: docker.io/acme/hello:${image}
`
  const svc = () => emulator().store.get('services.serving.knative.dev', 'default', 'gr')
  const routesReady = () => svc()?.status?.conditions?.find((c: any) => c.type === 'RoutesReady')

  test('the Service reports RolloutInProgress with two entries, then one at 100%', async () => {
    expect((await kubectl(emulator(), ['apply', '-f', '-'], manifest('v1'))).code).toBe(0)
    await eventually(() => routesReady()?.status === 'True', 'v1 to be routed')
    expect((await kubectl(emulator(), ['apply', '-f', '-'], manifest('v2'))).code).toBe(0)
    await eventually(() => routesReady()?.reason === 'RolloutInProgress', 'the rollout to start')
    expect(routesReady()).toMatchObject({
      status: 'Unknown',
      message: 'A gradual rollout of the latest revision(s) is in progress.'
    })
    const during: TrafficTarget[] = svc()!.status.traffic
    expect(during.map((t) => [t.revisionName, t.latestRevision])).toEqual([
      ['gr-00001', true],
      ['gr-00002', true]
    ])
    await eventually(() => routesReady()?.status === 'True', 'the rollout to finish', 15_000)
    expect(svc()!.status.traffic).toEqual([
      { revisionName: 'gr-00002', percent: 100, latestRevision: true }
    ])
  }, 30_000)
})
