// The engine's decisions, driven in virtual time against an in-memory Knative: each row
// sets the world up, runs one or more commands, and checks the result, the traffic left on
// the Service and the state annotation.

import { readLease, readState, STATE_PREFIX } from '../../../src/rollout/state.js'
import { exitCodeFor } from '../../../src/rollout/result.js'
import { inputs, manifest, NS, RUN, split, SVC, World } from '../../helpers/engine-harness.js'
import { NO_CHECKS } from '../../../src/rollout/step-checks.js'

const V2 = 'registry.local/shop:v2'
const HOUR = 3_600_000

interface Row {
  name: string
  /** Runs the scenario; returns the last command's outcome. */
  act: (w: World) => Promise<Awaited<ReturnType<World['run']>>>
  result: string
  exit: number
  /** status.traffic at the end */
  traffic: string[]
  phase?: string
  message?: RegExp
}

const rows: Row[] = [
  {
    name: 'healthy candidate is promoted after 10, 25, 50',
    act: async (w) => {
      await w.deployed()
      return w.run({ inputs: inputs({ revisionName: 'shop-v2' }), manifest: manifest(V2) })
    },
    result: 'promoted',
    exit: 0,
    traffic: ['current:shop-v2:100', 'latest:shop-v2:0'],
    phase: 'promoted',
    message: /promoted shop-v2.*was shop-v1/
  },
  {
    name: 'bad candidate (50% errors) is rolled back mid-way through the first step',
    act: async (w) => {
      await w.deployed()
      return w.run({
        inputs: inputs({ revisionName: 'shop-v2' }),
        manifest: manifest(V2, { EMULATOR_ERROR_RATE: '0.5' })
      })
    },
    result: 'rolled-back',
    exit: 1,
    traffic: ['current:shop-v1:100', 'candidate:shop-v2:0', 'latest:shop-v2:0'],
    phase: 'rolled-back',
    message: /step 10%: The candidate fails more often: 30 errors in 60 requests/
  },
  {
    name: 'too little traffic is extended three intervals, then fails with not enough evidence',
    act: async (w) => {
      await w.deployed()
      const thresholds = {
        minSuccessRate: 0.99,
        maxLatencyP99Ms: 500,
        minRequests: 1000,
        failureThreshold: 1
      }
      return w.run({
        inputs: inputs({ revisionName: 'shop-v2', thresholds }),
        manifest: manifest(V2)
      })
    },
    result: 'rolled-back',
    exit: 1,
    traffic: ['current:shop-v1:100', 'candidate:shop-v2:0', 'latest:shop-v2:0'],
    phase: 'rolled-back',
    message: /step 10%: not enough evidence: 900 of 1000 required requests after 90s/i
  },
  {
    name: 'pause-at leaves the split in place and releases the lease',
    act: async (w) => {
      await w.deployed()
      return w.run({
        inputs: inputs({ revisionName: 'shop-v2', pauseAt: 25 }),
        manifest: manifest(V2)
      })
    },
    result: 'paused',
    exit: 0,
    traffic: ['current:shop-v1:75', 'candidate:shop-v2:25', 'latest:shop-v2:0'],
    phase: 'paused'
  },
  {
    name: 'promote continues a paused rollout through the remaining steps',
    act: async (w) => {
      await w.deployed()
      await w.run({
        inputs: inputs({ revisionName: 'shop-v2', pauseAt: 25 }),
        manifest: manifest(V2)
      })
      return w.run({ inputs: inputs({ command: 'promote' }) })
    },
    result: 'promoted',
    exit: 0,
    traffic: ['current:shop-v2:100', 'latest:shop-v2:0'],
    phase: 'promoted'
  },
  {
    name: 'abort puts a paused candidate back to 0%, still tagged',
    act: async (w) => {
      await w.deployed()
      await w.run({
        inputs: inputs({ revisionName: 'shop-v2', pauseAt: 10 }),
        manifest: manifest(V2)
      })
      return w.run({ inputs: inputs({ command: 'abort' }) })
    },
    result: 'aborted',
    exit: 0,
    traffic: ['current:shop-v1:100', 'candidate:shop-v2:0', 'latest:shop-v2:0'],
    phase: 'aborted'
  },
  {
    name: 'first deploy creates the service with no canary',
    act: (w) =>
      w.run({
        inputs: inputs({ revisionName: 'shop-v1' }),
        manifest: manifest('registry.local/shop:v1')
      }),
    result: 'promoted',
    exit: 0,
    traffic: ['current:shop-v1:100', 'latest:shop-v1:0'],
    phase: 'promoted',
    message: /first deploy.*no canary/
  },
  {
    name: 'a candidate that exits is rolled back with Knative’s reason',
    act: async (w) => {
      await w.deployed()
      return w.run({
        inputs: inputs({ revisionName: 'shop-v2' }),
        manifest: manifest(V2, { EMULATOR_EXIT_CODE: '1' })
      })
    },
    result: 'rolled-back',
    exit: 1,
    traffic: ['current:shop-v1:100', 'latest:shop-v1:0'],
    phase: 'rolled-back',
    message: /did not become ready: ExitCode1: Container failed with/
  },
  {
    name: 'an unpullable image fails fast with ContainerMissing',
    act: async (w) => {
      await w.deployed()
      return w.run({
        inputs: inputs({ revisionName: 'shop-v2' }),
        manifest: manifest('registry.local/unpullable:v2')
      })
    },
    result: 'rolled-back',
    exit: 1,
    traffic: ['current:shop-v1:100', 'latest:shop-v1:0'],
    message: /ContainerMissing: Unable to fetch image/
  },
  {
    name: 'a candidate never ready within the timeout fails and leaves the current serving',
    act: async (w) => {
      await w.deployed()
      return w.run({
        inputs: inputs({ revisionName: 'shop-v2', timeoutMs: 600_000 }),
        manifest: manifest(V2, { EMULATOR_READY_DELAY_MS: String(HOUR) })
      })
    },
    result: 'failed',
    exit: 1,
    traffic: ['current:shop-v1:100', 'latest:shop-v1:0'],
    message: /timed out/
  },
  {
    name: 'a crashed run (progressing, lease still ours) is resumed by re-running the command',
    act: async (w) => {
      await w.deployed()
      const request = { inputs: inputs({ revisionName: 'shop-v2' }), manifest: manifest(V2) }
      await w.run({ ...request, inputs: inputs({ revisionName: 'shop-v2', pauseAt: 25 }) })
      // What a process killed mid-step at 25% leaves behind.
      w.knative.annotate(NS, SVC, {
        [STATE_PREFIX + 'phase']: 'progressing',
        [STATE_PREFIX + 'lease']: JSON.stringify({
          holder: RUN.id,
          url: RUN.url,
          renewedAt: w.clock.now(),
          durationSeconds: 120
        })
      })
      const out = await w.run(request)
      if (!readState(await w.service())!.history.some((h) => h.event === 'resumed at 25%'))
        throw new Error('not resumed')
      return out
    },
    result: 'promoted',
    exit: 0,
    traffic: ['current:shop-v2:100', 'latest:shop-v2:0'],
    phase: 'promoted'
  },
  {
    name: 'a live lease held by another run refuses the rollout, naming the holder',
    act: async (w) => {
      await w.deployed()
      w.knative.annotate(NS, SVC, {
        [STATE_PREFIX + 'lease']: JSON.stringify({
          holder: 'acme/shop/runs/9',
          url: 'https://github.com/acme/shop/actions/runs/9',
          renewedAt: w.clock.now(),
          durationSeconds: 120
        })
      })
      const writes = w.knative.writes.length
      const out = await w
        .run({ inputs: inputs({ revisionName: 'shop-v2' }), manifest: manifest(V2) })
        .catch((err: Error) => ({ error: err.message }))
      if (w.knative.writes.length !== writes) throw new Error('wrote while refused')
      if (!('error' in out)) throw new Error(`not refused: ${out.result}`)
      return { command: 'rollout', result: 'failed', message: out.error } as never
    },
    result: 'failed',
    exit: 1,
    traffic: ['current:shop-v1:100', 'latest:shop-v1:0'],
    message: /held by https:\/\/github\.com\/acme\/shop\/actions\/runs\/9/
  },
  {
    name: 'an expired lease (its run died) is taken over',
    act: async (w) => {
      await w.deployed()
      w.knative.annotate(NS, SVC, {
        [STATE_PREFIX + 'lease']: JSON.stringify({
          holder: 'acme/shop/runs/9',
          renewedAt: w.clock.now() - HOUR,
          durationSeconds: 120
        })
      })
      return w.run({ inputs: inputs({ revisionName: 'shop-v2' }), manifest: manifest(V2) })
    },
    result: 'promoted',
    exit: 0,
    traffic: ['current:shop-v2:100', 'latest:shop-v2:0'],
    phase: 'promoted'
  },
  {
    name: 'wait-for-lock waits for the holder to finish, then rolls out',
    act: async (w) => {
      await w.deployed()
      w.knative.annotate(NS, SVC, {
        [STATE_PREFIX + 'lease']: JSON.stringify({
          holder: 'acme/shop/runs/9',
          renewedAt: w.clock.now(),
          durationSeconds: 600
        })
      })
      void w.clock
        .sleep(60_000)
        .then(() => w.knative.annotate(NS, SVC, { [STATE_PREFIX + 'lease']: '' }))
      return w.run({
        inputs: inputs({ revisionName: 'shop-v2', waitForLock: true }),
        manifest: manifest(V2)
      })
    },
    result: 'promoted',
    exit: 0,
    traffic: ['current:shop-v2:100', 'latest:shop-v2:0'],
    phase: 'promoted'
  },
  {
    name: 'traffic changed by hand mid-step pauses instead of fighting',
    act: async (w) => {
      await w.deployed()
      let changed = false
      // Mid-step: at the first probe of the candidate (the current is probed before any write).
      w.onProbe = (target) => {
        if (changed || !target.url.includes('candidate-')) return
        changed = true
        w.knative.setTraffic(NS, SVC, [
          { revisionName: 'shop-v1', percent: 100 },
          { tag: 'candidate', revisionName: 'shop-v2', percent: 0 }
        ])
      }
      return w.run({ inputs: inputs({ revisionName: 'shop-v2' }), manifest: manifest(V2) })
    },
    result: 'paused',
    exit: 0,
    traffic: ['-:shop-v1:100', 'candidate:shop-v2:0'],
    phase: 'paused',
    message: /changed outside this rollout.*pausing instead of fighting/
  },
  {
    name: 'SIGTERM mid-step puts the candidate back to 0% and reports aborted',
    act: async (w) => {
      await w.deployed()
      const cancel = new AbortController()
      w.onProbe = () => void w.clock.sleep(5_000).then(() => cancel.abort(new Error('SIGTERM')))
      return w.run(
        { inputs: inputs({ revisionName: 'shop-v2' }), manifest: manifest(V2) },
        { signal: cancel.signal }
      )
    },
    result: 'aborted',
    exit: 0,
    traffic: ['current:shop-v1:100', 'candidate:shop-v2:0', 'latest:shop-v2:0'],
    phase: 'aborted',
    message: /cancelled/
  },
  {
    name: 'the same template already serving is unchanged, with no write',
    act: async (w) => {
      await w.deployed()
      const writes = w.knative.writes.length
      const out = await w.run({
        inputs: inputs({ revisionName: 'shop-v1' }),
        manifest: manifest('registry.local/shop:v1')
      })
      if (w.knative.writes.length !== writes) throw new Error('wrote for an unchanged rollout')
      return out
    },
    result: 'unchanged',
    exit: 0,
    traffic: ['current:shop-v1:100', 'latest:shop-v1:0']
  },
  {
    name: 'the release block: rolloutPercent is the first step and pause-at holds it there',
    act: async (w) => {
      await w.deployed()
      return w.run({
        inputs: inputs({ pauseAt: 20 }),
        manifest: manifest(
          V2,
          {},
          { current: 'shop-v1', candidate: 'shop-00004', rolloutPercent: 20 }
        )
      })
    },
    result: 'paused',
    exit: 0,
    traffic: ['current:shop-v1:80', 'candidate:shop-00004:20', 'latest:shop-00004:0'],
    phase: 'paused'
  },
  {
    name: 'a preview adds its own pr-<n> tag at 0%, no candidate, no rollout state',
    act: async (w) => {
      await w.deployed()
      return w.run({
        inputs: inputs({
          command: 'preview',
          revisionName: 'shop-pr-7-v2',
          preview: { cleanup: false, pullRequest: 7 }
        }),
        manifest: manifest(V2)
      })
    },
    result: 'previewed',
    exit: 0,
    traffic: ['current:shop-v1:100', 'latest:shop-v1:0', 'pr-7:shop-pr-7-v2:0'],
    phase: 'promoted',
    message:
      /^preview pr-7: shop-pr-7-v2 is ready at 0% on http:\/\/pr-7-shop\.default\.example\.com;/
  },
  {
    name: 'a re-run after a candidate failed to start tries it again (not "unchanged")',
    act: async (w) => {
      await w.deployed()
      const request = {
        inputs: inputs({ revisionName: 'shop-v2' }),
        manifest: manifest(V2, { EMULATOR_EXIT_CODE: '1' })
      }
      await w.run(request)
      return w.run(request)
    },
    result: 'rolled-back',
    exit: 1,
    traffic: ['current:shop-v1:100', 'latest:shop-v1:0'],
    phase: 'rolled-back',
    message: /ExitCode1/
  },
  {
    name: 'dry-run writes nothing',
    act: async (w) => {
      await w.deployed()
      const writes = w.knative.writes.length
      const out = await w.run({
        inputs: inputs({ revisionName: 'shop-v2', dryRun: true }),
        manifest: manifest(V2)
      })
      if (w.knative.writes.length !== writes) throw new Error('dry run wrote')
      return out
    },
    result: 'unchanged',
    exit: 0,
    traffic: ['current:shop-v1:100', 'latest:shop-v1:0'],
    message: /dry run/
  }
]

