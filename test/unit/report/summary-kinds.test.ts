// Every kind of summary, rendered from what the engine really returns for it (virtual time,
// the in-memory Knative), then checked as GitHub would show it (summary-checks.ts).

import { renderSummary } from '../../../src/report/summary.js'
import { formatResultLine } from '../../../src/report/cli-progress.js'
import type { RolloutReport } from '../../../src/report/types.js'
import { inputs, manifest, World } from '../../helpers/engine-harness.js'
import { expectWellFormed, mermaidBlocks } from '../../helpers/summary-checks.js'

const V2 = 'registry.local/shop:v2'

const kinds: {
  name: string
  act: (w: World) => Promise<RolloutReport>
  contains: (string | RegExp)[]
  absent: (string | RegExp)[]
  charts: number
}[] = [
  {
    name: 'promoted',
    act: async (w) => {
      await w.deployed()
      return w.run({ inputs: inputs({ revisionName: 'shop-v2' }), manifest: manifest(V2) })
    },
    contains: [
      '## ✅ Promoted: shop in default',
      '- **Revisions:** `shop-v1` → `shop-v2`',
      'every analysed step passed (3 of 3)',
      /^\| 1 \| 10% \| \d\d:\d\d:\d\d → \d\d:\d\d:\d\d \| 30s \| 0 of \d+ \(0%\) \| [\d.]+ ms \| 0 of \d+ \(0%\) \| [\d.]+ ms \| ✅ pass: as good as the current: 0 of \d+ failed against 0 of \d+, p99 [\d.]+ ms against [\d.]+ ms \|$/m,
      /- \*\*Time:\*\* \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC → \d\d:\d\d:\d\d UTC \(1m 30s\)/
    ],
    absent: ['first deploy', 'Reason'],
    charts: 3
  },
  {
    name: 'previewed: production serving, the preview and its own URL',
    act: async (w) => {
      await w.deployed()
      return w.run({
        inputs: inputs({
          command: 'preview',
          revisionName: 'shop-pr-7-a',
          preview: { cleanup: false, pullRequest: 7 }
        }),
        manifest: manifest(V2)
      })
    },
    contains: [
      '## 🔎 Preview ready: shop in default',
      '- **Serving:** `shop-v1`',
      '- **Preview:** `shop-pr-7-a`',
      '- **Preview URL:** http://pr-7-shop.default.example.com'
    ],
    absent: ['Revisions:', 'Candidate URL', 'first deploy'],
    charts: 0
  },
  {
    // `aborted`, as DESIGN.md's outputs name an end that was asked for; the page says what ended.
    name: 'a preview removed on cleanup',
    act: async (w) => {
      await w.deployed()
      const preview = { cleanup: false, pullRequest: 7 }
      await w.run({
        inputs: inputs({ command: 'preview', revisionName: 'shop-pr-7-a', preview }),
        manifest: manifest(V2)
      })
      return w.run({
        inputs: inputs({ command: 'preview', preview: { ...preview, cleanup: true } })
      })
    },
    contains: [
      '## ⏹️ Aborted (preview removed): shop in default',
      '- **Removed preview:** `shop-pr-7-a`',
      '**Traffic now:** `shop-v1` (current) 100%'
    ],
    absent: ['pr-7) 0%', 'Preview URL', 'Revisions:'],
    charts: 0
  },
  {
    name: 'rolled back: the verdict in words, once',
    act: async (w) => {
      await w.deployed()
      return w.run({
        inputs: inputs({ revisionName: 'shop-v2' }),
        manifest: manifest(V2, { EMULATOR_ERROR_RATE: '0.3' })
      })
    },
    contains: [
      '## ↩️ Rolled back: shop in default',
      /> \*\*Rollback reason:\*\* at step 1 \(10%\): clearly worse: \d+ of \d+ failed against 0 of \d+/,
      /\| ❌ fail \|$/m,
      /odds that the candidate fails more often than the current: [\d,]+ to 1 \(fails at 1,000 to 1\)/,
      '`shop-v2` (candidate) 0%'
    ],
    absent: [
      'first deploy',
      /clearly worse[^\n]*clearly worse/,
      /clearly worse(.|\n)*clearly worse/
    ],
    charts: 3
  },
  {
    name: 'a failed run names the revision that was serving, never "first deploy"',
    act: async (w) => {
      await w.deployed()
      return w.run({
        inputs: inputs({ revisionName: 'shop-v2', timeoutMs: 600_000 }),
        manifest: manifest(V2, { EMULATOR_READY_DELAY_MS: String(3_600_000) })
      })
    },
    contains: ['## ❌ Failed: shop in default', '`shop-v1` → `shop-v2`', '> **Reason:** timed out'],
    absent: ['first deploy'],
    charts: 0
  },
  {
    name: 'first deploy',
    act: (w) =>
      w.run({
        inputs: inputs({ revisionName: 'shop-v1' }),
        manifest: manifest('registry.local/shop:v1')
      }),
    contains: ['_none (first deploy)_ → `shop-v1`'],
    absent: ['| Step |'],
    charts: 0
  },
  {
    name: 'paused, then promoted, then its status',
    act: async (w) => {
      await w.deployed()
      const request = {
        inputs: inputs({ revisionName: 'shop-v2', pauseAt: 25 }),
        manifest: manifest(V2)
      }
      const paused = await w.run(request)
      expect(renderSummary(paused)).toContain('> **Paused:** paused at 25% (pause-at)')
      const promoted = await w.run({ inputs: inputs({ command: 'promote' }) })
      const page = renderSummary(promoted)
      expect(page).toContain('## ✅ Promoted (promote of a paused rollout): shop in default')
      expect(page).toMatch(/^\| 1 \| 50% \|/m)
      await expectWellFormed(page)
      return w.run({ inputs: inputs({ command: 'status' }) })
    },
    contains: [
      '## ℹ️ Status (promoted): shop in default',
      '- **Serving:** `shop-v2`',
      '**Traffic now:** `shop-v2` (current) 100%'
    ],
    absent: ['pause-at', 'Reason', 'Paused'],
    charts: 0
  },
  {
    name: 'dry run with its plan',
    act: async (w) => {
      await w.deployed()
      return w.run({
        inputs: inputs({ revisionName: 'shop-v2', dryRun: true, pauseAt: 25 }),
        manifest: manifest(V2)
      })
    },
    contains: [
      '## 📝 Dry run of rollout: shop in default',
      '**Plan:** steps 10% → 25% → 50% → 100%, 30s of analysis each, pausing at 25%. Nothing was written.',
      '<details><summary>What it would write</summary>',
      'shop-v2'
    ],
    absent: ['first deploy'],
    charts: 0
  },
  {
    name: 'aborted on request',
    act: async (w) => {
      await w.deployed()
      await w.run({
        inputs: inputs({ revisionName: 'shop-v2', pauseAt: 25 }),
        manifest: manifest(V2)
      })
      return w.run({ inputs: inputs({ command: 'abort' }) })
    },
    contains: ['## ⏹️ Aborted (abort on request): shop in default', '`shop-v1` → `shop-v2`'],
    absent: [],
    charts: 0
  },
  {
    name: 'bad input (as main.ts reports a refused input)',
    act: async () => ({
      result: 'failed',
      command: 'rollout',
      service: '',
      namespace: 'default',
      traffic: [],
      steps: [],
      reason: 'steps: "10,abc" is not a list of percents',
      badInput: true
    }),
    contains: [
      '## ❌ Failed: the inputs were refused',
      '> **Reason:** steps: "10,abc" is not a list of percents',
      'Nothing was read from or written to the cluster.'
    ],
    absent: ['Revisions'],
    charts: 0
  }
]

const literal = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))

describe('every kind of summary', () => {
  test.each(kinds)('$name', async ({ act, contains, absent, charts }) => {
    const world = new World()
    const report = await act(world)
    const md = renderSummary(report)
    for (const c of contains) expect(md).toMatch(typeof c === 'string' ? literal(c) : c)
    for (const a of absent) expect(md).not.toMatch(typeof a === 'string' ? literal(a) : a)
    expect(mermaidBlocks(md)).toHaveLength(charts)
    await expectWellFormed(md)
    // The log's result line and ::notice: no unknown revision either.
    expect(formatResultLine(report)).not.toMatch(/→ \?|\/ |\(\)/)
  })
})
