import { renderSummary, SUMMARY_LIMIT_BYTES, text } from '../../../src/report/summary.js'
import type { RolloutReport, StepReport } from '../../../src/report/types.js'
import { formatResultLine, formatStepLine } from '../../../src/report/cli-progress.js'

const probe = (requests: number, errors: number, p99: number) => ({
  requests,
  errors,
  successRate: requests ? (requests - errors) / requests : 0,
  p50: p99 / 2,
  p99
})

const base: RolloutReport = {
  result: 'promoted',
  command: 'rollout',
  service: 'hello',
  namespace: 'default',
  currentRevision: 'hello-00001',
  candidateRevision: 'hello-abc123',
  image: 'registry.example/hello',
  digest: 'sha256:0123',
  url: 'http://hello.default.example.com',
  traffic: [{ revisionName: 'hello-abc123', percent: 100, tag: 'current' }],
  steps: [
    { percent: 10, verdict: 'pass', candidate: probe(48, 0, 12), current: probe(49, 0, 10) },
    { percent: 50, verdict: 'pass', candidate: probe(100, 1, 14), current: probe(100, 0, 11) }
  ]
}

describe('renderSummary', () => {
  test.each([
    {
      name: 'a step judged on the data plane says so in its row and its evidence',
      report: {
        ...base,
        steps: [
          {
            percent: 25,
            verdict: 'pass',
            source: 'revision_app_request_count',
            candidate: probe(1520, 2, 95),
            current: probe(4480, 5, 90)
          } satisfies StepReport
        ]
      },
      contains: [
        '| 25% (all traffic) | 1520 | 99.87% | 95 ms | 4480 | 99.89% | 90 ms | ✅ pass |',
        'judged on all traffic: revision\\_app\\_request\\_count'
      ],
      absent: []
    },
    {
      name: 'promoted: heading, revisions, one row per step, timeline ending at 100',
      report: base,
      contains: [
        '## ✅ Promoted: hello in default',
        '- **Revisions:** `hello-00001` → `hello-abc123`',
        '`registry.example/hello@sha256:0123`',
        '| 10% | 48 | 100% | 12 ms | 49 | 100% | 10 ms | ✅ pass |',
        '| 50% | 100 | 99% | 14 ms | 100 | 100% | 11 ms | ✅ pass |',
        '```mermaid\nxychart-beta',
        'x-axis ["1: 10%", "2: 50%", "promoted"]',
        'line [10, 50, 100]'
      ],
      absent: ['Rollback reason']
    },
    {
      name: 'rolled back: the reason and the failing step, timeline back to 0',
      report: {
        ...base,
        result: 'rolled-back',
        reason: 'candidate success rate 80% < 99% at 25%',
        traffic: [{ revisionName: 'hello-00001', percent: 100, tag: 'current' }],
        steps: [
          {
            percent: 25,
            verdict: 'fail',
            reason: 'success rate 80% < 99%',
            candidate: probe(50, 10, 30),
            current: probe(50, 0, 10)
          } as StepReport
        ]
      } satisfies RolloutReport,
      contains: [
        '## ↩️ Rolled back',
        '> **Rollback reason:** candidate success rate 80% &lt; 99% at 25%',
        '❌ fail: success rate 80% &lt; 99%',
        'line [25, 0]'
      ],
      absent: []
    },
    {
      name: 'first deploy: no current, no steps, no timeline',
      report: { ...base, currentRevision: undefined, steps: [] },
      contains: ['_none (first deploy)_ → `hello-abc123`'],
      absent: ['```mermaid', '| Step |']
    },
    {
      name: 'paused: the timeline ends at the candidate’s share',
      report: {
        ...base,
        result: 'paused',
        traffic: [
          { revisionName: 'hello-00001', percent: 75, tag: 'current' },
          { revisionName: 'hello-abc123', percent: 25, tag: 'candidate' }
        ],
        steps: [{ percent: 25, verdict: 'pass', candidate: probe(10, 0, 5) } as StepReport]
      } satisfies RolloutReport,
      contains: [
        '## ⏸️ Paused',
        'line [25, 25]',
        '| 25% | 10 | 100% | 5 ms | – | – | – | ✅ pass |'
      ],
      absent: []
    },
    {
      name: 'inconclusive step with no requests shows dashes',
      report: {
        ...base,
        steps: [
          {
            percent: 10,
            verdict: 'inconclusive',
            candidate: probe(0, 0, 0),
            reason: 'only 0 requests'
          } as StepReport
        ]
      },
      contains: ['| 10% | 0 | – | – | – | – | – | ⚠️ inconclusive: only 0 requests |'],
      absent: []
    },
    {
      name: 'user strings with | and < are escaped in cells and headings',
      report: {
        ...base,
        service: 'a|b<script>',
        namespace: 'ns_1',
        candidateRevision: 'rev|x',
        url: 'http://evil.example/<script>|',
        steps: [
          {
            percent: 10,
            verdict: 'fail',
            reason: 'message with | pipe and <b>html</b>\nsecond line'
          } as StepReport
        ]
      },
      contains: [
        'a\\|b&lt;script&gt; in ns\\_1',
        '`rev\\|x`',
        '❌ fail: message with \\| pipe and &lt;b&gt;html&lt;/b&gt; second line |'
      ],
      absent: ['<script>', '<b>']
    }
  ])('$name', ({ report, contains, absent }) => {
    const md = renderSummary(report)
    for (const c of contains) expect(md).toContain(c)
    for (const a of absent) expect(md).not.toContain(a)
  })

  test('every table row has the header’s 8 columns, even with pipes in the data', () => {
    const md = renderSummary({
      ...base,
      steps: [{ percent: 5, verdict: 'fail', reason: 'a | b | c' } as StepReport]
    })
    const rows = md.split('\n').filter((l) => l.startsWith('|'))
    for (const r of rows) expect(r.replace(/\\\|/g, '').split('|').length - 2).toBe(8)
  })

  test('a huge report stays under the 1 MiB limit', () => {
    const steps: StepReport[] = Array.from({ length: 5000 }, (_, i) => ({
      percent: i % 100,
      verdict: 'fail',
      reason: 'x'.repeat(400)
    }))
    const md = renderSummary({ ...base, reason: 'y'.repeat(2_000_000), steps })
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES)
    expect(md).toContain('steps omitted')
  })
})

