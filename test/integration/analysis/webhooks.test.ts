import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseWebhooks, WebhookRunner, type HookContext } from '../../../src/analysis/webhooks.js'
import type { Clock } from '../../../src/rollout/ports.js'

// A receiver speaking Flagger's protocol the way its load tester and gate endpoints do:
// POST JSON {name, namespace, phase, checksum, metadata}; `/` runs metadata.cmd (type cmd),
// `/gate/check` answers 200 when the gate is open and 403 when closed.
interface Receiver {
  url: string
  bodies: any[]
  gateOpen: boolean
  failuresBeforeSuccess: number
  close(): Promise<void>
}

async function startFlaggerReceiver(): Promise<Receiver> {
  const state = { bodies: [] as any[], gateOpen: false, failuresBeforeSuccess: 0 }
  const server: Server = createServer(async (req, res) => {
    let text = ''
    for await (const c of req) text += c
    const payload = JSON.parse(text)
    state.bodies.push({ path: req.url, ...payload })
    const bad =
      typeof payload.name !== 'string' ||
      typeof payload.namespace !== 'string' ||
      typeof payload.phase !== 'string'
    if (bad || req.method !== 'POST') return res.writeHead(400).end('invalid payload')
    if (req.url === '/gate/check')
      return res
        .writeHead(state.gateOpen ? 200 : 403)
        .end(state.gateOpen ? 'Approved' : 'Forbidden')
    if (req.url === '/flaky' && state.failuresBeforeSuccess-- > 0)
      return res.writeHead(500).end('try again')
    if (req.url === '/') {
      if (payload.metadata?.type === 'cmd' && !payload.metadata.cmd)
        return res.writeHead(400).end('cmd is required')
      return res.writeHead(200).end('command started')
    }
    res.writeHead(200).end('ok')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r()))
  })
}

/** Virtual time: sleeping advances the clock at once, so gates are tested without waiting. */
function virtualClock(): Clock & { slept: number[] } {
  let now = 0
  const slept: number[] = []
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms)
      now += ms
    }
  }
}

const ctx: HookContext = {
  service: 'shop',
  namespace: 'prod',
  phase: 'Progressing',
  checksum: 'shop-00002'
}
let receiver: Receiver
beforeAll(async () => (receiver = await startFlaggerReceiver()))
afterAll(() => receiver.close())
beforeEach(() => {
  receiver.bodies.length = 0
  receiver.gateOpen = false
  receiver.failuresBeforeSuccess = 0
})

describe('parseWebhooks', () => {
  test("Flagger's own example parses, with its defaults", () => {
    const hooks = parseWebhooks(`
- name: load-test
  url: http://flagger-loadtester.test/
  timeout: 5s
  metadata:
    cmd: "hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/"
- name: gate
  type: confirm-promotion
  url: http://flagger-loadtester.test/gate/check`)
    expect(hooks).toEqual([
      expect.objectContaining({ name: 'load-test', type: 'rollout', timeoutMs: 5000, retries: 0 }),
      expect.objectContaining({ name: 'gate', type: 'confirm-promotion', timeoutMs: 10000 })
    ])
  })

  test.each([
    [
      'an unknown type',
      '- name: a\n  type: pre-deploy\n  url: http://x/',
      'webhooks[0] (a).type: "pre-deploy" is not one of'
    ],
    ['a missing name', '- url: http://x/', 'webhooks[0].name: required'],
    // Not echoed: a malformed URL may still hold a password.
    ['a bad URL', '- name: a\n  url: not a url', 'webhooks[0] (a).url: is not a URL'],
    [
      'credentials in the URL',
      '- name: a\n  url: https://bot:s3cret@hooks.example/',
      'webhooks[0] (a).url: must not carry credentials in the URL'
    ],
    [
      'a timeout of a year (a timer would overflow)',
      '- name: a\n  url: http://x/\n  timeout: 8760h',
      'timeout: must be more than 0s and at most 10m'
    ],
    ['a zero timeout', '- name: a\n  url: http://x/\n  timeout: 0s', 'at most 10m'],
    ['a non-HTTP URL', '- name: a\n  url: ftp://x/', 'must be http or https'],
    [
      'a bad timeout',
      '- name: a\n  url: http://x/\n  timeout: soon',
      'webhooks[0] (a).timeout: "soon"'
    ],
    [
      'negative retries',
      '- name: a\n  url: http://x/\n  retries: -1',
      'retries: "-1" must be a whole number'
    ]
  ])('refuses %s', (_name, yaml, message) => {
    expect(() => parseWebhooks(yaml)).toThrow(message)
    expect(() => parseWebhooks(yaml)).not.toThrow(/s3cret/)
  })
})

