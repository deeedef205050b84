import type { Judgement } from '../../../src/analysis/judge.js'
import type { CheckOutcome } from '../../../src/rollout/step-checks.js'
import {
  NO_EVIDENCE,
  failureAt,
  heldDecision,
  refusedHooks,
  stepDecision,
  type Look,
  type LookDecision
} from '../../../src/rollout/step-decision.js'

const judged = (
  verdict: Judgement['verdict'],
  final: boolean,
  reason = `judge ${verdict}`
): Judgement => ({
  verdict,
  final,
  reason,
  stats: {}
})
const check = (verdict: CheckOutcome['verdict'], name = 'p99'): CheckOutcome => ({
  name,
  verdict,
  reason: `${name} ${verdict}`
})
const look = (over: Partial<Look> = {}): Look => ({
  elapsedMs: 5_000,
  intervalMs: 10_000,
  maxStepMs: 30_000,
  checksRanNow: false,
  ...over
})
const end = (verdict: 'pass' | 'fail' | 'inconclusive', reason: string): LookDecision => ({
  kind: 'end',
  verdict,
  reason
})

describe('refusedHooks: rollout hooks that refuse fail the step before it probes', () => {
  test.each<[string, CheckOutcome[], LookDecision | undefined]>([
    ['none configured', [], undefined],
    ['all accept', [check('pass', 'load')], undefined],
    ['an inconclusive hook does not fail', [check('inconclusive', 'load')], undefined],
    ['one refuses', [check('pass', 'a'), check('fail', 'b')], end('fail', 'b fail')],
    [
      'two refuse: both reasons',
      [check('fail', 'a'), check('fail', 'b')],
      end('fail', 'a fail; b fail')
    ]
  ])('%s', (_name, hooked, want) => {
    expect(refusedHooks(hooked)).toEqual(want)
  })
})

describe('failureAt: a failure established at this look ends the step at once', () => {
  test.each<[string, Partial<Look>, LookDecision | undefined]>([
    ['nothing yet', {}, undefined],
    [
      'a rollback hook',
      { rollbackHook: 'stop', judgement: judged('pass', true) },
      end('fail', 'rollback hook "stop" asked for a rollback')
    ],
    [
      'a final fail from the judge, mid-step',
      { judgement: judged('fail', true, 'errors') },
      end('fail', 'errors')
    ],
    ['a fail that is not final yet waits', { judgement: judged('fail', false) }, undefined],
    [
      'failed checks are read only when they ran now',
      { checks: [check('fail')], checksRanNow: false },
      undefined
    ],
    [
      'a failed check that ran now',
      { checks: [check('pass', 'a'), check('fail', 'b')], checksRanNow: true },
      end('fail', 'b fail')
    ],
    [
      'no evidence at all: probes off and no checks',
      { checks: [], checksRanNow: true },
      end('fail', NO_EVIDENCE)
    ],
    [
      'no checks but probes judged: not "no evidence"',
      { checks: [], checksRanNow: true, judgement: judged('inconclusive', false) },
      undefined
    ]
  ])('%s', (_name, over, want) => {
    expect(failureAt(look(over))).toEqual(want)
  })
})

describe('heldDecision: at a closed gate only the gate ends the step', () => {
  test.each<[string, Partial<Look>, boolean, LookDecision]>([
    ['closed: hold', { judgement: judged('pass', true) }, false, { kind: 'hold' }],
    [
      "opened, with the judge's words",
      { elapsedMs: 42_400, judgement: judged('pass', true, 'ok') },
      true,
      end('pass', 'confirm-promotion opened after 42s at 20% with no failure established: ok')
    ],
    [
      'opened with probes off',
      { elapsedMs: 1_000 },
      true,
      end('pass', 'confirm-promotion opened after 1s at 20% with no failure established')
    ]
  ])('%s', (_name, over, open, want) => {
    expect(heldDecision(look(over), { name: 'confirm-promotion', open, percent: 20 })).toEqual(want)
  })
})

describe('stepDecision: pass at the interval, extend in doubt, inconclusive at the maximum', () => {
  test.each<[string, Partial<Look>, LookDecision]>([
    ['before the checks ran: continue', { judgement: judged('pass', true) }, { kind: 'continue' }],
    [
      'judge and checks pass',
      { judgement: judged('pass', true, 'fine'), checks: [check('pass')] },
      end('pass', 'fine; p99 pass')
    ],
    [
      'probes off, checks pass',
      { checks: [check('pass')] },
      end('pass', 'no synthetic probes (probe-rps 0); p99 pass')
    ],
    [
      'the judge has not decided: continue in the interval',
      { judgement: judged('pass', false), checks: [] },
      { kind: 'continue' }
    ],
    [
      'past the interval, in doubt: extend',
      { elapsedMs: 10_000, judgement: judged('inconclusive', false), checks: [] },
      { kind: 'extend' }
    ],
    [
      'a pending check extends too',
      { elapsedMs: 20_000, judgement: judged('pass', true), checks: [check('inconclusive')] },
      { kind: 'extend' }
    ],
    [
      "at the maximum: the judge's doubt as the reason",
      {
        elapsedMs: 30_000,
        judgement: judged('inconclusive', false, 'not enough evidence: 3 requests'),
        checks: []
      },
      end('inconclusive', 'not enough evidence: 3 requests')
    ],
    [
      'at the maximum with a check without data',
      { elapsedMs: 30_000, judgement: judged('pass', true), checks: [check('inconclusive')] },
      end('inconclusive', 'not enough evidence after 30s: p99 inconclusive (no data is not a pass)')
    ],
    [
      'a held step has no maximum',
      { elapsedMs: 1e9, maxStepMs: Infinity, judgement: judged('inconclusive', false), checks: [] },
      { kind: 'extend' }
    ]
  ])('%s', (_name, over, want) => {
    expect(stepDecision(look(over))).toEqual(want)
  })
})
