#!/usr/bin/env node
// `npm run demo`: a full progressive rollout on this machine, with no cluster. It starts the
// embedded Knative emulator (dist/emulator.js), then drives the CLI (dist/cli.js) exactly as a
// user would: a first deploy of the tutorial's helloworld, a healthy release (promoted) and a
// bad one (rolled back). Exits 0 when both ended as they should.
import { ask, bold, rollout as run, startDemo } from './demo-kit.mjs'

if (process.argv.includes('--gitops')) {
  await import('./demo-gitops.mjs')
  process.exit(process.exitCode ?? 0)
}

const demo = await startDemo('demo')
const rollout = (title, args) => run(demo, title, args)
const host = (h) => ask(demo, h)

const common = [
  '--ingress-address',
  demo.ingress,
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
  `curl -H "Host: helloworld-csharp.default.example.com" → ${await host('helloworld-csharp.default.example.com')}`
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
  `curl -H "Host: helloworld-csharp.default.example.com" → ${await host('helloworld-csharp.default.example.com')}`
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
  `curl -H "Host: helloworld-csharp.default.example.com" → ${await host('helloworld-csharp.default.example.com')}`
)
console.log(
  `curl -H "Host: candidate-helloworld-csharp.default.example.com" → ${await host('candidate-helloworld-csharp.default.example.com')} (kept for debugging, no users)`
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
