// `flux-standin`: the STAND-IN for Flux's kustomize-controller (controller.ts) as a process,
// for `npm run demo -- --gitops`: it polls a git repository and applies `--path` to the API
// server of `--kubeconfig` until SIGINT / SIGTERM, printing one line per reconcile that did
// something or failed.

import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { parseDuration } from '../../src/duration.js'
import { start } from './controller.js'

const USAGE = `Usage: flux-standin --repo URL --kubeconfig PATH [--branch main] [--path .] [--interval 1s]

A stand-in for Flux's kustomize-controller (not Flux): every interval it server-side applies
the YAML under --path at the branch head, as manager kustomize-controller with force.
`

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      repo: { type: 'string' },
      kubeconfig: { type: 'string' },
      branch: { type: 'string', default: 'main' },
      path: { type: 'string', default: '.' },
      interval: { type: 'string', default: '1s' }
    }
  })
  if (!values.repo || !values.kubeconfig) {
    process.stderr.write(USAGE)
    return 2
  }
  let last = ''
  const standin = await start({
    repoUrl: values.repo,
    branch: values.branch!,
    path: values.path!,
    kubeconfig: readFileSync(values.kubeconfig, 'utf8'),
    intervalMs: parseDuration(values.interval!),
    // Only what changed: a sync of the same commit every interval is not news.
    log: (line) => {
      if (line !== last) process.stderr.write(`flux-standin: ${line}\n`)
      last = line
    }
  })
  process.stdout.write('ready\n')
  await new Promise<void>((done) => {
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
  await standin.stop()
  return 0
}

process.exitCode = await main(process.argv.slice(2))
