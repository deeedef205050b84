// The post step's safety net, against the in-memory Knative.

import { memoryLogger } from '../../helpers/memory-logger.js'
import { safetyNet } from '../../../src/rollout/safety-net.js'
import { readLease, readState, STATE_PREFIX } from '../../../src/rollout/state.js'
import { inputs, manifest, NS, RUN, split, SVC, World } from '../../helpers/engine-harness.js'

async function pausedAt(w: World, percent: number): Promise<void> {
  await w.deployed()
  await w.run({
    inputs: inputs({ revisionName: 'shop-v2', pauseAt: percent }),
    manifest: manifest('registry.local/shop:v2')
  })
}

test.each([
  {
    name: 'main died at 25% holding the lease: candidate back to 0%, aborted, lease released',
    percent: 25,
    holder: RUN.id,
    action: 'rolled-back',
    phase: 'aborted',
    traffic: ['current:shop-v1:100', 'candidate:shop-v2:0', 'latest:shop-v2:0']
  },
  {
    name: 'the lease belongs to another run: nothing is touched',
    percent: 25,
    holder: 'acme/shop/runs/9',
    action: 'nothing',
    phase: 'progressing',
    traffic: ['current:shop-v1:75', 'candidate:shop-v2:25', 'latest:shop-v2:0']
  }
])('$name', async ({ percent, holder, action, phase, traffic }) => {
  const w = new World()
  await pausedAt(w, percent)
  // What a killed main step leaves: progressing, its lease still on the Service.
  w.knative.annotate(NS, SVC, {
    [STATE_PREFIX + 'phase']: 'progressing',
    [STATE_PREFIX + 'lease']: JSON.stringify({
      holder,
      renewedAt: w.clock.now(),
      durationSeconds: 120
    })
  })
  const got = await safetyNet(w.knative, w.clock, memoryLogger(), {
    namespace: NS,
    service: SVC,
    holder: RUN.id
  })
  expect(got).toBe(action)
  const svc = await w.service()
  expect(readState(svc)?.phase).toBe(phase)
  expect(split(svc)).toEqual(traffic)
  expect(readLease(svc)?.holder).toBe(action === 'nothing' ? holder : undefined)
})

test('main died before any traffic moved: the lease is released and a re-run can resume', async () => {
  const w = new World()
  await w.deployed()
  w.knative.annotate(NS, SVC, {
    [STATE_PREFIX + 'phase']: 'progressing',
    [STATE_PREFIX + 'current']: 'shop-v1',
    [STATE_PREFIX + 'candidate']: 'shop-v2',
    [STATE_PREFIX + 'percent']: '0',
    [STATE_PREFIX + 'lease']: JSON.stringify({
      holder: RUN.id,
      renewedAt: w.clock.now(),
      durationSeconds: 120
    })
  })
  expect(
    await safetyNet(w.knative, w.clock, memoryLogger(), {
      namespace: NS,
      service: SVC,
      holder: RUN.id
    })
  ).toBe('released')
  const svc = await w.service()
  expect(readLease(svc)).toBeUndefined()
  expect(readState(svc)?.phase).toBe('progressing')
})
