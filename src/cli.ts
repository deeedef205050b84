// The terminal entry (bundled to dist/cli.js, `knative-rollout`): the action's engine with
// the action's input names as --flags. Progress goes to stderr, the outputs as one JSON line
// to stdout. Exit status: 0 promoted / paused / aborted / unchanged / status, 1 rolled back
// or failed, 2 for a bad command line.

import { pathToFileURL } from 'node:url'
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import module from 'node:module'
import { COMMANDS, INPUT_NAMES, InputError, parseInputs, secretValues } from './inputs.js'
import { terminalLogger } from './log.js'
import { wallClock } from './clock.js'
import { exitCodeFor } from './rollout/result.js'
import { progressView } from './report/terminal-view.js'
import { formatCliOutputs, toOutputs } from './report/outputs.js'

export const USAGE = `Usage: knative-rollout <command> [--<input> <value> ...]

Commands: ${COMMANDS.join(', ')}
  rollout   create a candidate revision at 0%, step its traffic while probing it, then promote or roll back
  promote   continue a paused rollout (with analysis), to 100%
  abort     put a paused rollout's traffic back on the current revision
  status    print the rollout state kept on the Service
  preview   create the candidate at 0%, reachable on its tag URL only

Inputs are the action's (action.yml), as flags: --service shop --image ghcr.io/acme/shop:1.2
--steps 10,25,50,100 --step-interval 30s --pause-at 25 --dry-run --wait-for-lock ...
The cluster comes from --kubeconfig (a file or its content), else KUBECONFIG or ~/.kube/config.
Several Services: --manifest 'deploy/*.yaml' (quoted), or --service a,b for promote, abort,
status; --waves for stages of clusters (docs/pipelines.md). Outputs then carry "results".

Exit status: 0 promoted, paused, aborted, unchanged, status; 1 rolled back or failed; 2 bad usage.
Outputs are printed to stdout as one JSON line.`

/** A flag given without a value means "true" (--dry-run, --wait-for-lock). */
export function parseArgs(argv: readonly string[]): {
  command?: string
  flags: Map<string, string>
  help: boolean
} {
  const flags = new Map<string, string>()
  let command: string | undefined
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--help' || arg === '-h') {
      help = true
    } else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2)
      if (!INPUT_NAMES.includes(name) || name === 'command')
        throw new InputError([`--${name}: not an input; see --help`])
      if (eq > 0) flags.set(name, arg.slice(eq + 1))
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags.set(name, argv[++i])
      else flags.set(name, 'true')
    } else if (command === undefined) {
      command = arg
    } else {
      throw new InputError([`unexpected argument "${arg}"; see --help`])
    }
  }
  return { command, flags, help }
}

export async function cli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env
): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs(argv)
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`)
    return 2
  }
  if (parsed.help || !parsed.command) {
    process.stdout.write(USAGE + '\n')
    return parsed.help ? 0 : 2
  }
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
    process.stderr.write(`${(err as Error).message}\n`)
    return 2
  }
  // A status block redrawn in place on a terminal, timestamped lines elsewhere.
  const view = await progressView({ stream: process.stderr, env, secrets, now: wallClock.now })
  const log = terminalLogger({
    secrets,
    verbose: env.KNATIVE_ROLLOUT_VERBOSE === '1',
    write: view.line
  })

  // The engine puts the traffic back on a signal; the exit status then says which one
  // (128 + its number, as a shell reports it), so `rollout ... && next` stops there.
  const cancel = new AbortController()
  let signalled: number | undefined
  const onSignal = (signal: string, code: number) => () => {
    signalled ??= code
    cancel.abort(new Error(`${signal} received`))
  }
  process.once('SIGINT', onSignal('SIGINT', 130))
  process.once('SIGTERM', onSignal('SIGTERM', 143))

  // Loaded when used (issue 10: start-up): `status` needs neither the builders nor, until
  // the arguments are good, the engine and the Kubernetes client.
  const options = inputs.build
  const build = options
    ? async () => {
        const [{ buildAndPush }, { spawnCommand }] = await Promise.all([
          import('./build/build-and-push.js'),
          import('./build/command.js')
        ])
        const built = await buildAndPush(options, {
          run: spawnCommand,
          clock: wallClock,
          log: (l) => log.info(l),
          env
        })
        return { image: built.image, digest: built.digest }
      }
    : undefined
  const { runPipeline } = await import('./pipeline/run-pipeline.js')
  const pipeline = await runPipeline(inputs, {
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
  })
  const { outcome } = pipeline
  for (const report of pipeline.reports) view.result(report)
  if (!outcome.reason) log.info(outcome.message)
  const outputs = { ...toOutputs(outcome), results: pipeline.results }
  process.stdout.write(formatCliOutputs(outputs) + '\n')
  return signalled ?? exitCodeFor(outcome)
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
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
      process.exitCode = 1
    }
  )
}

// Run when executed (node dist/cli.js; the bin, bin/knative-rollout.js, calls runCli), not
// when imported by a test.
const invoked =
  process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url
if (invoked) runCli(process.argv.slice(2))