describe('text escaping', () => {
  test.each([
    { name: 'pipe', input: 'a|b', expected: 'a\\|b' },
    { name: 'html', input: '<img src=x>', expected: '&lt;img src=x&gt;' },
    { name: 'ampersand first', input: '&lt;', expected: '&amp;lt;' },
    { name: 'emphasis and links', input: '*x* [y](z)', expected: '\\*x\\* \\[y\\](z)' },
    { name: 'newlines', input: 'a\nb', expected: 'a b' }
  ])('$name', ({ input, expected }) => {
    expect(text(input)).toBe(expected)
  })
})

describe('CLI lines', () => {
  test.each([
    {
      name: 'a passing step with both sides',
      step: {
        percent: 25,
        verdict: 'pass',
        candidate: probe(48, 0, 12.4),
        current: probe(49, 0, 10)
      } as StepReport,
      expected: '[25%] candidate 48/48 ok p99 12ms · current 49/49 ok p99 10ms → pass'
    },
    {
      name: 'a failing step with a reason',
      step: {
        percent: 50,
        verdict: 'fail',
        candidate: probe(50, 10, 30),
        reason: 'success rate 80% < 99%'
      } as StepReport,
      expected: '[50%] candidate 40/50 ok p99 30ms → fail (success rate 80% < 99%)'
    },
    {
      name: 'no requests',
      step: { percent: 10, verdict: 'inconclusive' } as StepReport,
      expected: '[10%] candidate no requests → inconclusive'
    }
  ])('$name', ({ step, expected }) => {
    expect(formatStepLine(step)).toBe(expected)
  })

  test('result line', () => {
    expect(formatResultLine({ ...base, result: 'rolled-back', reason: 'p99 900ms > 500ms' })).toBe(
      'rolled-back default/hello (hello-00001 → hello-abc123): p99 900ms > 500ms'
    )
  })
})