test.each(rows.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
  const w = new World()
  const out = await row.act(w)
  expect(out.result).toBe(row.result)
  expect(exitCodeFor(out)).toBe(row.exit)
  if (row.message) expect(out.message).toMatch(row.message)
  const svc = await w.service()
  expect(split(svc)).toEqual(row.traffic)
  if (row.phase) expect(readState(svc)?.phase).toBe(row.phase)
  // Whatever happened, a finished run does not keep the Service locked.
  if (out.result !== 'failed' || !/held by/.test(out.message))
    expect(readLease(svc)?.holder).not.toBe(RUN.id)
})

test('promote with steps 100 goes straight to 100% without analysis', async () => {
  const w = new World()
  await w.deployed()
  await w.run({ inputs: inputs({ revisionName: 'shop-v2', pauseAt: 10 }), manifest: manifest(V2) })
  const out = await w.run({ inputs: inputs({ command: 'promote', steps: [100] }) })
  expect(out.result).toBe('promoted')
  expect(out.steps).toEqual([])
  expect(split(await w.service())).toEqual(['current:shop-v2:100', 'latest:shop-v2:0'])
})

test('status reports the phase and the split without writing', async () => {
  const w = new World()
  await w.deployed()
  await w.run({ inputs: inputs({ revisionName: 'shop-v2', pauseAt: 25 }), manifest: manifest(V2) })
  const writes = w.knative.writes.length
  const out = await w.run({ inputs: inputs({ command: 'status' }) })
  expect(w.knative.writes.length).toBe(writes)
  expect(out.result).toBe('paused')
  expect(exitCodeFor(out)).toBe(0)
  expect(out.message).toMatch(/paused \(candidate shop-v2 at 25%\)/)
})

