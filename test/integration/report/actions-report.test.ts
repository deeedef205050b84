// Outputs, masking, annotations and the job summary through the real @actions/core, which
// writes $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY and workflow commands on stdout.

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { formatCliOutputs, toOutputs } from '../../../src/report/outputs.js'
import {
  annotateResult,
  maskSecrets,
  writeActionOutputs,
  writeJobSummary
} from '../../../src/report/actions-log.js'
import type { RolloutReport } from '../../../src/report/types.js'
import { kubeconfigFor } from '../../helpers/kube-server.js'

const report: RolloutReport = {
  result: 'rolled-back',
  command: 'rollout',
  service: 'hello',
  namespace: 'prod',
  currentRevision: 'hello-00001',
  candidateRevision: 'hello-abc123',
  image: 'registry.example/hello',
  digest: 'sha256:bebebebebebebebebebebebebebebebebebebebebebebebebebebebebebebebe',
  url: 'http://hello.prod.example.com',
  candidateUrl: 'http://candidate-hello.prod.example.com',
  traffic: [
    { revisionName: 'hello-00001', percent: 100, tag: 'current' },
    { revisionName: 'hello-abc123', percent: 0, tag: 'candidate' }
  ],
  steps: [{ percent: 10, verdict: 'fail', reason: 'p99 900 ms > 500 ms' }],
  reason: 'candidate p99 900 ms > 500 ms at 10%'
}

let dir: string
const saved = { ...process.env }
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kr-report-'))
})
afterEach(() => {
  process.env = { ...saved }
  fs.rmSync(dir, { recursive: true, force: true })
})

/** Runs `fn` with process.stdout captured (workflow commands go there). */
async function stdoutOf(fn: () => unknown): Promise<string> {
  const original = process.stdout.write.bind(process.stdout)
  let out = ''
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += chunk.toString()
    return true
  }) as typeof process.stdout.write
  try {
    await fn()
  } finally {
    process.stdout.write = original
  }
  return out
}

/** Parses $GITHUB_OUTPUT's `name<<DELIM\nvalue\nDELIM` records. */
function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {}
  const re = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm
  for (const m of fs.readFileSync(file, 'utf8').matchAll(re)) out[m[1]] = m[3]
  return out
}

describe('outputs', () => {
  test.each([
    {
      name: 'a rollout with a candidate',
      report,
      expected: {
        result: 'rolled-back',
        revision: 'hello-abc123',
        'previous-revision': 'hello-00001',
        digest: 'sha256:bebebebebebebebebebebebebebebebebebebebebebebebebebebebebebebebe'
      }
    },
    {
      name: 'status of a service without a candidate',
      report: { ...report, result: 'unchanged', candidateRevision: undefined } as RolloutReport,
      expected: { result: 'unchanged', revision: 'hello-00001', 'previous-revision': '' }
    },
    {
      name: 'first deploy',
      report: { ...report, result: 'promoted', currentRevision: undefined } as RolloutReport,
      expected: { revision: 'hello-abc123', 'previous-revision': '' }
    }
  ])('$name', ({ report: r, expected }) => {
    expect(toOutputs(r)).toMatchObject(expected)
  })

  test('the action writes every output to $GITHUB_OUTPUT, traffic as JSON', () => {
    const file = path.join(dir, 'output')
    fs.writeFileSync(file, '')
    process.env.GITHUB_OUTPUT = file
    expect(writeActionOutputs(report)).toBe(true)
    const written = readOutputs(file)
    expect(Object.keys(written).sort()).toEqual(
      [
        'candidate-url',
        'commit',
        'digest',
        'image',
        'previous-revision',
        'result',
        'revision',
        'traffic',
        'url'
      ].sort()
    )
    expect(written.result).toBe('rolled-back')
    expect(JSON.parse(written.traffic)).toEqual(report.traffic)
  })

  test('the CLI prints one JSON object', () => {
    const parsed = JSON.parse(formatCliOutputs(toOutputs(report)))
    expect(parsed['candidate-url']).toBe('http://candidate-hello.prod.example.com')
    expect(parsed.traffic).toHaveLength(2)
  })
})

describe('actions logging', () => {
  test('a multi-line secret is masked whole, per line and by its credential values', async () => {
    const kubeconfig = kubeconfigFor('https://10.0.0.1:6443', 'tok-abcdefghijklmnop')
    const out = await stdoutOf(() => maskSecrets([kubeconfig, undefined, 'registry-password']))
    const masks = out
      .split(/\r?\n/)
      .filter((l) => l.startsWith('::add-mask::'))
      .map((l) => l.slice('::add-mask::'.length))
    expect(masks).toContain('tok-abcdefghijklmnop')
    expect(masks).toContain('token: tok-abcdefghijklmnop')
    expect(masks).toContain('registry-password')
    // the whole value is registered too (its newlines escaped by core as %0A)
    expect(masks.some((m) => m.includes('%0A'))).toBe(true)
  })

  test.each([
    {
      name: 'rolled back: an error annotation with the reason',
      result: 'rolled-back',
      annotated: true
    },
    { name: 'failed: an error annotation', result: 'failed', annotated: true },
    { name: 'promoted: no annotation', result: 'promoted', annotated: false },
    { name: 'paused: no annotation', result: 'paused', annotated: false }
  ])('$name', async ({ result, annotated }) => {
    const out = await stdoutOf(() => annotateResult({ ...report, result } as RolloutReport))
    expect(out.includes('::error title=knative-rollout%3A prod/hello')).toBe(annotated)
    if (annotated) expect(out).toContain('candidate p99 900 ms > 500 ms at 10%')
  })

  test('the job summary is appended to $GITHUB_STEP_SUMMARY', async () => {
    const file = path.join(dir, 'summary.md')
    fs.writeFileSync(file, 'earlier step\n')
    process.env.GITHUB_STEP_SUMMARY = file
    await writeJobSummary(report)
    await writeJobSummary({ ...report, result: 'promoted' })
    const md = fs.readFileSync(file, 'utf8')
    expect(md.startsWith('earlier step\n')).toBe(true)
    expect(md).toContain('## ↩️ Rolled back: hello in prod')
    expect(md).toContain('## ✅ Promoted: hello in prod')
    expect(md.match(/## ↩️ Rolled back/g)).toHaveLength(1)
  })

  test('no $GITHUB_STEP_SUMMARY: nothing is written and nothing fails', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await expect(writeJobSummary(report)).resolves.toBeUndefined()
  })
})
