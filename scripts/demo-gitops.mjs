// `npm run demo -- --gitops`: traffic-owner git end to end. A bare git repository on disk, a
// STAND-IN for Flux's kustomize-controller (dist/flux-standin.js) that applies it to the
// emulator every 500 ms, and the CLI, which only commits: a healthy release promoted through
// one commit per step, then a bad template merged to git and rolled back by a commit. Ends
// with `git log --oneline` of the manifest.
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ask, bold, firstLine, rollout, startDemo } from './demo-kit.mjs'

const demo = await startDemo('gitops')
const remote = join(demo.dir, 'fleet.git')
const checkout = join(demo.dir, 'checkout')
const PATH = 'apps/helloworld.yaml'
const git = (cwd, ...args) =>
  execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  }).trim()

const manifest = (target, errorRate) =>
  [
    '# helloworld, applied by Flux from this repository',
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    '  name: helloworld',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - image: docker.io/acme/helloworld:v1',
    '          env:',
    '            - name: TARGET',
    `              value: "${target}"`,
    ...(errorRate
      ? ['            - name: EMULATOR_ERROR_RATE', `              value: "${errorRate}"`]
      : []),
    ''
  ].join('\n')

git(demo.dir, 'init', '--quiet', '--bare', '--initial-branch=main', remote)
git(demo.dir, 'clone', '--quiet', remote, checkout)
git(checkout, 'checkout', '--quiet', '-b', 'main')
mkdirSync(join(checkout, 'apps'))
writeFileSync(join(checkout, PATH), manifest('v1'))
git(checkout, 'add', PATH)
git(checkout, 'commit', '--quiet', '-m', 'helloworld v1')
git(checkout, 'push', '--quiet', 'origin', 'main')

const flux = spawn(
  process.execPath,
  [
    'dist/flux-standin.js',
    '--repo',
    remote,
    '--kubeconfig',
    demo.kubeconfig,
    '--path',
    'apps',
    '--interval',
    '500ms'
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] }
)
demo.children.push(flux)
await firstLine(flux, 'the Flux stand-in')
console.log(bold(`Flux stand-in: applies ${PATH} from ${remote} every 500 ms`))

const HOST = 'helloworld.default.example.com'
for (let i = 0; i < 100 && !(await ask(demo, HOST).catch(() => '')).startsWith('200'); i++)
  await sleep(100)
console.log(`curl -H "Host: ${HOST}" → ${await ask(demo, HOST)}`)

const common = [
  '--traffic-owner',
  'git',
  '--manifest',
  PATH,
  '--ingress-address',
  demo.ingress,
  '--steps',
  '20,60,100',
  '--step-interval',
  '3s',
  '--probe-rps',
  '25',
  '--sync-timeout',
  '30s'
]
const healthy = await rollout(
  demo,
  '1. A healthy release, moved only by commits (the CLI never writes the cluster)',
  [
    'rollout',
    '--image',
    'docker.io/acme/helloworld:v2',
    '--revision-name',
    'helloworld-v2',
    ...common
  ],
  checkout
)
console.log(`curl -H "Host: ${HOST}" → ${await ask(demo, HOST)}`)

// The usual GitOps merge: a new template in git, the traffic still pinned to the current.
git(checkout, 'pull', '--quiet', 'origin', 'main')
const merged = git(checkout, 'show', `HEAD:${PATH}`)
  .replace('name: helloworld-v2', 'name: helloworld-v3')
  .replace(
    'value: "v1"',
    'value: "v3"\n            - name: EMULATOR_ERROR_RATE\n              value: "0.2"'
  )
writeFileSync(join(checkout, PATH), merged)
git(checkout, 'commit', '--quiet', '-am', 'helloworld v3 (20% of its requests fail)')
git(checkout, 'push', '--quiet', 'origin', 'main')
const bad = await rollout(
  demo,
  '2. A bad template merged to git: the revision it made is the candidate, rolled back by a commit',
  ['rollout', ...common],
  checkout
)
console.log(`curl -H "Host: ${HOST}" → ${await ask(demo, HOST)}`)

git(checkout, 'pull', '--quiet', 'origin', 'main')
console.log(
  `\n${bold(`$ git log --oneline -- ${PATH}`)}\n${git(checkout, 'log', '--oneline', '--', PATH)}`
)
const ok =
  healthy.outputs.result === 'promoted' && bad.outputs.result === 'rolled-back' && bad.code !== 0
console.log(
  `\n${bold(ok ? 'GitOps demo finished as expected: v2 promoted and v3 rolled back, by commits.' : 'GitOps demo did NOT end as expected.')}`
)
process.exitCode = ok ? 0 : 1
