// The hostile catalogue: text from every untrusted source (apps, webhooks, Prometheus, plugins,
// annotations, manifests) in every shape that could end a line or start a workflow command,
// sent through every sink that prints or stores it: the action's log (core.info and the
// toolkit's own commands), the CLI's terminal lines, the step and result lines, the job
// summary, the PR comment, the outputs, the stored reason and the reachability message. The
// runner's reading of the output (test/helpers/workflow-commands.ts) must find no command the
// text planted, and the sink must still show the text's words.

import * as core from '@actions/core'
import { judgeReachability } from '../../../src/analysis/reachability.js'
import { terminalLogger } from '../../../src/log.js'
import { actionsLogger, annotateResult } from '../../../src/report/actions-log.js'
import { formatResultLine, formatStepLine } from '../../../src/report/cli-progress.js'
import { toOutputs } from '../../../src/report/outputs.js'
import { renderSummary } from '../../../src/report/summary.js'
import type { RolloutReport } from '../../../src/report/types.js'
import { escapeForComment } from '../../../src/report/untrusted.js'
import { readState, STATE_PREFIX, writeState } from '../../../src/rollout/state.js'
import type { KService } from '../../../src/knative/types.js'
import { workflowCommands } from '../../helpers/workflow-commands.js'

/** Each row: where such text comes from, and the text. Every one carries the word PWNED. */
const HOSTILE: { name: string; text: string }[] = [
  {
    name: 'termination message: error annotation after LF',
    text: 'exit 1\n::error title=Deployed OK::PWNED'
  },
  { name: 'termination message: add-mask after CRLF', text: 'oom\r\n::add-mask::PWNED' },
  { name: 'termination message: bare CR', text: 'crash\r::warning::PWNED' },
  { name: 'webhook body: stop-commands', text: '::stop-commands::PWNED\n::error::hidden' },
  {
    name: 'webhook body: stop-commands resumed',
    text: 'ok\n::stop-commands::tok\n::error::x\n::tok::PWNED'
  },
  { name: 'webhook body: leading spaces', text: 'a\n    ::error::PWNED' },
  { name: 'webhook body: leading tab', text: 'a\n\t::error::PWNED' },
  { name: 'webhook body: no-break space', text: 'a\n\u00a0::error::PWNED' },
  { name: 'webhook body: U+0085 next line', text: 'a\u0085::error::PWNED' },
  { name: 'webhook body: U+180E before the command', text: 'a\n\u180e::error::PWNED' },
  { name: 'webhook body: U+2028 line separator', text: 'a\u2028::notice::PWNED' },
  { name: 'webhook body: U+2029 paragraph separator', text: 'a\u2029::notice::PWNED' },
  { name: 'Prometheus error: legacy ##[error]', text: 'bad query\n##[error]PWNED' },
  {
    name: 'Prometheus error: legacy ##[set-output]',
    text: 'x\n##[set-output name=revision;]PWNED'
  },
  { name: 'Prometheus error: at the very start', text: '::error file=x,line=1::PWNED' },
  {
    name: 'Prometheus error: JSON-quoted newline',
    text: '{"error":"parse\\n::error::x"}\n::error::PWNED'
  },
  {
    name: 'kubeconfig exec stderr: set-output',
    text: 'exec failed\n::set-output name=revision::PWNED'
  },
  {
    name: 'kubeconfig exec stderr: save-state',
    text: 'exec failed\n::save-state name=target::PWNED'
  },
  { name: 'kubeconfig exec stderr: echo on', text: 'x\n::echo::on\nPWNED' },
  { name: 'kubeconfig exec stderr: group', text: 'x\n::group::PWNED\n::endgroup::' },
  { name: 'annotation reason: debug', text: 'rolled back\n::debug::PWNED' },
  { name: 'annotation reason: add-path', text: 'x\n::add-path::/tmp/PWNED' },
  { name: 'annotation reason: already %-encoded', text: 'x%0A::error::PWNED%0D%0A::add-mask::y' },
  { name: 'annotation candidate: NUL and ESC', text: 'shop\u0000\u001b[2J\n::error::PWNED' },
  { name: 'annotation history: C1 controls', text: 'x\u009b31m\u0084::error::PWNED' },
  { name: 'manifest kind: many lines', text: 'Service\n\n\n::error::PWNED\n\n' },
  { name: 'YAML error snippet: caret and command', text: '  1 | kind: x\n    ^\n::error::PWNED' },
  {
    name: 'server Status message: mentions and links',
    text: 'ping @org/admins [PWNED](https://evil.example)'
  },
  { name: 'server Status message: HTML', text: '<img src=x onerror=alert(1)> PWNED' },
  { name: 'app body: markdown table breakout', text: 'a | b\n|---|\n| PWNED |' },
  { name: 'app body: expression and shell', text: '${{ secrets.TOKEN }} $(curl evil) `PWNED`' },
  {
    name: 'app body: very long with a command at the end',
    text: `PWNED ${'x'.repeat(5000)}\n::error::owned`
  },
  { name: 'git message: CRLF pairs only', text: '\r\n\r\n::warning::PWNED\r\n' }
]

/** Runs `fn` with process.stdout captured (core.info and workflow commands go there). */
function stdoutOf(fn: () => void): string {
  const original = process.stdout.write.bind(process.stdout)
  let out = ''
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += chunk.toString()
    return true
  }) as typeof process.stdout.write
  try {
    fn()
  } finally {
    process.stdout.write = original
  }
  return out
}

