// Webhooks through full rollouts against the emulator: a loopback receiver speaking
// Flagger's protocol (JSON {name, namespace, phase, checksum, metadata}; a 2xx means yes)
// gates the rollout, fails it, asks for a rollback, and hears every phase change.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { wallClock } from '../../src/clock.js'
import { createStepChecks } from '../../src/rollout/step-checks.js'
import { readState } from '../../src/rollout/state.js'
import { withEmulator } from '../helpers/emulator.js'
import { rolloutRig, setBehaviour, split, type RolloutRig } from '../helpers/rollout-e2e.js'
import { parseWebhooks } from '../../src/analysis/webhooks.js'

interface Call {
  hook: string
  body: {
    name: string
    namespace: string
    phase: string
    checksum: string
    metadata: Record<string, string>
  }
}

/** Answers POST /<hook> with respond(hook, calls so far); records every call in order. */
class Receiver {
  readonly calls: Call[] = []
  respond: (hook: string, calls: Call[]) => number = () => 200
  private server?: Server
  url = ''

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let text = ''
      req.on('data', (c) => (text += c))
      req.on('end', () => {
        const hook = (req.url ?? '/').slice(1)
        this.calls.push({ hook, body: JSON.parse(text) })
        const status = this.respond(hook, this.calls)
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no')
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()))
  }

  of(hook: string): Call[] {
    return this.calls.filter((c) => c.hook === hook)
  }

  /** The index of the first call matching `pred`, for ordering assertions. */
  first(pred: (c: Call) => boolean): number {
    return this.calls.findIndex(pred)
  }
}

const emulator = withEmulator()
let rig: RolloutRig
const receiver = new Receiver()
beforeAll(async () => {
  rig = await rolloutRig(emulator())
  await receiver.start()
})
afterAll(async () => {
  await receiver.stop()
  await rig.cleanup()
})
beforeEach(() => {
  receiver.calls.length = 0
})

const hooks = (types: string[]) =>
  types
    .map(
      (type) => `
- name: ${type}-hook
  type: ${type}
  url: ${receiver.url}/${type}
  timeout: 5s
  metadata: { type: cmd, cmd: "hey -z 1m -q 10 -c 2 http://shop-canary.default/" }`
    )
    .join('')

/** Runs the rollout of `<svc>-v2` with `types` hooks, gates asked every 200 ms. */
async function rolloutWith(svc: string, types: string[], flags: Record<string, string> = {}) {
  await rig.deployV1(svc)
  const webhooks = hooks(types)
  return rig.rollout(
    {
      manifest: await rig.manifest(svc, 'v2'),
      'revision-name': `${svc}-v2`,
      steps: '20,50,100',
      webhooks,
      ...flags
    },
    { checks: createStepChecks({ webhooks: parseWebhooks(webhooks) }, wallClock, 200) }
  )
}

const events = () => receiver.of('event').map((c) => c.body)
const advance = (percent: number) => (c: Call) =>
  c.hook === 'event' && c.body.metadata.eventMessage.endsWith(`weight ${percent}`)

test('gates closed, then opened: each waits without counting a failure, then the rollout promotes', async () => {
  const asked: Record<string, number> = {}
  // Every gate says no twice before it says yes.
  receiver.respond = (hook) => {
    if (!hook.startsWith('confirm-')) return 200
    asked[hook] = (asked[hook] ?? 0) + 1
    return asked[hook] % 3 === 0 ? 200 : 403
  }
  const out = await rolloutWith('gated', [
    'confirm-rollout',
    'pre-rollout',
    'confirm-traffic-increase',
    'rollout',
    'confirm-promotion',
    'post-rollout',
    'event'
  ])
  expect(`${out.result}: ${out.message}`).toMatch(/^promoted: /)
  expect(readState(await rig.service('gated'))!.failures).toBe(0)

  // confirm-rollout answered yes before the candidate had any traffic, then pre-rollout.
  expect(receiver.of('confirm-rollout').map((c) => c.body.phase)).toEqual([
    'Waiting',
    'Waiting',
    'Waiting'
  ])
  const lastConfirmRollout = receiver.calls.lastIndexOf(receiver.of('confirm-rollout')[2])
  expect(lastConfirmRollout).toBeLessThan(receiver.first((c) => c.hook === 'pre-rollout'))
  expect(lastConfirmRollout).toBeLessThan(receiver.first(advance(20)))
  // Each traffic increase was confirmed first: 3 asks before 20%, 3 before 50%.
  const increases = receiver.calls
    .map((c, i) => (c.hook === 'confirm-traffic-increase' ? i : -1))
    .filter((i) => i >= 0)
  expect(increases).toHaveLength(6)
  expect(increases[2]).toBeLessThan(receiver.first(advance(20)))
  expect(increases[5]).toBeLessThan(receiver.first(advance(50)))
  expect(increases[3]).toBeGreaterThan(receiver.first(advance(20)))
  // Promotion waited for its gate; post-rollout came after it.
  expect(receiver.of('confirm-promotion').map((c) => c.body.phase)).toEqual([
    'WaitingPromotion',
    'WaitingPromotion',
    'WaitingPromotion'
  ])
  expect(receiver.of('post-rollout').map((c) => c.body.phase)).toEqual(['Succeeded'])
  // Rollout hooks: at the start of each analysed interval (the 20% step's, before the
  // increase to 50% is asked), Flagger's payload with the hook's metadata.
  expect(receiver.of('rollout').length).toBeGreaterThanOrEqual(2)
  const firstRolloutHook = receiver.first((c) => c.hook === 'rollout')
  expect(firstRolloutHook).toBeGreaterThan(receiver.first(advance(20)))
  expect(firstRolloutHook).toBeLessThan(increases[3])
  expect(receiver.of('rollout')[0].body).toEqual({
    name: 'gated',
    namespace: 'default',
    phase: 'Progressing',
    checksum: 'gated-v2',
    metadata: { type: 'cmd', cmd: 'hey -z 1m -q 10 -c 2 http://shop-canary.default/' }
  })
  // Events on each phase change, with Flagger's event metadata.
  expect(events().map((e) => e.phase)).toEqual([
    'Initializing',
    'Progressing',
    'Progressing',
    'Promoting',
    'Succeeded'
  ])
  for (const e of events()) {
    expect(e).toMatchObject({ name: 'gated', namespace: 'default', checksum: 'gated-v2' })
    expect(e.metadata).toMatchObject({
      eventMessage: expect.any(String),
      eventType: 'Normal',
      timestamp: expect.stringMatching(/^\d{13}$/)
    })
  }
}, 60_000)

