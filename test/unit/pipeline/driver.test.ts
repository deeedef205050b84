// The driver with units that end as each row says (no cluster, no clock): which units run,
// in which stages, which are stopped, and how many at once.

import { parseInputs } from '../../../src/inputs.js'
import type { RolloutResult } from '../../../src/report/types.js'
import { drive, type UnitReport } from '../../../src/pipeline/driver.js'
import { stagesOf, type Target, type Unit } from '../../../src/pipeline/plan.js'

const WAVES = `
- name: one
  clusters: [{name: a, kubeconfig-env: A}]
- name: two
  clusters: [{name: b, kubeconfig-env: B}, {name: c, kubeconfig-env: C}]
- name: three
  pause-before: true
  clusters: [{name: d, kubeconfig-env: D}]
`
const inputs = parseInputs((n) => ({ manifest: 'x.yaml', waves: WAVES })[n])
const stages = stagesOf(inputs)
const targets: Target[] = [{ manifest: 'red.yaml' }, { manifest: 'blue.yaml' }]
const nameOf = (t: Target) => t.manifest!.replace('.yaml', '')
const key = (u: Unit) => `${nameOf(u.target)}@${u.cluster.name}`

/** Units end as `ends` says (default promoted); an aborted one ends `aborted`, as the engine's do. */
function fake(ends: Record<string, RolloutResult> = {}, hold: string[] = []) {
  const started: string[] = []
  let running = 0
  let peak = 0
  const runUnit = async (unit: Unit, signal: AbortSignal): Promise<UnitReport> => {
    started.push(key(unit))
    running++
    peak = Math.max(peak, running)
    // A held unit runs until it is aborted; the others take a few turns of the event loop.
    if (hold.includes(key(unit)))
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
    running--
    const result = signal.aborted ? 'aborted' : (ends[key(unit)] ?? 'promoted')
    return { service: nameOf(unit.target), result, reason: `${result} by the fake` }
  }
  return { runUnit, started, peak: () => peak }
}

const base = {
  stages,
  start: 0,
  targets,
  command: 'rollout' as const,
  maxParallel: 10,
  failFast: false,
  nameOf
}

test('every stage promoted: all run in order; a pause-before stage ends the run paused there', async () => {
  const f = fake()
  const ends = await drive({ ...base, runUnit: f.runUnit })
  expect(f.started).toEqual(['red@a', 'blue@a', 'red@b', 'blue@b', 'red@c', 'blue@c'])
  expect(ends.map((e) => `${e.service}@${e.unit.cluster.name}:${e.result}`)).toEqual([
    'red@a:promoted',
    'blue@a:promoted',
    'red@b:promoted',
    'blue@b:promoted',
    'red@c:promoted',
    'blue@c:promoted',
    'red@d:paused',
    'blue@d:paused'
  ])
  expect(ends[6].reason).toMatch(/command: promote with wave: three/)
})

test('a rolled-back unit: the rest of its stage goes on, no later stage starts', async () => {
  const f = fake({ 'blue@a': 'rolled-back' })
  const ends = await drive({ ...base, runUnit: f.runUnit })
  expect(f.started).toEqual(['red@a', 'blue@a'])
  expect(ends.map((e) => e.result)).toEqual([
    'promoted',
    'rolled-back',
    ...Array(6).fill('unchanged')
  ])
  expect(ends[2].reason).toBe('not started: stage "one" did not promote every service')
})

test('fail-fast: the failure aborts the unit still running and keeps the rest from starting', async () => {
  const three: Target[] = [
    { manifest: 'red.yaml' },
    { manifest: 'blue.yaml' },
    { manifest: 'green.yaml' }
  ]
  const f = fake({ 'blue@a': 'failed' }, ['red@a'])
  const told: string[] = []
  const ends = await drive({
    ...base,
    targets: three,
    maxParallel: 2,
    failFast: true,
    runUnit: f.runUnit,
    // What GitHub's Deployments are closed with: each unit that ran, as it ends, finally.
    onEnd: (end) => told.push(`${end.service}:${end.result}`)
  })
  expect(f.started).toEqual(['red@a', 'blue@a'])
  expect(told).toEqual(['blue:failed', 'red:aborted'])
  expect(ends.slice(0, 3).map((e) => [e.service, e.result])).toEqual([
    ['red', 'aborted'],
    ['blue', 'failed'],
    ['green', 'unchanged']
  ])
  expect(ends[0].reason).toMatch(/^fail-fast: blue@a failed; /)
  expect(ends[2].reason).toBe('not started: fail-fast: blue@a failed')
})

test('without fail-fast a failure stops nothing in its stage', async () => {
  const f = fake({ 'blue@a': 'failed' })
  const ends = await drive({ ...base, maxParallel: 1, runUnit: f.runUnit })
  expect(ends.slice(0, 2).map((e) => e.result)).toEqual(['promoted', 'failed'])
})

test.each([1, 2, 3])('max-parallel %i: never more units at once', async (limit) => {
  const many: Target[] = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => ({ manifest: `${n}.yaml` }))
  const f = fake()
  await drive({
    ...base,
    stages: stages.slice(0, 1),
    targets: many,
    maxParallel: limit,
    runUnit: f.runUnit
  })
  expect(f.started).toHaveLength(7)
  expect(f.peak()).toBe(limit)
})

test('wave: starts at the named stage and passes its pause-before', async () => {
  const f = fake()
  const ends = await drive({ ...base, start: 2, wave: 'three', runUnit: f.runUnit })
  expect(f.started).toEqual(['red@d', 'blue@d'])
  expect(ends.map((e) => e.result)).toEqual(['promoted', 'promoted'])
})

test('status and abort run in every stage whatever the results, pause-before included', async () => {
  const f = fake({ 'red@a': 'rolled-back' })
  await drive({ ...base, command: 'status', runUnit: f.runUnit })
  expect(f.started).toHaveLength(8)
})

test('a cancelled run starts nothing more', async () => {
  const cancel = new AbortController()
  const f = fake()
  const runUnit = async (unit: Unit, signal: AbortSignal) => {
    cancel.abort(new Error('SIGTERM received'))
    return f.runUnit(unit, signal)
  }
  const ends = await drive({ ...base, maxParallel: 1, signal: cancel.signal, runUnit })
  expect(f.started).toEqual(['red@a'])
  expect(ends.map((e) => e.result)).toEqual(['aborted', ...Array(7).fill('unchanged')])
})
