// A candidate at 0% that scaled to zero (Knative: Active=False, NoTraffic) pays a cold start
// on its next request. Here a confirm-rollout gate holds the ready candidate at 0% until it
// has scaled to zero; the first step then wakes it on its tag URL and does not judge that
// request: the candidate is promoted under a p99 bound below the cold start, and the step's
// probe figures hold no cold request. Through run() with the real client, prober and hooks.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { withEmulator } from '../helpers/emulator.js'
import { rolloutRig, type RolloutRig } from '../helpers/rollout-e2e.js'

const COLD_START_MS = 1500
const emulator = withEmulator({
  autoscaling: {
    // Idle for 2 s before it scales to zero: short for the test, long enough that a loaded
    // machine's gap between the warm-up and the step's first probes does not put it back.
    stableWindowMs: 1500,
    gracePeriodMs: 500,
    coldStartMs: COLD_START_MS
  }
})
let rig: RolloutRig
let gate: Server
/** What the confirm-rollout gate answered, in order: open only once cold-v2 is at zero. */
const answers: number[] = []
beforeAll(async () => {
  rig = await rolloutRig(emulator())
  gate = createServer((req, res) => {
    req.resume()
    const status = activeOf('cold-v2')?.reason === 'NoTraffic' ? 200 : 403
    answers.push(status)
    res.writeHead(status).end()
  })
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve))
})
afterAll(async () => {
  await new Promise((resolve) => gate.close(resolve))
  await rig.cleanup()
})

const activeOf = (name: string) =>
  emulator()
    .store.get('revisions.serving.knative.dev', 'default', name)
    ?.status?.conditions?.find((c: { type: string }) => c.type === 'Active')

test('a candidate that scaled to zero at 0% is woken before the step, and its cold start is not judged', async () => {
  await rig.deployV1('cold')
  const { port } = gate.address() as AddressInfo
  const out = await rig.rollout({
    manifest: await rig.manifest('cold', 'v2'),
    'revision-name': 'cold-v2',
    steps: '50,100',
    'max-latency-p99': '1s',
    webhooks: `- {name: idle, type: confirm-rollout, url: "http://127.0.0.1:${port}/"}`
  })
  // Held at 0% while it was warm, let go once it had scaled to zero.
  expect(answers[0]).toBe(403)
  expect(answers.at(-1)).toBe(200)
  expect(out.lines.join('\n')).toMatch(/cold-v2 had scaled to zero: woken in \d+ ms/)
  expect(`${out.result}: ${out.message}`).toMatch(/^promoted: /)
  const step = out.steps.find((s) => s.percent === 50)!
  expect(step.verdict).toBe('pass')
  expect(step.candidate!.p99).toBeLessThan(COLD_START_MS)
})