test.each([
  {
    name: 'a rollout hook that refuses rolls the candidate back',
    svc: 'refused',
    types: ['rollout', 'event'],
    respond: (hook: string) => (hook === 'rollout' ? 500 : 200),
    flags: {} as Record<string, string>,
    reason: /^step 20%: rollout hook "rollout-hook" failed \(HTTP 500\): no$/,
    verdicts: ['20:fail']
  },
  {
    name: 'a rollback hook answering 2xx rolls back at once, whatever failure-threshold allows',
    svc: 'panic',
    types: ['rollback', 'event'],
    // The button is pressed once the candidate is at 50%.
    respond: (hook: string, calls: Call[]) =>
      hook === 'rollback' && calls.some(advance(50)) ? 200 : hook === 'rollback' ? 404 : 200,
    flags: { 'failure-threshold': '3' },
    reason: /^step 50%: rollback hook "rollback-hook" asked for a rollback$/,
    verdicts: ['20:pass', '50:fail']
  }
])(
  '$name',
  async ({ svc, types, respond, flags, reason, verdicts }) => {
    receiver.respond = respond
    const out = await rolloutWith(svc, types, flags)
    expect(`${out.result}: ${out.message}`).toMatch(/^rolled-back: /)
    expect(out.reason).toMatch(reason)
    expect(out.steps.map((s) => `${s.percent}:${s.verdict}`)).toEqual(verdicts)
    expect(split(await rig.service(svc))[0]).toBe(`current:${svc}-v1:100`)
    const failed = events().at(-1)!
    expect(failed).toMatchObject({ phase: 'Failed', checksum: `${svc}-v2` })
    expect(failed.metadata).toMatchObject({ eventType: 'Warning' })
    expect(failed.metadata.eventMessage).toMatch(/^rolled-back/)
  },
  60_000
)

test('confirm-promotion says no while the candidate goes bad: judged while held, rolled back, never promoted', async () => {
  const svc = 'held'
  let degraded: Promise<void> | undefined
  receiver.respond = (hook) => {
    if (hook !== 'confirm-promotion') return 200
    // The person deciding takes their time; meanwhile the candidate starts failing.
    degraded ??= setBehaviour(emulator(), `${svc}-v2`, { errorRate: 0.5 })
    return 403
  }
  const out = await rolloutWith(svc, ['confirm-promotion', 'event'])
  await degraded
  expect(`${out.result}: ${out.message}`).toMatch(/^rolled-back: /)
  expect(out.reason).toMatch(/^holding at 50% for confirm-promotion: The /)
  expect(out.steps.map((s) => `${s.percent}:${s.verdict}`)).toEqual([
    '20:pass',
    '50:pass',
    '50:fail'
  ])
  expect(receiver.of('confirm-promotion').length).toBeGreaterThanOrEqual(1)
  expect(receiver.of('confirm-promotion').every((c) => c.body.phase === 'WaitingPromotion')).toBe(
    true
  )
  expect(events().map((e) => e.phase)).not.toContain('Promoting')
  expect(events().at(-1)).toMatchObject({ phase: 'Failed', checksum: `${svc}-v2` })
  expect(split(await rig.service(svc))[0]).toBe(`current:${svc}-v1:100`)
}, 60_000)