describe('WebhookRunner against a Flagger-protocol receiver', () => {
  test("a rollout hook sends Flagger's payload and passes on 2xx", async () => {
    const hooks = parseWebhooks(
      `- name: load\n  type: rollout\n  url: ${receiver.url}/\n  metadata: { type: cmd, cmd: "hey -z 10s http://x/" }`
    )
    const outcomes = await new WebhookRunner(hooks, virtualClock()).check('rollout', ctx)
    expect(outcomes).toEqual([expect.objectContaining({ hook: 'load', ok: true, status: 200 })])
    expect(receiver.bodies[0]).toEqual({
      path: '/',
      name: 'shop',
      namespace: 'prod',
      phase: 'Progressing',
      checksum: 'shop-00002',
      metadata: { type: 'cmd', cmd: 'hey -z 10s http://x/' }
    })
  })

  test("a refused hook is a failed check with the receiver's words", async () => {
    const hooks = parseWebhooks(
      `- name: load\n  type: pre-rollout\n  url: ${receiver.url}/\n  metadata: { type: cmd }`
    )
    const [outcome] = await new WebhookRunner(hooks, virtualClock()).check('pre-rollout', ctx)
    expect(outcome).toEqual(
      expect.objectContaining({ ok: false, status: 400, detail: 'cmd is required' })
    )
  })

  test('retries until the hook answers 2xx', async () => {
    receiver.failuresBeforeSuccess = 2
    const hooks = parseWebhooks(
      `- name: flaky\n  type: rollout\n  url: ${receiver.url}/flaky\n  retries: 3`
    )
    const [outcome] = await new WebhookRunner(hooks, virtualClock()).check('rollout', ctx)
    expect(outcome.ok).toBe(true)
    expect(receiver.bodies).toHaveLength(3)
  })

  test('an unreachable hook fails without throwing', async () => {
    const hooks = parseWebhooks(
      '- name: gone\n  type: rollout\n  url: http://127.0.0.1:1/\n  timeout: 1s'
    )
    const [outcome] = await new WebhookRunner(hooks, virtualClock()).check('rollout', ctx)
    expect(outcome).toEqual(expect.objectContaining({ ok: false, status: 0 }))
  })

  test('a closed gate waits without failing, and opens', async () => {
    const clock = virtualClock()
    const hooks = parseWebhooks(
      `- name: approval\n  type: confirm-promotion\n  url: ${receiver.url}/gate/check`
    )
    const runner = new WebhookRunner(hooks, clock, 5000)
    const waiting = runner.gate('confirm-promotion', ctx, 60_000)
    // Let it ask a few times, then open the gate.
    while (receiver.bodies.length < 3) await new Promise((r) => setTimeout(r, 5))
    receiver.gateOpen = true
    await expect(waiting).resolves.toBeUndefined()
    expect(clock.slept.every((ms) => ms === 5000)).toBe(true)
  })

  test('a gate that stays closed gives up at its bound, naming the gate', async () => {
    const hooks = parseWebhooks(
      `- name: approval\n  type: confirm-rollout\n  url: ${receiver.url}/gate/check`
    )
    await expect(
      new WebhookRunner(hooks, virtualClock(), 5000).gate('confirm-rollout', ctx, 20_000)
    ).rejects.toThrow('confirm-rollout gate "approval" still closed after 20s')
  })

  test('a rollback hook answering 2xx asks for a rollback', async () => {
    const hooks = parseWebhooks(`- name: halt\n  type: rollback\n  url: ${receiver.url}/rollback`)
    expect(await new WebhookRunner(hooks, virtualClock()).rollbackRequested(ctx)).toEqual(
      expect.objectContaining({ hook: 'halt', ok: true })
    )
    expect(await new WebhookRunner([], virtualClock()).rollbackRequested(ctx)).toBeUndefined()
  })

  test("event hooks carry Flagger's event metadata", async () => {
    const hooks = parseWebhooks(`- name: slack\n  type: event\n  url: ${receiver.url}/event`)
    await new WebhookRunner(hooks, virtualClock()).notify(
      'event',
      ctx,
      'Advance shop canary weight 25'
    )
    expect(receiver.bodies[0].metadata).toEqual({
      eventMessage: 'Advance shop canary weight 25',
      eventType: 'Normal',
      timestamp: '0'
    })
  })
})
