// The live progress's pure parts: which step of how many, the time left, the one line the
// Actions log and a plain terminal show, and the choice between the two terminal views.

import {
  formatProgressLine,
  stepOrdinal,
  timeLeft,
  type StepProgress
} from '../../../src/report/progress.js'
import { viewKind } from '../../../src/report/terminal-view.js'

const base: StepProgress = {
  percent: 25,
  plan: [10, 25, 50, 100],
  candidateRevision: 'shop-v2',
  currentRevision: 'shop-v1',
  elapsedMs: 12_000,
  intervalMs: 30_000,
  maxStepMs: 90_000,
  candidate: { requests: 48, errors: 0 },
  current: { requests: 150, errors: 1 }
}

test.each([
  { name: 'a step of the plan', plan: [10, 25, 50, 100], percent: 25, want: { n: 2, of: 3 } },
  { name: 'the first step', plan: [10, 25, 50, 100], percent: 10, want: { n: 1, of: 3 } },
  { name: 'blue/green (steps 100) analyses 0%', plan: [100], percent: 0, want: { n: 1, of: 1 } },
  {
    name: 'a share between steps (resumed)',
    plan: [10, 50, 100],
    percent: 30,
    want: { n: 1, of: 2 }
  },
  { name: 'held at the last step', plan: [10, 50], percent: 50, want: { n: 2, of: 2 } },
  {
    name: 'a share between later steps counts the steps below it',
    plan: [10, 50, 80, 100],
    percent: 60,
    want: { n: 2, of: 3 }
  },
  {
    name: 'a share above every analysed step is the last one',
    plan: [10, 50, 100],
    percent: 75,
    want: { n: 2, of: 2 }
  }
])('stepOrdinal: $name', ({ plan, percent, want }) => {
  expect(stepOrdinal(plan, percent)).toEqual(want)
})

test.each([
  {
    name: 'within the interval',
    over: { elapsedMs: 12_000 },
    want: { ms: 18_000, extended: false }
  },
  { name: 'at its end', over: { elapsedMs: 30_000 }, want: { ms: 0, extended: false } },
  {
    name: 'extended (inconclusive)',
    over: { elapsedMs: 42_000 },
    want: { ms: 48_000, extended: true }
  },
  { name: 'held at a gate', over: { elapsedMs: 42_000, maxStepMs: Infinity }, want: undefined }
])('timeLeft: $name', ({ over, want }) => {
  expect(timeLeft({ ...base, ...over })).toEqual(want)
})

test.each([
  {
    name: 'a step',
    over: {},
    line: 'step 2/3 at 25%: candidate shop-v2 48 requests, 0 errors · current shop-v1 150 requests, 1 error · 12s in, 18s left'
  },
  {
    name: 'extended',
    over: { elapsedMs: 65_000, candidate: { requests: 1, errors: 1 } },
    line: 'step 2/3 at 25%: candidate shop-v2 1 request, 1 error · current shop-v1 150 requests, 1 error · 1m5s in, 25s left (extended: too little data)'
  },
  {
    name: 'held at a gate',
    over: { gate: 'confirm-promotion', percent: 50, maxStepMs: Infinity, elapsedMs: 40_000 },
    line: 'holding at 50% for confirm-promotion: candidate shop-v2 48 requests, 0 errors · current shop-v1 150 requests, 1 error · 40s in, until the gate opens'
  },
  {
    // Names come from the Service's annotations: text the action did not write.
    name: 'a hostile revision name cannot start a workflow command',
    over: { candidateRevision: 'x\n::error::owned' },
    line: 'step 2/3 at 25%: candidate x\\n::error::owned 48 requests, 0 errors · current shop-v1 150 requests, 1 error · 12s in, 18s left'
  }
])('formatProgressLine: $name', ({ over, line }) => {
  expect(formatProgressLine({ ...base, ...over })).toBe(line)
})

test.each([
  {
    name: 'a unit of a pipeline is named first, as its step lines are',
    unit: 'shop@eu',
    line: '[shop@eu] step 2/3 at 25%: candidate shop-v2 48 requests, 0 errors · current shop-v1 150 requests, 1 error · 12s in, 18s left'
  },
  {
    name: 'a hostile unit name stays on its line',
    unit: 'x\n::error::owned',
    line: '[x\\n::error::owned] step 2/3 at 25%: candidate shop-v2 48 requests, 0 errors · current shop-v1 150 requests, 1 error · 12s in, 18s left'
  }
])('formatProgressLine with a unit: $name', ({ unit, line }) => {
  expect(formatProgressLine(base, unit)).toBe(line)
})

test.each([
  {
    name: 'a sized terminal',
    stream: { isTTY: true, rows: 40, columns: 120 },
    env: {},
    want: 'live'
  },
  { name: 'a pipe', stream: { isTTY: false }, env: {}, want: 'plain' },
  {
    name: 'NO_COLOR',
    stream: { isTTY: true, rows: 40, columns: 120 },
    env: { NO_COLOR: '1' },
    want: 'plain'
  },
  {
    name: 'NO_COLOR empty counts as unset',
    stream: { isTTY: true, rows: 40, columns: 120 },
    env: { NO_COLOR: '' },
    want: 'live'
  },
  {
    name: 'TERM=dumb',
    stream: { isTTY: true, rows: 40, columns: 120 },
    env: { TERM: 'dumb' },
    want: 'plain'
  },
  {
    name: 'a terminal of 0 rows',
    stream: { isTTY: true, rows: 0, columns: 0 },
    env: {},
    want: 'plain'
  }
])('viewKind: $name', ({ stream, env, want }) => {
  expect(viewKind({ write: () => true, ...stream }, env)).toBe(want)
})
