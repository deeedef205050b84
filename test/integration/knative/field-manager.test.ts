// Every write of the action names its own field manager, so a GitOps controller (and a
// person reading managedFields) can tell the rollout's changes apart: after a rollout step
// the emulator's managedFields show `knative-rollout` owning spec.traffic, and no `kubectl*`
// manager, whose fields Flux would adopt and revert.

import { FIELD_MANAGER } from '../../../src/knative/client.js'
import { withEmulator } from '../../helpers/emulator.js'
import { rolloutRig, split, type RolloutRig } from '../../helpers/rollout-e2e.js'

const emulator = withEmulator()
let rig: RolloutRig
beforeAll(async () => {
  rig = await rolloutRig(emulator())
})
afterAll(() => rig.cleanup())

const SVC = 'owned'

interface Entry {
  manager: string
  operation: string
  fieldsV1: { 'f:spec'?: Record<string, unknown> }
}

test('after a paused step, spec.traffic belongs to knative-rollout (Update) and to no one else', async () => {
  await rig.deployV1(SVC)
  const out = await rig.rollout({
    manifest: await rig.manifest(SVC, 'v2'),
    'revision-name': `${SVC}-v2`,
    steps: '20,100',
    'pause-at': '20'
  })
  expect(out.result).toBe('paused')
  const svc = await rig.service(SVC)
  expect(split(svc)).toEqual(
    expect.arrayContaining([`current:${SVC}-v1:80`, `candidate:${SVC}-v2:20`])
  )

  const entries = svc.metadata.managedFields as Entry[]
  expect(FIELD_MANAGER).toBe('knative-rollout')
  expect(entries.map((e) => `${e.manager}/${e.operation}`)).toEqual(['knative-rollout/Update'])
  const spec = entries[0].fieldsV1['f:spec']!
  expect(Object.keys(spec)).toEqual(expect.arrayContaining(['f:template', 'f:traffic']))
  // Each write (the create, every step) was recorded under the query parameter.
  const writes = (
    (await (await fetch(`${emulator().apiUrl}/emulator/requests`)).json()) as {
      method: string
      path: string
      query: Record<string, string>
    }[]
  ).filter(
    (r) =>
      (r.method !== 'GET' && r.path.includes(`/services/${SVC}`)) ||
      (r.method === 'POST' && r.path.endsWith('/services'))
  )
  expect(writes.length).toBeGreaterThan(1)
  expect(new Set(writes.map((r) => r.query.fieldManager))).toEqual(new Set([FIELD_MANAGER]))
})
