// Whole rollouts against each Knative release the emulator plays (--knative-version), with
// scale to zero on: per release, a healthy candidate is promoted and a failing one is rolled
// back. Through run() with the real client and prober; probes judge (the Prometheus side of
// each metric generation is knative-version-prometheus.test.ts).

import { KNATIVE_MINORS } from '../../emulator/knative-version.js'
import { withEmulator } from '../helpers/emulator.js'
import { rolloutRig, split, type RolloutRig } from '../helpers/rollout-e2e.js'

describe.each(KNATIVE_MINORS.map((minor) => `1.${minor}`))('Knative %s', (version) => {
  const emulator = withEmulator({ knativeVersion: version }) // scale to zero on: the default
  let rig: RolloutRig
  beforeAll(async () => {
    rig = await rolloutRig(emulator())
  })
  afterAll(() => rig.cleanup())

  test('a healthy candidate is promoted, then a failing one is rolled back', async () => {
    await rig.deployV1('versioned')
    const healthy = await rig.rollout({
      manifest: await rig.manifest('versioned', 'v2'),
      'revision-name': 'versioned-v2',
      steps: '50,100'
    })
    expect(healthy.result).toBe('promoted')
    expect(split(await rig.service('versioned'))).toContain('current:versioned-v2:100')

    const bad = await rig.rollout({
      manifest: await rig.manifest('versioned', 'v3', { EMULATOR_ERROR_RATE: '0.5' }),
      'revision-name': 'versioned-v3',
      steps: '50,100'
    })
    expect(bad.result).toBe('rolled-back')
    expect(bad.message).toMatch(/success rate|error/i)
    expect(split(await rig.service('versioned'))).toEqual(
      expect.arrayContaining(['current:versioned-v2:100', 'candidate:versioned-v3:0'])
    )
  })
})
