// Live progress in virtual time: while a step is analysed the engine reports the counts so
// far at least every 10 s (PROGRESS_EVERY_MS), and the Actions log shows them as lines,
// each step in its own log group. The in-memory Knative serves the probes.

import { inputs, manifest, World } from '../../helpers/engine-harness.js'
import { formatProgressLine, type StepProgress } from '../../../src/report/progress.js'
import { actionsLogger } from '../../../src/report/actions-log.js'
import { formatStepLine } from '../../../src/report/cli-progress.js'
import { stdoutOf } from '../../helpers/stdout-capture.js'

const V2 = 'registry.local/shop:v2'

/** What the engine reported, with the virtual time of each report. */
async function progressOf(
  w: World,
  over: Parameters<typeof inputs>[0],
  env: Record<string, string> = {}
) {
  const seen: { at: number; p: StepProgress }[] = []
  const out = await w.run(
    { inputs: inputs({ revisionName: 'shop-v2', ...over }), manifest: manifest(V2, env) },
    { onProgress: (p) => seen.push({ at: w.clock.now(), p }) }
  )
  return { out, seen }
}

const byStep = (seen: { p: StepProgress }[], percent: number) =>
  seen.filter((s) => s.p.percent === percent).map((s) => s.p)

test('a 30 s step reports its counts every 6 s (one look), from 0 to 30 s', async () => {
  const w = new World()
  await w.deployed()
  const { out, seen } = await progressOf(w, { steps: [10, 50, 100], stepIntervalMs: 30_000 })
  expect(out.result).toBe('promoted')
  for (const percent of [10, 50]) {
    const step = byStep(seen, percent)
    expect(step.map((p) => p.elapsedMs)).toEqual([0, 6_000, 12_000, 18_000, 24_000, 30_000])
    // probe-rps 10 on each revision: 60 requests per look, each.
    expect(step.map((p) => p.candidate.requests)).toEqual([0, 60, 120, 180, 240, 300])
    expect(step.map((p) => p.current)).toEqual(
      [0, 60, 120, 180, 240, 300].map((requests) => ({ requests, errors: 0 }))
    )
  }
  expect(formatProgressLine(byStep(seen, 10)[2])).toBe(
    'step 1/2 at 10%: candidate shop-v2 120 requests, 0 errors · current shop-v1 120 requests, 0 errors · 12s in, 18s left'
  )
  expect(formatProgressLine(byStep(seen, 50)[5])).toBe(
    'step 2/2 at 50%: candidate shop-v2 300 requests, 0 errors · current shop-v1 300 requests, 0 errors · 30s in, 0s left'
  )
})

test('a 2 min step (looks of 24 s) still reports every 10 s at most, and probes as much', async () => {
  const w = new World()
  await w.deployed()
  const { out, seen } = await progressOf(w, { steps: [20, 100], stepIntervalMs: 120_000 })
  expect(out.result).toBe('promoted')
  const step = byStep(seen, 20)
  const times = step.map((p) => p.elapsedMs)
  expect(times[0]).toBe(0)
  expect(times.at(-1)).toBe(120_000)
  for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeLessThanOrEqual(10_000)
  // Slices of a look add up to it: 120 s at 10 probes/s, per revision, as without slices.
  expect(step.at(-1)!.candidate.requests).toBe(1200)
  expect(out.steps[0].candidate?.requests).toBe(1200)
})

test('errors so far show per revision: a failing candidate against a healthy current', async () => {
  const w = new World()
  await w.deployed()
  const { out, seen } = await progressOf(
    w,
    { steps: [10, 100], stepIntervalMs: 30_000 },
    { EMULATOR_ERROR_RATE: '0.5' }
  )
  expect(out.result).toBe('rolled-back')
  const last = byStep(seen, 10).at(-1)!
  expect(last.candidate.errors).toBeGreaterThan(0)
  expect(last.current.errors).toBe(0)
})

test('the Actions log: a group per step with a progress line at least every 10 s in it', async () => {
  const w = new World()
  await w.deployed()
  const written = await stdoutOf(async () => {
    const log = actionsLogger()
    log.phase('Candidate revision: default/shop')
    await w.run(
      { inputs: inputs({ revisionName: 'shop-v2', steps: [10, 50, 100] }), manifest: manifest(V2) },
      {
        log,
        onProgress: (p) => log.info(formatProgressLine(p)),
        onStep: (s) => log.info(formatStepLine(s))
      }
    )
    log.endPhase()
  })
  // The runner undoes the toolkit's escapes of a command's data (%25 is %).
  const lines = written.split('\n').map((l) => (l.startsWith('::') ? l.replace(/%25/g, '%') : l))
  const groups = lines.filter((l) => /^::(end)?group::/.test(l))
  // Groups do not nest: each one ends before the next begins.
  expect(groups.every((g, i) => g.startsWith(i % 2 ? '::endgroup::' : '::group::'))).toBe(true)
  expect(groups.filter((g) => g !== '::endgroup::').slice(0, 3)).toEqual([
    '::group::Candidate revision: default/shop',
    '::group::Step 1/2 at 10%',
    '::group::Step 2/2 at 50%'
  ])
  const inStep = (title: string) => {
    const from = lines.indexOf(`::group::${title}`)
    return lines.slice(from, lines.indexOf('::endgroup::', from))
  }
  for (const [title, prefix] of [
    ['Step 1/2 at 10%', 'step 1/2 at 10%: '],
    ['Step 2/2 at 50%', 'step 2/2 at 50%: ']
  ]) {
    const progress = inStep(title).filter((l) => l.startsWith(prefix))
    expect(progress).toHaveLength(6)
    expect(progress.at(-1)).toMatch(/300 requests, 0 errors · current shop-v1 300 requests/)
  }
})

test('a phase told twice in a row is one group; another phase or a group ends it', async () => {
  const written = await stdoutOf(() => {
    const log = actionsLogger()
    log.phase('Step 1/2 at 10%')
    log.info('split written')
    log.phase('Step 1/2 at 10%')
    log.info('analysing')
    log.phase('Promote')
    log.endPhase()
    log.endPhase()
  })
  expect(written.split('\n').filter(Boolean)).toEqual([
    '::group::Step 1/2 at 10%25',
    'split written',
    'analysing',
    '::endgroup::',
    '::group::Promote',
    '::endgroup::'
  ])
})
