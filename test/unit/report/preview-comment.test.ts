// The sticky comment of a pull request's preview: what each ending says, and untrusted text
// (a reason from the cluster) unable to ping anyone or plant a link.

import { renderPreviewComment, type PreviewComment } from '../../../src/report/preview-comment.js'
import type { RolloutReport } from '../../../src/report/types.js'

const URL_7 = 'http://pr-7-shop.default.example.com'
const base: RolloutReport = {
  result: 'previewed',
  command: 'preview',
  service: 'shop',
  namespace: 'default',
  traffic: [],
  steps: [],
  candidateRevision: 'shop-pr-7-bbbbbbb',
  candidateUrl: URL_7,
  image: 'registry.local/shop:pr7',
  digest: `sha256:${'0'.repeat(64)}`
}
const comment: PreviewComment = {
  pullRequest: 7,
  tag: 'pr-7',
  runUrl: 'https://github.com/acme/shop/actions/runs/11/attempts/1',
  sha: 'b'.repeat(40),
  cleanup: false
}

test.each<{
  name: string
  report: Partial<RolloutReport> & { message?: string }
  cleanup?: boolean
  has: string[]
  hasNot?: string[]
}>([
  {
    name: 'ready: the URL as a link, the revision, the image by digest',
    report: {},
    has: [
      '### 🔎 Preview of `shop` in `default` is ready',
      `- **URL:** ${URL_7}`,
      '- **Revision:** `shop-pr-7-bbbbbbb` on the tag `pr-7`',
      `- **Image:** \`registry.local/shop:pr7@sha256:${'0'.repeat(64)}\``,
      '<sub>Updated by https://github.com/acme/shop/actions/runs/11/attempts/1 for `bbbbbbbbbbbb`.</sub>'
    ],
    hasNot: ['Reason']
  },
  {
    name: 'failed: the reason, no URL',
    report: {
      result: 'failed',
      candidateUrl: undefined,
      reason: 'preview pr-7: shop-pr-7-bbbbbbb did not become ready: ExitCode1'
    },
    has: [
      '### ❌ Preview of `shop` in `default` failed',
      '> **Reason:** preview pr-7: shop-pr-7-bbbbbbb did not become ready: ExitCode1',
      '- **Production:** unchanged.'
    ],
    hasNot: ['**URL:**']
  },
  {
    name: 'removed on cleanup',
    report: { result: 'aborted', candidateUrl: undefined },
    cleanup: true,
    has: [
      '### 🧹 Preview of `shop` in `default` removed',
      'The tag `pr-7` (`shop-pr-7-bbbbbbb`) is gone with pull request #7;'
    ]
  },
  {
    name: 'a cleanup that failed says so',
    report: { result: 'failed', reason: 'the API answered 403' },
    cleanup: true,
    has: [
      '### ❌ Preview of `shop` in `default`: its removal failed',
      '> **Reason:** the API answered 403'
    ],
    hasNot: ['removed\n']
  },
  {
    name: 'an untrusted reason pings no one and plants no link',
    report: {
      result: 'failed',
      reason: 'failed: ask @octocat at https://evil.example/x or [here](https://evil.example)'
    },
    has: ['@\u200boctocat', 'https:\u200b//evil.example/x', '\\[here\\]'],
    hasNot: ['@octocat', 'https://evil.example', '[here](']
  },
  {
    name: 'a URL that is not plain http(s) is text, not a link',
    report: { candidateUrl: 'javascript:alert(1)//pr-7' },
    has: ['- **URL:** javascript:alert(1)//pr-7'],
    hasNot: ['](javascript']
  },
  {
    name: 'credentials in a URL are redacted',
    report: { result: 'failed', reason: 'GET https://user:secret@registry.local/v2 failed' },
    has: ['Reason'],
    hasNot: ['secret']
  }
])('$name', ({ report, cleanup, has, hasNot = [] }) => {
  const page = renderPreviewComment({ ...base, ...report }, { ...comment, cleanup: !!cleanup })
  for (const text of has) expect(page).toContain(text)
  for (const text of hasNot) expect(page).not.toContain(text)
})