test('a failed step below failure-threshold is analysed again, not rolled back', async () => {
  const w = new World()
  await w.deployed()
  let probes = 0
  // The candidate errs during the first analysis only.
  w.onProbe = (target) => {
    if (!target.url.includes('candidate-')) return
    probes++
    w.knative.setEnv(NS, 'shop-v2', { EMULATOR_ERROR_RATE: probes === 1 ? '0.5' : '0' })
  }
  const thresholds = {
    minSuccessRate: 0.99,
    maxLatencyP99Ms: 500,
    minRequests: 50,
    failureThreshold: 2
  }
  const out = await w.run({
    inputs: inputs({ revisionName: 'shop-v2', thresholds }),
    manifest: manifest(V2)
  })
  expect(out.result).toBe('promoted')
  expect(out.steps.map((s) => `${s.percent}:${s.verdict}`)).toEqual([
    '10:fail',
    '10:pass',
    '25:pass',
    '50:pass'
  ])
})

describe('metric checks and hooks beside the probes', () => {
  type Verdict = 'pass' | 'fail' | 'inconclusive'
  const checks = (verdictAt: (percent: number) => Verdict) => ({
    ...NO_CHECKS,
    step: async (ctx: { percent: number }) => [
      {
        name: 'request-success-rate',
        verdict: verdictAt(ctx.percent),
        reason: `request-success-rate at ${ctx.percent}%`
      }
    ]
  })

  test.each([
    {
      name: 'a failing check rolls back a candidate the probes passed',
      rps: 10,
      at: (p: number): Verdict => (p === 25 ? 'fail' : 'pass'),
      result: 'rolled-back',
      reason: /step 25%: request-success-rate at 25%$/
    },
    {
      name: 'a check with no data is not a pass',
      rps: 10,
      at: (): Verdict => 'inconclusive',
      result: 'rolled-back',
      reason: /request-success-rate at 10% \(no data is not a pass\)/
    },
    {
      name: 'probe-rps 0: the checks alone judge the steps',
      rps: 0,
      at: (): Verdict => 'pass',
      result: 'promoted',
      reason: undefined
    }
  ] as const)('$name', async ({ rps, at, result, reason }) => {
    const w = new World()
    await w.deployed()
    const out = await w.run(
      {
        inputs: inputs({ revisionName: 'shop-v2', probe: { path: '/', rps } }),
        manifest: manifest(V2)
      },
      { checks: checks(at) }
    )
    expect(out.result).toBe(result)
    if (reason) expect(out.reason).toMatch(reason)
  })

  test('probe-rps 0 and nothing else to measure never promotes on no data', async () => {
    const w = new World()
    await w.deployed()
    const out = await w.run({
      inputs: inputs({ revisionName: 'shop-v2', probe: { path: '/', rps: 0 } }),
      manifest: manifest(V2)
    })
    expect(out.result).toBe('rolled-back')
    expect(out.reason).toMatch(/no evidence: probe-rps is 0/)
  })
})
