#!/usr/bin/env node
// `npm run demo`: a full progressive rollout on this machine, with no cluster. It starts the
// embedded Knative emulator (dist/emulator.js), then drives the CLI (dist/cli.js) exactly as a
// user would: a first deploy of the tutorial's helloworld, a healthy release (promoted) and a
// bad one (rolled back). Exits 0 when both ended as they should.
import { spawn } from 'node:child_process'
import { get } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const dir = mkdtempSync(join(tmpdir(), 'knative-rollout-demo-'))
const kubeconfig = join(dir, 'kubeconfig')
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)

const emulator = spawn(
  process.execPath,
  ['dist/emulator.js', '--kubeconfig', kubeconfig, '--serve-v1alpha1'],
  {
    stdio: ['ignore', 'pipe', 'inherit']
  }
)
const stop = () => {
  emulator.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
}
process.on('exit', stop)
const ready = JSON.parse(
  await new Promise((resolve, reject) => {
    createInterface({ input: emulator.stdout }).once('line', resolve)
    emulator.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)))
  })
)
console.log(bold(`Knative Serving emulator: API ${ready.api}, ingress ${ready.ingress}`))

/** Runs the CLI as a user would, its progress streaming to this terminal; resolves its outputs. */
function rollout(title, args) {
  console.log(`\n${bold(title)}\n$ knative-rollout ${args.join(' ')}`)
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/cli.js', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, KUBECONFIG: kubeconfig }
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.on('exit', (code) => {
      const outputs = JSON.parse(out.trim().split('\n').pop() || '{}')
      console.log(`exit ${code}: result=${outputs.result} revision=${outputs.revision}`)
      resolve({ code, outputs })
    })
  })
}

/** `curl -H "Host: ..." <ingress>` (fetch may not set Host, so plain node:http). */
function ask(host) {
  return new Promise((resolve, reject) => {
    get(ready.ingress, { headers: { host } }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve(`${res.statusCode} ${body.trim()}`))
    }).on('error', reject)
  })
}

const common = [
  '--ingress-address',
  ready.ingress,
  '--steps',
  '10,50,100',
  '--step-interval',
  '4s',
  '--probe-rps',
  '25'
]
const first = await rollout('1. First deploy: the tutorial manifest (v1alpha1 runLatest)', [
  'rollout',
  '--manifest',
  'examples/demo/helloworld-v1.yaml',
  '--revision-name',
  'helloworld-csharp-v1',
  ...common
])
console.log(
  `curl -H "Host: helloworld-csharp.default.example.com" → ${await ask('helloworld-csharp.default.example.com')}`
)

const healthy = await rollout(
  '2. A healthy release: stepped 10% → 50% → 100%, compared with v1 at each step',
  [
    'rollout',
    '--manifest',
    'examples/demo/helloworld-v2.yaml',
    '--revision-name',
    'helloworld-csharp-v2',
    ...common
  ]
)
console.log(
  `curl -H "Host: helloworld-csharp.default.example.com" → ${await ask('helloworld-csharp.default.example.com')}`
)

const bad = await rollout('3. A bad release (20% of its requests fail): caught and rolled back', [
  'rollout',
  '--manifest',
  'examples/demo/helloworld-v3-bad.yaml',
  '--revision-name',
  'helloworld-csharp-v3',
  ...common
])
console.log(
  `curl -H "Host: helloworld-csharp.default.example.com" → ${await ask('helloworld-csharp.default.example.com')}`
)
console.log(
  `curl -H "Host: candidate-helloworld-csharp.default.example.com" → ${await ask('candidate-helloworld-csharp.default.example.com')} (kept for debugging, no users)`
)

const ok =
  first.outputs.result === 'promoted' &&
  healthy.outputs.result === 'promoted' &&
  healthy.code === 0 &&
  bad.outputs.result === 'rolled-back' &&
  bad.code !== 0
console.log(
  `\n${bold(ok ? 'Demo finished as expected: v2 promoted, v3 rolled back.' : 'Demo did NOT end as expected.')}`
)
process.exit(ok ? 0 : 1)
