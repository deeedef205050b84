#!/usr/bin/env node
// `npm test`: the whole gate, in the order a failure is cheapest to read.
// 1. the real tools the tests drive  2. types  3. dist/ matches the sources  4. jest.
// Runs on the Node from node_modules (the npm `node` package, v24), which npm puts first
// on PATH for scripts, whatever Node the machine has.
import { spawnSync } from 'node:child_process'

const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  console.error(
    `npm test must run on Node 24 (found ${process.version}). Run it through npm after \`npm ci\`.`
  )
  process.exit(1)
}

const steps = [
  ['prerequisites', ['scripts/prereqs.mjs']],
  ['typecheck', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['dist is current', ['scripts/check-dist.mjs']],
  [
    'jest',
    [
      '--experimental-vm-modules',
      'node_modules/jest/bin/jest.js',
      '--maxWorkers=2',
      ...process.argv.slice(2)
    ]
  ]
]

for (const [name, args] of steps) {
  console.log(`\n== ${name}`)
  const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' })
  if (status !== 0) {
    console.error(`\n${name} failed (exit ${status}).`)
    process.exit(status || 1)
  }
}