const report = (reason: string): RolloutReport => ({
  result: 'rolled-back',
  command: 'rollout',
  service: 'shop',
  namespace: 'default',
  currentRevision: 'shop-v1',
  candidateRevision: 'shop-v2',
  traffic: [{ revisionName: 'shop-v1', percent: 100, tag: 'current' }],
  steps: [{ percent: 10, verdict: 'fail', reason }],
  reason
})

const names = (out: string) => workflowCommands(out).map((c) => c.name)

test('the catalogue has at least 30 rows, each with its marker', () => {
  expect(HOSTILE.length).toBeGreaterThanOrEqual(30)
  for (const row of HOSTILE) expect(row.text).toContain('PWNED')
})

describe.each(HOSTILE)('$name', ({ text }) => {
  test('the action log: core.info plants no command; warning and error are one each', () => {
    const log = actionsLogger()
    const out = stdoutOf(() => {
      log.info(`webhook answered: ${text}`)
      log.info(text)
    })
    expect(names(out)).toEqual([])
    expect(out).toContain('PWNED')
    expect(names(stdoutOf(() => log.warn(text)))).toEqual(['warning'])
    expect(names(stdoutOf(() => log.error(text)))).toEqual(['error'])
  })

  test('the failure annotation is one error command', () => {
    const out = stdoutOf(() => annotateResult(report(text)))
    expect(names(out)).toEqual(['error'])
  })

  test('the terminal logger (a `run:` step reads stderr too) and the progress lines', () => {
    const lines: string[] = []
    const log = terminalLogger({ write: (l) => lines.push(l) })
    log.info(text)
    log.warn(`probe failed: ${text}`)
    lines.push(formatStepLine(report(text).steps[0]), formatResultLine(report(text)))
    expect(names(lines.join('\n'))).toEqual([])
    expect(lines.every((l) => l.includes('PWNED'))).toBe(true)
  })

  test('the job summary and the PR comment: the text stays inside its line', () => {
    const baseline = renderSummary(report('plain words')).split('\n').length
    for (const page of [
      renderSummary(report(text)),
      renderSummary(report(text), escapeForComment)
    ]) {
      expect(page.split(/\r\n|\r|\n/).length).toBe(baseline)
      expect(names(page)).toEqual([])
      // No live HTML and no link: `<` is an entity, `[` and `]` are backslashed.
      expect(page).not.toMatch(/<img|(?<!\\)\]\(https:/)
      expect(page).toContain('PWNED')
    }
    expect(renderSummary(report(text), escapeForComment)).not.toMatch(/@org|https:\/\//)
  })

  test('the outputs: a hostile revision or URL is refused, never written', () => {
    expect(() => toOutputs({ ...report('x'), candidateRevision: text })).toThrow(
      /refusing to set an output/
    )
    let url: string | undefined
    try {
      url = toOutputs({ ...report('x'), url: text }).url
    } catch (err) {
      expect(String(err)).toMatch(/refusing to set the output url/)
    }
    // eslint-disable-next-line no-control-regex -- control characters are what must be absent
    if (url !== undefined) expect(url).toMatch(/^[^\r\n\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/)
  })

  test('the stored reason: written and read back as one bounded escaped line', () => {
    const svc: KService = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'shop' },
      spec: { template: { spec: { containers: [] } } }
    }
    const state = {
      phase: 'rolled-back' as const,
      current: 'shop-v1',
      percent: 0,
      steps: [10],
      failures: 1,
      history: [],
      reason: text
    }
    const written = writeState(svc, state)
    const stored = written.metadata.annotations![`${STATE_PREFIX}reason`]
    expect(stored).not.toMatch(/[\r\n\u2028\u2029]/)
    expect(stored.length).toBeLessThanOrEqual(1000)
    // Someone else's raw text in the annotation is escaped on the way in, as well.
    const raw = {
      ...written,
      metadata: {
        ...written.metadata,
        annotations: { ...written.metadata.annotations, [`${STATE_PREFIX}reason`]: text }
      }
    }
    expect(names(readState(raw)!.reason!)).toEqual([])
  })

  test('the reachability message: one line that names the network error', () => {
    const r = judgeReachability('http://current-shop.default.example.com', [
      { status: 0, error: text }
    ])
    expect(r.reachable).toBe(false)
    if (r.reachable) return
    expect(r.message).not.toMatch(/[\r\n\u2028\u2029\u0085]/)
    expect(names(r.message)).toEqual([])
  })
})

test('the toolkit %-escapes what it issues: the annotation keeps the text as data', () => {
  const out = stdoutOf(() => core.warning('a\r\n::error::PWNED%'))
  expect(out).toBe('::warning::a%0D%0A::error::PWNED%25\n')
})

test.each([
  ['info', (m: string) => actionsLogger().info(m)],
  ['warning', (m: string) => actionsLogger().warn(m)],
  ['error', (m: string) => actionsLogger().error(m)],
  ['the failure annotation', (m: string) => annotateResult(report(m))]
])("%s: a URL's credentials from a library error are redacted", (_name, sink) => {
  const out = stdoutOf(() => sink('request to https://bot:hunter2@hooks.example/ failed'))
  expect(out).toContain('https://***@hooks.example/')
  expect(out).not.toContain('hunter2')
})
