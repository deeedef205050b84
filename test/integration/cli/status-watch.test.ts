// `status --watch` and the -o formats against the emulator, through run() with the real
// client: the status is printed again when the Service changes (here: a rollout pausing at
// 50%), never twice the same, and the watch ends on the signal (Ctrl-C). And the `image`
// output is the repository by digest once Knative resolved the tag.

import { parse } from 'yaml'
import { parseInputs } from '../../../src/inputs.js'
import { run } from '../../../src/run.js'
import { wallClock } from '../../../src/clock.js'
import { createServingClient } from '../../../src/knative/client.js'
import { watchStatus } from '../../../src/cli/watch-status.js'
import { formatResult } from '../../../src/cli/output.js'
import { toOutputs } from '../../../src/report/outputs.js'
import type { RunOutcome } from '../../../src/rollout/result.js'
import { eventually, withEmulator } from '../../helpers/emulator.js'
import { memoryLogger } from '../../helpers/memory-logger.js'
import { rolloutRig, type RolloutRig } from '../../helpers/rollout-e2e.js'

const emulator = withEmulator()
let rig: RolloutRig
beforeAll(async () => {
  rig = await rolloutRig(emulator())
})
afterAll(() => rig.cleanup())

const status = (service: string, kubeconfig = rig.kubeconfig) => {
  const inputs = parseInputs((name) => ({ command: 'status', service, kubeconfig })[name])
  return {
    inputs,
    run: (client?: Parameters<typeof run>[1]['client']) =>
      run(inputs, { clock: wallClock, log: memoryLogger(), env: {}, client })
  }
}

test('the image output of a deploy by tag is the repository by the digest Knative resolved', async () => {
  const out = await rig.rollout({
    manifest: await rig.manifest('digested', 'v1'),
    'revision-name': 'digested-v1'
  })
  expect(out.result).toBe('promoted')
  expect(out.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
  expect(toOutputs(out).image).toBe(`docker.io/acme/digested@${out.digest}`)
})

test('status --watch prints the status, again when a rollout pauses, and ends on Ctrl-C', async () => {
  await rig.deployV1('watched')
  const writes: string[] = []
  const ctrlC = new AbortController()
  const { inputs, run: once } = status('watched')
  const watching = watchStatus({
    client: async () =>
      createServingClient({ kubeconfig: inputs.kubeconfig, clock: wallClock, log: memoryLogger() }),
    status: once,
    render: (o: RunOutcome) => formatResult(o, 'text'),
    write: (text) => writes.push(text),
    signal: ctrlC.signal
  })
  try {
    await eventually(() => writes.length === 1, 'the first status')
    expect(writes[0]).toMatch(/^result: +promoted\nservice: +default\/watched\n/)
    expect(writes[0]).toMatch(/\ntraffic: +watched-v1 100% \(current\)/)

    const paused = await rig.rollout({
      manifest: await rig.manifest('watched', 'v2'),
      'revision-name': 'watched-v2',
      steps: '50,100',
      'pause-at': '50'
    })
    expect(paused.result).toBe('paused')
    const last = await eventually(
      () => writes.find((w) => /^result: +paused\n/.test(w)),
      'the paused status'
    )
    expect(last).toContain('watched-v1 50% (current), watched-v2 50% (candidate)')
    // Printed on change only: no two prints in a row are the same.
    expect(writes.filter((w, i) => i > 0 && w === writes[i - 1])).toEqual([])
  } finally {
    ctrlC.abort(new Error('SIGINT received'))
  }
  const outcome = await watching
  expect(outcome.result).toBe('paused')
})

test('a status that fails ends the watch at once, with its reason', async () => {
  const { run: once } = status('watched', 'not: [a kubeconfig')
  const writes: string[] = []
  const outcome = await watchStatus({
    client: async () => {
      throw new Error('bad kubeconfig')
    },
    status: once,
    render: (o) => formatResult(o, 'text'),
    write: (text) => writes.push(text),
    signal: new AbortController().signal
  })
  expect(outcome.result).toBe('failed')
  expect(writes).toEqual([])
})

test('-o yaml and -o json carry the same outputs', async () => {
  const outcome = await status('watched').run()
  const outputs = toOutputs(outcome)
  expect(parse(formatResult(outcome, 'yaml'))).toEqual(outputs)
  expect(JSON.parse(formatResult(outcome, 'json'))).toEqual(outputs)
})
