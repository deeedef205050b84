// Whole rollouts against each Knative release the emulator plays (--knative-version), with
// scale to zero on and a real Prometheus scraping each pod's queue-proxy as a cluster does
// (HTTP service discovery: one target per pod, the labels where that release puts them, so
// from 1.19 the revision is on `target_info` only): per release, a healthy candidate is
// promoted, its built-in metric check passing, and a failing one is rolled back, each
// judged on users' traffic as that release's one metric generation counts it (no probes:
// probe-rps 0). Through run() with the real client.

import { KNATIVE_MINORS } from '../../emulator/knative-version.js'
import { withEmulator } from '../helpers/emulator.js'
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js'
import { rolloutRig, split, userTraffic, type RolloutRig } from '../helpers/rollout-e2e.js'

// docs/knative-semantics.md, "Metrics, release by release": x.y is x.y.0.
const GENERATION: Record<string, string> = {
  '1.18': 'revision_app_request_count',
  '1.19': 'kn_queueproxy_app_duration_seconds',
  '1.20': 'kn_queueproxy_app_duration_seconds',
  '1.21': 'kn_serving_invocation_duration_seconds'
}

const SUCCESS_RATE = `
- name: request-success-rate
  interval: 10s
  thresholdRange: { min: 99 }
`

test('every release the emulator plays has its generation here', () => {
  expect(Object.keys(GENERATION)).toEqual(KNATIVE_MINORS.map((minor) => `1.${minor}`))
})

describe.each(Object.entries(GENERATION))('Knative %s (%s)', (version, source) => {
  const emulator = withEmulator({ knativeVersion: version }) // scale to zero on: the default
  let rig: RolloutRig
  let prometheus: RunningPrometheus
  beforeAll(async () => {
    rig = await rolloutRig(emulator())
    prometheus = await startPrometheus([], {
      discover: `${emulator().apiUrl}/emulator/prometheus-targets`
    })
  }, 60_000)
  afterAll(async () => {
    await prometheus?.stop()
    await rig.cleanup()
  })

  /** One rollout judged on users' traffic alone, read from Prometheus. */
  async function judgedOnUsers(
    revision: string,
    env: Record<string, string> = {},
    flags: Record<string, string> = {}
  ) {
    const stop = await userTraffic(rig, emulator(), 'versioned')
    try {
      return await rig.rollout({
        manifest: await rig.manifest('versioned', revision, env),
        'revision-name': `versioned-${revision}`,
        steps: '50,100',
        'step-interval': '4s',
        'probe-rps': '0',
        'prometheus-url': prometheus.url,
        ...flags
      })
    } finally {
      await stop()
    }
  }

  test(`a healthy candidate is promoted, then a failing one rolled back, on ${source}`, async () => {
    await rig.deployV1('versioned')
    const healthy = await judgedOnUsers('v2', {}, { metrics: SUCCESS_RATE })
    expect(`${healthy.result}: ${healthy.message}`).toMatch(/^promoted: /)
    expect(split(await rig.service('versioned'))).toContain('current:versioned-v2:100')
    const judged = healthy.steps.find((s) => s.percent === 50)!
    expect(judged.source).toBe(source)
    expect(judged.candidate!.requests).toBeGreaterThan(0)
    expect(judged.current!.requests).toBeGreaterThan(0)
    // The built-in check's query found this release's series too: a value, not "no data".
    expect(judged.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'request-success-rate',
          verdict: 'pass',
          value: expect.any(Number)
        })
      ])
    )

    const bad = await judgedOnUsers('v3', { EMULATOR_ERROR_RATE: '0.5' })
    expect(`${bad.result}: ${bad.message}`).toMatch(/^rolled-back: /)
    expect(bad.reason).toMatch(/^step 50%: The (candidate fails more often|success rate is below)/)
    expect(bad.steps[0]).toMatchObject({ percent: 50, verdict: 'fail', source })
    expect(split(await rig.service('versioned'))).toEqual(
      expect.arrayContaining(['current:versioned-v2:100', 'candidate:versioned-v3:0'])
    )
  }, 120_000)
})
