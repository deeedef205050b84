// A run that dies or is cancelled mid-step, as happens on a runner: SIGKILL (the runner or
// the machine gone) leaves the candidate with traffic until a re-run resumes it or the post
// step takes it back; SIGTERM (a cancelled workflow) gives the traffic back itself.

import { runAction, startAction, type ActionResult } from '../helpers/action-runner.js'
import { eventually } from '../helpers/emulator.js'
import { readState } from '../../src/rollout/state.js'
import { e2eKit, expectEnded, serviceYaml, split } from '../helpers/e2e-kit.js'

const kit = e2eKit()

async function firstDeploy(name: string): Promise<void> {
  const out = await runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest(`${name}-v1`, serviceYaml(name, `docker.io/acme/${name}:v1`)),
      'revision-name': `${name}-v1`
    })
  })
  expectEnded(out, 0, 'promoted')
}

/**
 * Starts the v2 rollout with a long step (so it is surely mid-step when signalled), waits
 * for the 20% step's analysis to begin, sends `signal`, and returns what the run left.
 */
async function interruptAt20(
  name: string,
  signal: NodeJS.Signals,
  runId: string
): Promise<{ out: ActionResult; inputs: Record<string, string>; env: Record<string, string> }> {
  await firstDeploy(name)
  const inputs = kit.inputs({
    manifest: await kit.manifest(`${name}-v2`, serviceYaml(name, `docker.io/acme/${name}:v2`)),
    'revision-name': `${name}-v2`,
    'step-interval': '30s'
  })
  const env = { GITHUB_RUN_ID: runId }
  const run = startAction({ inputs, env })
  await eventually(() => /^step 20%: /m.test(run.stdout()), 'the 20% step to begin', 30_000)
  run.child.kill(signal)
  return { out: await run.done, inputs, env }
}

test('SIGKILL mid-step, then a re-run of the same run resumes and promotes', async () => {
  const { out, inputs, env } = await interruptAt20('crash', 'SIGKILL', '3001')
  expect(out.signal).toBe('SIGKILL')
  expect(out.outputs).toEqual({})
  const left = await kit.service('crash')
  expect(split(left)).toEqual(['current:crash-v1:80', 'candidate:crash-v2:20', 'latest:crash-v2:0'])
  expect(readState(left)).toMatchObject({ phase: 'progressing', percent: 20 })

  // GitHub's "Re-run jobs": the same run id, the next attempt; it holds the same lease.
  const again = await runAction({
    inputs: { ...inputs, 'step-interval': '2s' },
    env: { ...env, GITHUB_RUN_ATTEMPT: '2' }
  })
  expectEnded(again, 0, 'promoted')
  expect(again.stdout).toMatch(/resuming the rollout of crash-v2/)
  expect(split(await kit.service('crash'))).toEqual(['current:crash-v2:100', 'latest:crash-v2:0'])
})

test('SIGKILL mid-step, then the killed run’s post step puts the candidate back to 0%', async () => {
  const { out, inputs, env } = await interruptAt20('orphan', 'SIGKILL', '3002')
  expect(out.signal).toBe('SIGKILL')
  // What the runner hands the post step: the main step's saved state, as STATE_*.
  // One Service: one slot (a pipeline has one per unit running: interrupt-pipeline.test.ts).
  expect(out.state.holder).toBe('acme/shop/runs/3002')
  expect(out.state.slots).toBe('1')
  expect(JSON.parse(out.state['unit-0'])).toEqual({ namespace: 'default', service: 'orphan' })
  expect(out.state.finished).toBeUndefined()

  const post = await runAction({ inputs, env, entry: 'post', state: out.state })
  expect(post.code).toBe(0)
  expect(post.annotations).toEqual([
    { level: 'warning', message: expect.stringMatching(/the candidate is back at 0%/) }
  ])
  // The post step writes the split and goes (the job is ending); the Route follows.
  const back = ['current:orphan-v1:100', 'candidate:orphan-v2:0', 'latest:orphan-v2:0']
  const live = await eventually(async () => {
    const svc = await kit.service('orphan')
    return split(svc).join() === back.join() && svc
  }, 'status.traffic to show the candidate at 0%')
  expect(readState(live)).toMatchObject({ phase: 'aborted', percent: 0 })
})

test('the post step of a run that finished does nothing', async () => {
  await firstDeploy('calm')
  const inputs = kit.inputs({
    manifest: await kit.manifest('calm-v2', serviceYaml('calm', 'docker.io/acme/calm:v2')),
    'revision-name': 'calm-v2',
    'pause-at': '20'
  })
  const main = await runAction({ inputs, env: { GITHUB_RUN_ID: '3004' } })
  expectEnded(main, 0, 'paused')
  expect(main.state.finished).toBe('true')
  const post = await runAction({ inputs, entry: 'post', state: main.state })
  expect({ code: post.code, stdout: post.stdout }).toEqual({ code: 0, stdout: '' })
  expect(split(await kit.service('calm'))).toEqual([
    'current:calm-v1:80',
    'candidate:calm-v2:20',
    'latest:calm-v2:0'
  ])
})

test('SIGTERM mid-step (a cancelled workflow): aborted, traffic back on the current, before the runner’s SIGKILL', async () => {
  await firstDeploy('cancel')
  const run = startAction({
    inputs: kit.inputs({
      manifest: await kit.manifest('cancel-v2', serviceYaml('cancel', 'docker.io/acme/c:v2')),
      'revision-name': 'cancel-v2',
      'step-interval': '30s'
    }),
    env: { GITHUB_RUN_ID: '3003' }
  })
  await eventually(() => /^step 20%: /m.test(run.stdout()), 'the 20% step to begin', 30_000)
  run.child.kill('SIGTERM')
  // The runner sends SIGKILL a few seconds after SIGTERM: the run must be done by then.
  const killer = setTimeout(() => run.child.kill('SIGKILL'), 5_000)
  const out = await run.done.finally(() => clearTimeout(killer))
  // 143 as a shell reports SIGTERM: the step is not a success (src/cancel-on-signals.ts).
  expect({ signal: out.signal, code: out.code, result: out.outputs.result }).toEqual({
    signal: null,
    code: 143,
    result: 'aborted'
  })
  expect(JSON.parse(out.outputs.traffic)).toEqual([
    { revisionName: 'cancel-v1', percent: 100, tag: 'current' },
    { revisionName: 'cancel-v2', percent: 0, tag: 'candidate' },
    { revisionName: 'cancel-v2', percent: 0, tag: 'latest' }
  ])
  expect(readState(await kit.service('cancel'))).toMatchObject({ phase: 'aborted', percent: 0 })
})
