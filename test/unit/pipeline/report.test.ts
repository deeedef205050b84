// The `results` entries and the pipeline's job summary: what comes from the cluster or an
// app is checked or escaped before it reaches an output or the page.

import { formatResults, resultRow } from '../../../src/pipeline/results.js'
import { renderPipelineSummary } from '../../../src/pipeline/summary.js'
import type { RunOutcome } from '../../../src/rollout/result.js'

const report = (over: Partial<RunOutcome>): RunOutcome => ({
  command: 'rollout',
  service: 'shop',
  namespace: 'default',
  result: 'promoted',
  traffic: [],
  steps: [],
  message: 'ok',
  ...over
})

describe('resultRow', () => {
  test.each([
    {
      name: 'a promotion: the candidate and the revision it replaced',
      over: { candidateRevision: 'shop-v2', currentRevision: 'shop-v1' },
      row: { revision: 'shop-v2', previousRevision: 'shop-v1', reason: '' }
    },
    {
      name: 'a status: the serving revision, no previous',
      over: { currentRevision: 'shop-v1' },
      row: { revision: 'shop-v1', previousRevision: '', reason: '' }
    },
    {
      name: 'a revision name that is no DNS label is refused, the reason says so',
      over: { candidateRevision: 'shop-$(id)', currentRevision: 'shop-v1' },
      row: {
        revision: '',
        previousRevision: '',
        reason: expect.stringMatching(/^refusing to set an output to an invalid revision name/)
      }
    },
    {
      name: 'a reason quoting an app is one escaped line',
      over: { result: 'rolled-back' as const, reason: 'boom\n::error::injected' },
      row: { result: 'rolled-back', reason: 'boom\\n::error::injected' }
    }
  ])('$name', ({ over, row }) => {
    expect(resultRow({ wave: 'prod', cluster: 'eu' }, report(over))).toMatchObject({
      wave: 'prod',
      cluster: 'eu',
      service: 'shop',
      ...row
    })
  })
})

describe('resultRow: without waves, and both reasons', () => {
  test.each([
    {
      name: 'no wave or cluster: both empty',
      where: {},
      over: {},
      row: { wave: '', cluster: '', reason: '' }
    },
    {
      name: "a refused revision name joins the rollout's own reason",
      where: { wave: 'prod' },
      over: { result: 'paused' as const, reason: 'paused at 25%', candidateRevision: 'shop-$(id)' },
      row: {
        wave: 'prod',
        cluster: '',
        revision: '',
        reason: expect.stringMatching(
          /^paused at 25%; refusing to set an output to an invalid revision name/
        )
      }
    }
  ])('$name', ({ where, over, row }) => {
    expect(resultRow(where, report(over))).toMatchObject(row)
  })

  test('the output is the rows as JSON on one line', () => {
    const rows = [resultRow({}, report({ currentRevision: 'shop-v1' })), resultRow({}, report({}))]
    const text = formatResults(rows)
    expect(text).not.toContain('\n')
    expect(JSON.parse(text)).toEqual(rows)
  })
})

describe('renderPipelineSummary', () => {
  const good = report({ candidateRevision: 'shop-v2', currentRevision: 'shop-v1' })
  const bad = report({
    service: 'cart',
    result: 'rolled-back',
    reason: '<img src=x> | *bold*',
    candidateRevision: 'cart-v2',
    currentRevision: 'cart-v1'
  })
  const rows = [
    resultRow({ wave: 'stg', cluster: 'a' }, good),
    resultRow({ wave: 'stg', cluster: 'a' }, bad)
  ]
  const page = renderPipelineSummary({
    result: 'rolled-back',
    rows,
    ran: [
      { row: rows[0], outcome: good },
      { row: rows[1], outcome: bad }
    ]
  })
  test('the heading has the worst result and the count; the table comes before the details', () => {
    expect(page.split('\n')[0]).toBe('## ↩️ Rolled back: 2 rollouts (1 rolled-back, 1 promoted)')
    expect(page).toContain('| Wave | Cluster | Service | Result | Revision | Previous | Reason |')
    expect(page.indexOf('| stg | a | cart (default)')).toBeLessThan(
      page.indexOf('### ↩️ Rolled back: cart in default in stg / a')
    )
  })
  test('untrusted text is escaped in the table', () => {
    expect(page).toContain('&lt;img src=x&gt; \\| \\*bold\\*')
    expect(page).not.toContain('<img')
  })
  test('a pipeline that failed before any rollout says why, not an empty table', () => {
    const none = renderPipelineSummary({
      result: 'failed',
      rows: [],
      ran: [],
      reason: 'wave eu: cannot fetch branch <deploy/eu>'
    })
    expect(none).toBe(
      '## ❌ Failed: no rollout started\n\nwave eu: cannot fetch branch &lt;deploy/eu&gt;\n'
    )
  })
  test('without waves the table has no wave or cluster column', () => {
    const plain = [resultRow({}, good)]
    expect(renderPipelineSummary({ result: 'promoted', rows: plain, ran: [] })).toContain(
      '| Service | Result | Revision | Previous | Reason |'
    )
  })
})
