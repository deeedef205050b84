// The terminal entry (bundled to dist/cli.js, `knative-rollout`): the action's engine with
// the action's input names as --flags (parsed in cli/args.ts, the help in cli/help.ts).
// Progress goes to stderr, the outputs to stdout (one JSON line, or as -o says: cli/output.ts).
// Exit status: 0 promoted / paused / aborted / unchanged / status, 1 rolled back or failed,
// 2 for a bad command line.

import { pathToFileURL } from 'node:url'
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import module from 'node:module'
import { parseInputs, secretValues } from './inputs.js'
import type { RunDeps } from './run.js'
import { terminalLogger, type Logger } from './log.js'
import type { BuildOptions } from './build/options.js'
import { wallClock } from './clock.js'
import { cancelOnSignals } from './cancel-on-signals.js'
import { exitCodeFor, type RunOutcome } from './rollout/result.js'
import { progressView } from './report/terminal-view.js'
import { commandLine } from './cli/command-line.js'
import { formatResult, watchPrinter } from './cli/output.js'
import { watchStatus } from './cli/watch-status.js'
import { redact, redactUrlCredentials } from './report/redact.js'
import { escapeLogLines } from './report/untrusted.js'

/** Files beside the bundle: src/cli.ts and dist/cli.js are both one level below the root. */
const packageFile = (name: string): URL => new URL(`../${name}`, import.meta.url)

export async function cli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env
): Promise<number> {
  const parsed = commandLine(argv, (name) => readFileSync(packageFile(name), 'utf8'))
  if (typeof parsed === 'number') return parsed
  const get = (name: string): string | undefined => {
    if (name === 'command') return parsed.command
    const value = parsed.flags.get(name)
    // On a terminal --kubeconfig may name a file; the action's input is the content.
    if (name === 'kubeconfig' && value && !value.includes('\n') && existsSync(value)) {
      return readFileSync(value, 'utf8')
    }
    return value
  }
  const secrets = secretValues(get, env)
  let inputs
  try {
    inputs = parseInputs(get)
  } catch (err) {
    // A run: step's stderr is read for workflow commands too, and nothing masks it here.
    process.stderr.write(`${escapeLogLines(redact((err as Error).message, secrets))}\n`)
    return 2
  }
  // A status block redrawn in place on a terminal, timestamped lines elsewhere.
  const view = await progressView({ stream: process.stderr, env, secrets, now: wallClock.now })
  const log = terminalLogger({
    secrets,
    verbose: env.KNATIVE_ROLLOUT_VERBOSE === '1',
    write: view.line
  })

  const cancel = cancelOnSignals('first')

  // Loaded when used (issue 10: start-up): `status` needs neither the builders nor, until
  // the arguments are good, the engine and the Kubernetes client.
  const options = inputs.build
  const build = options && (() => buildAndPush(options, log, env))
  const [{ run }, { runPipeline }] = await Promise.all([
    import('./run.js'),
    import('./pipeline/run-pipeline.js')
  ])
  const runDeps: RunDeps = {
    clock: wallClock,
    log,
    env,
    signal: cancel.signal,
    build,
    // The logger and the progress lines redact from this same list: the credentials a
    // kubeconfig plugin hands back, and a cluster's kubeconfig read from a variable or file.
    onSecret: (secret) => secrets.push(secret),
    onStep: view.step,
    onProgress: view.progress
  }
  const render = (o: RunOutcome, results?: unknown) => formatResult(o, parsed.output, results)
  if (parsed.watch) {
    const watched = await watchStatus({
      // One client for every read and watch, made as run.ts makes its own.
      client: async () => (await import('./knative/client-for.js')).clientFor(inputs, runDeps),
      status: (client) => run(inputs, { ...runDeps, client }),
      render: (o) => render(o),
      write: watchPrinter(parsed.output, (text) => process.stdout.write(text)),
      signal: cancel.signal
    })
    view.result(watched)
    return cancel.exitCode() ?? exitCodeFor(watched)
  }
  const pipeline = await runPipeline(inputs, runDeps)
  const { outcome } = pipeline
  for (const report of pipeline.reports) view.result(report)
  if (!outcome.reason) log.info(outcome.message)
  process.stdout.write(render(outcome, pipeline.results) + '\n')
  return cancel.exitCode() ?? exitCodeFor(outcome)
}

/** The build, loaded when one runs: `status` needs none of the builders. */
async function buildAndPush(options: BuildOptions, log: Logger, env: NodeJS.ProcessEnv) {
  const [build, { spawnCommand }] = await Promise.all([
    import('./build/build-and-push.js'),
    import('./build/command.js')
  ])
  const built = await build.buildAndPush(options, {
    run: spawnCommand,
    clock: wallClock,
    log: (l) => log.info(l),
    env
  })
  return { image: built.image, digest: built.digest }
}

/** Runs the CLI as a process: its exit code, and any unexpected error as one line. */
export function runCli(argv: string[]): void {
  // A terminal runs the CLI again and again: Node keeps the compiled code of what cli()
  // imports (the engine, client-node) in its cache directory (os.tmpdir()), so later runs
  // skip compiling it (NODE_DISABLE_COMPILE_CACHE=1 turns it off). Node >= 22.1.
  module.enableCompileCache?.()
  cli(argv).then(
    (code) => {
      process.exitCode = code
    },
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err)
      process.stderr.write(`${escapeLogLines(redactUrlCredentials(message))}\n`)
      process.exitCode = 1
    }
  )
}

// Run when executed (node dist/cli.js; the bin, bin/knative-rollout.js, calls runCli), not
// when imported by a test.
const invoked =
  process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url
if (invoked) runCli(process.argv.slice(2))
