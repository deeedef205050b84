import { renderSummary, SUMMARY_LIMIT_BYTES, text } from '../../../src/report/summary.js'
import type { RolloutReport, StepReport } from '../../../src/report/types.js'
import { formatResultLine, formatStepLine } from '../../../src/report/cli-progress.js'
import { MAX_POINTS } from '../../../src/report/summary/chart.js'
import { expectWellFormed, mermaidBlocks, tableShapes } from '../../helpers/summary-checks.js'

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
      name: 'a step judged on the data plane says so in its row and in the statistics',
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
        '| 1 | 25% (all traffic) | – | – | 2 of 1,520 (0.13%) | 95 ms | 5 of 4,480 (0.11%) | 90 ms | ✅ pass |',
        'judged on all traffic the data plane counted (revision\\_app\\_request\\_count)'
      ],
      absent: []
    },
    {
      name: 'promoted: heading, revisions, one row per step with one rounding',
      report: base,
      contains: [
        '## ✅ Promoted: hello in default',
        '- **Revisions:** `hello-00001` → `hello-abc123`',
        '`registry.example/hello@sha256:0123`',
        '| 1 | 10% | – | – | 0 of 48 (0%) | 12 ms | 0 of 49 (0%) | 10 ms | ✅ pass |',
        '| 2 | 50% | – | – | 1 of 100 (1%) | 14 ms | 0 of 100 (0%) | 11 ms | ✅ pass |',
        '```mermaid\n%%{init: ',
        '"plotColorPalette":"#e8590c, #1c7ed6"',
        'bar [10, 50]'
      ],
      absent: ['Rollback reason', 'undefined', 'NaN']
    },
    {
      name: 'rolled back: the reason once, in words, the odds in the fold',
      report: {
        ...base,
        result: 'rolled-back',
        reason:
          "step 25%: The candidate fails more often: 12 errors in 50 requests (24.00%) against the current's 0 errors in 50 requests (0.00%) (evidence 1000000000:1, needed 1000:1)",
        traffic: [
          { revisionName: 'hello-00001', percent: 100, tag: 'current' },
          { revisionName: 'hello-abc123', percent: 0, tag: 'candidate' },
          { revisionName: 'hello-00001', percent: 0, tag: 'latest' }
        ],
        steps: [
          {
            percent: 25,
            verdict: 'fail',
            reason:
              "The candidate fails more often: 12 errors in 50 requests (24.00%) against the current's 0 errors in 50 requests (0.00%) (evidence 1000000000:1, needed 1000:1)",
            stats: { errorEvidence: Math.log(1e12), latencyZ: 0.2, latencyBoundary: 4.3 },
            candidate: probe(50, 12, 30),
            current: probe(50, 0, 10)
          } as StepReport
        ]
      } satisfies RolloutReport,
      contains: [
        '## ↩️ Rolled back',
        '> **Rollback reason:** at step 1 (25%): clearly worse: 12 of 50 failed against 0 of 50',
        '| 12 of 50 (24%) | 30 ms | 0 of 50 (0%) | 10 ms | ❌ fail |',
        'odds that the candidate fails more often than the current: over 1,000,000,000 to 1 (fails at 1,000 to 1)',
        'latency rank test (Mann–Whitney z): 0.2 (fails at 4.3)',
        '**Traffic now:** `hello-00001` (current) 100%, `hello-abc123` (candidate) 0%\n'
      ],
      absent: ['The candidate fails more often', '(latest)']
    },
    {
      name: 'first deploy: no current, no steps, no chart',
      report: { ...base, currentRevision: undefined, steps: [] },
      contains: ['_none (first deploy)_ → `hello-abc123`'],
      absent: ['```mermaid', '| Step |']
    },
    {
      name: 'a failed run with no known current is not called a first deploy',
      report: {
        ...base,
        result: 'failed',
        currentRevision: undefined,
        steps: [],
        reason: 'x'
      } satisfies RolloutReport,
      contains: ['- **Candidate:** `hello-abc123`'],
      absent: ['first deploy']
    },
    {
      name: 'paused: a step with the candidate only',
      report: {
        ...base,
        result: 'paused',
        reason: 'paused at 25% (pause-at); run the promote or abort command to finish',
        traffic: [
          { revisionName: 'hello-00001', percent: 75, tag: 'current' },
          { revisionName: 'hello-abc123', percent: 25, tag: 'candidate' }
        ],
        steps: [{ percent: 25, verdict: 'pass', candidate: probe(10, 0, 5) } as StepReport]
      } satisfies RolloutReport,
      contains: [
        '## ⏸️ Paused',
        '> **Paused:** paused at 25% (pause-at)',
        '| 1 | 25% | – | – | 0 of 10 (0%) | 5 ms | – | – | ✅ pass |'
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
      contains: ['| 1 | 10% | – | – | 0 of 0 | – | – | – | ⚠️ inconclusive: only 0 requests |'],
      absent: []
    },
    {
      name: 'step and run times',
      report: {
        ...base,
        startedAt: Date.UTC(2026, 11, 3, 14, 0, 0),
        endedAt: Date.UTC(2026, 11, 3, 14, 7, 35),
        steps: [
          {
            percent: 10,
            verdict: 'pass',
            candidate: probe(48, 0, 9.96),
            startedAt: Date.UTC(2026, 11, 3, 14, 0, 5),
            endedAt: Date.UTC(2026, 11, 3, 14, 2, 10)
          } as StepReport
        ]
      },
      contains: [
        '- **Time:** 2026-12-03 14:00:00 UTC → 14:07:35 UTC (7m 35s)',
        '| 1 | 10% | 14:00:05 → 14:02:10 | 2m 05s | 0 of 48 (0%) | 10 ms |'
      ],
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
  ])('$name', async ({ report, contains, absent }) => {
    const md = renderSummary(report)
    for (const c of contains) expect(md).toContain(c)
    for (const a of absent) expect(md).not.toContain(a)
    await expectWellFormed(md)
  })

  test('a step the run left open (cancelled mid-analysis) shows its start, no end', () => {
    const at = Date.UTC(2026, 11, 3, 14, 2, 5)
    const md = renderSummary({
      ...base,
      steps: [
        { ...base.steps[0], startedAt: at, endedAt: at + 30_000 },
        { percent: 50, verdict: 'inconclusive', startedAt: at + 30_000 }
      ]
    })
    expect(md).toContain('\n| Step | Share | Time (UTC) | Took | Candidate failed |')
    expect(md).toContain('\n| 1 | 10% | 14:02:05 → 14:02:35 | 30s | 0 of 48 (0%) |')
    expect(md).toContain('\n| 2 | 50% | 14:02:35 → | – | – |')
  })

  test('every table row has the header’s columns, even with pipes in the data', () => {
    const md = renderSummary({
      ...base,
      steps: [{ percent: 5, verdict: 'fail', reason: 'a | b | c' } as StepReport]
    })
    expect(tableShapes(md)).toEqual([[9, 9, 9]])
  })

  test('a huge report stays under the 1 MiB limit, its charts thinned', async () => {
    const steps: StepReport[] = Array.from({ length: 5000 }, (_, i) => ({
      percent: i % 100,
      verdict: 'fail',
      reason: 'x'.repeat(400),
      candidate: probe(100, i % 7, 10 + (i % 13))
    }))
    const md = renderSummary({ ...base, reason: 'y'.repeat(2_000_000), steps })
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES)
    expect(md).toContain('steps omitted')
    const charts = mermaidBlocks(md)
    expect(charts).toHaveLength(3)
    for (const block of charts)
      for (const m of block.matchAll(/(?:bar|line) \[([^\]]*)\]/g))
        expect(m[1].split(',')).toHaveLength(MAX_POINTS)
    await expectWellFormed(md)
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

  test('a first deploy names the candidate alone', () => {
    expect(formatResultLine({ ...base, currentRevision: undefined })).toBe(
      'promoted default/hello (hello-abc123)'
    )
  })

  test('a status names the serving revision alone, not "→ ?"', () => {
    const status = { ...base, command: 'status', candidateRevision: undefined }
    expect(formatResultLine(status)).toBe('promoted default/hello (hello-00001)')
  })

  test.each([
    ['ready', 'previewed', 'previewed default/hello (preview hello-pr-7-a)'],
    ['removed on cleanup', 'aborted', 'aborted default/hello (preview hello-pr-7-a removed)']
  ] as const)('a preview %s: named alone, not as a step from production', (_n, result, line) => {
    const preview = { ...base, command: 'preview', result, candidateRevision: 'hello-pr-7-a' }
    expect(formatResultLine(preview)).toBe(line)
  })
})
