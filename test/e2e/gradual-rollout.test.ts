// rollout-duration: Knative ramps only traffic that follows the latest revision. A rollout
// that starts while Knative's own ramp is moving waits for it to end and steps from the
// revision it left; its own steps pin both revisions, so Knative never ramps them (each
// split shows at once). Through run() with the real client, on the emulator.

import { kubectl, withoutWarnings, withEmulator, eventually } from '../helpers/emulator.js'
import { rolloutRig, split, type RolloutRig } from '../helpers/rollout-e2e.js'

const emulator = withEmulator({ statusDelayMs: 5 })
let rig: RolloutRig
beforeAll(async () => {
  rig = await rolloutRig(emulator())
})
afterAll(() => rig.cleanup())

const routesReady = async (name: string) =>
  (await rig.service(name)).status?.conditions?.find((c) => c.type === 'RoutesReady')

test('a rollout that starts during a Knative ramp waits for it, then steps from the revision it left', async () => {
  await rig.deployV1('ramp')
  // A person ships ramp-v1b the Knative way: traffic follows the latest revision, over 4s.
  const patched = await kubectl(emulator(), [
    'patch',
    'ksvc',
    'ramp',
    '--type',
    'merge',
    '-p',
    JSON.stringify({
      metadata: { annotations: { 'serving.knative.dev/rollout-duration': '4s' } },
      spec: {
        template: {
          metadata: { name: 'ramp-v1b' },
          // As fast as the rig's revisions (rollout-e2e.ts manifest), so the judge compares like with like.
          spec: {
            containers: [
              {
                image: 'docker.io/acme/ramp:v1b',
                env: [{ name: 'EMULATOR_LATENCY_MS', value: '20' }]
              }
            ]
          }
        },
        traffic: [{ latestRevision: true, percent: 100 }]
      }
    })
  ])
  expect(withoutWarnings(patched.stderr)).toBe('')
  await eventually(
    async () => (await routesReady('ramp'))?.reason === 'RolloutInProgress',
    "Knative's ramp to start"
  )

  const out = await rig.rollout({
    manifest: await rig.manifest('ramp', 'v2'),
    'revision-name': 'ramp-v2',
    steps: '50,100',
    'pause-at': '50'
  })
  expect(out.lines.join('\n')).toMatch(
    /waiting for it to finish before deciding which revision is current/
  )
  expect(out.lines.join('\n')).toMatch(/has rollout-duration 4s: Knative ramps only traffic/)
  expect(out.result).toBe('paused')
  expect(out.currentRevision).toBe('ramp-v1b')
  // The pinned split shows at once and stays: Knative's ramp does not move it.
  const svc = await rig.service('ramp')
  expect(split(svc)).toEqual(
    expect.arrayContaining(['current:ramp-v1b:50', 'candidate:ramp-v2:50'])
  )
  expect((await routesReady('ramp'))?.status).toBe('True')
})
