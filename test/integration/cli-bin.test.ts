// The `knative-rollout` bin as a user's shell runs it: on Node 22+ it is the CLI; on an
// older Node it says which version it needs instead of crashing inside a dependency.

import { execFileSync, spawnSync } from 'node:child_process'

const BIN = 'bin/knative-rollout.js'

/** The machine's own Node (this project's tests run on the npm `node` package instead). */
function systemNode(): { path: string; major: number } | undefined {
  for (const path of ['/usr/bin/node', '/usr/local/bin/node']) {
    try {
      const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim()
      return { path, major: Number(version.replace(/^v/, '').split('.')[0]) }
    } catch {
      // not installed there
    }
  }
  return undefined
}

test('on this Node (24): --help prints the usage, exit 0', () => {
  const run = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' })
  expect(run.status).toBe(0)
  expect(run.stdout).toMatch(/^Usage: knative-rollout/m)
})

test('on this Node (24): a bad flag is the CLI’s own message, exit non-zero', () => {
  const run = spawnSync(process.execPath, [BIN, 'rollout', '--colour', 'red'], {
    encoding: 'utf8'
  })
  expect(run.status).not.toBe(0)
  expect(run.stderr).toContain('--colour: not an input; see --help')
})

const old = systemNode()
const onOldNode = old && old.major < 22 ? test : test.skip
onOldNode(
  `on the machine's Node ${old?.major ?? '(none older than 22)'}: says it needs 22, exit 1`,
  () => {
    const run = spawnSync(old!.path, [BIN, '--help'], { encoding: 'utf8' })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(
      /^knative-rollout needs Node\.js 22 or newer; this is Node\.js 2?\d\./
    )
    expect(run.stderr).not.toMatch(/TypeError|at file:/)
  }
)
