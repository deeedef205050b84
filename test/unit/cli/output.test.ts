// -o text: the result for people, one `key: value` line each, untrusted text escaped.

import { formatResult, watchPrinter } from '../../../src/cli/output.js'
import type { RolloutReport } from '../../../src/report/types.js'

const DIGEST = `sha256:${'ab'.repeat(32)}`
const base: RolloutReport & { message?: string } = {
  result: 'rolled-back',
  command: 'rollout',
  service: 'shop',
  namespace: 'prod',
  currentRevision: 'shop-00001',
  candidateRevision: 'shop-abc',
  image: 'ghcr.io/acme/shop:1.4',
  digest: DIGEST,
  url: 'http://shop.prod.example.com',
  traffic: [
    { revisionName: 'shop-00001', percent: 100, tag: 'current' },
    { revisionName: 'shop-abc', percent: 0, tag: 'candidate' }
  ],
  steps: [],
  reason: 'candidate failed 12 of 50',
  message: 'candidate failed 12 of 50'
}

test('a rollback: every known field, aligned, empty ones left out', async () => {
  expect(formatResult(base, 'text')).toBe(
    [
      'result:    rolled-back',
      'service:   prod/shop',
      'revision:  shop-abc (previous shop-00001)',
      'traffic:   shop-00001 100% (current), shop-abc 0% (candidate)',
      'url:       http://shop.prod.example.com',
      `image:     ghcr.io/acme/shop@${DIGEST}`,
      `digest:    ${DIGEST}`,
      'reason:    candidate failed 12 of 50'
    ].join('\n')
  )
})

test.each([
  [
    'a status message (no reason)',
    { reason: undefined, message: 'shop: paused (candidate shop-abc at 50%)', result: 'paused' },
    'message:   shop: paused (candidate shop-abc at 50%)'
  ],
  ['a dry run says so', { dryRun: true, result: 'promoted' }, 'result:    promoted (dry run)'],
  [
    'a manifest refused before its Service was named: no "prod/" service line',
    { service: '', currentRevision: undefined, candidateRevision: undefined, traffic: [] },
    'result:  rolled-back'
  ],
  [
    'an app’s reason with a line break and a workflow command is one escaped line',
    { reason: 'boom\n::error::pwned' },
    'reason:    boom\\n::error::pwned'
  ]
] as const)('%s', async (_name, change, line) => {
  const text = formatResult({ ...base, ...change } as typeof base, 'text')
  expect(text.split('\n')).toContain(line)
  expect(text).not.toMatch(/^service: +prod\/$/m)
})

test.each([
  ['text: a blank line between blocks', 'text', 'a\nb\n\nc\n'],
  ['yaml: a document marker between documents', 'yaml', 'a\nb\n---\nc\n'],
  ['json: one line each', 'json', 'a\nb\nc\n']
] as const)('status --watch prints %s', (_name, format, expected) => {
  let out = ''
  const print = watchPrinter(format, (t) => (out += t))
  print(format === 'json' ? 'a' : 'a\nb')
  if (format === 'json') print('b')
  print('c')
  expect(out).toBe(expected)
})
