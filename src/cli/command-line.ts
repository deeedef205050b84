// The command line's first answer: the parsed flags, or, when it ends there, the exit code
// after printing the help (stdout, 0), the version (stdout, 0) or a usage error (stderr, 2).
// `read` gives the package's own files (package.json, action.yml) beside the bundle.

import { INPUT_NAMES, type Command } from '../inputs.js'
import { inputDocs } from './action-metadata.js'
import { parseArgs, type ParsedArgs } from './args.js'
import { USAGE, commandHelp } from './help.js'
import { escapeLogLines } from '../report/untrusted.js'

/** `--help`, `<command> --help`, `--version`: what to print on stdout. */
function helpText(parsed: ParsedArgs, read: (file: string) => string): string {
  if (parsed.version) {
    const { version } = JSON.parse(read('package.json'))
    return `knative-rollout ${version}`
  }
  if (!parsed.command) return USAGE
  let docs
  try {
    docs = inputDocs(read('action.yml'))
  } catch {
    docs = undefined // names and defaults only
  }
  return commandHelp(parsed.command as Command, docs, INPUT_NAMES, process.stdout.columns || 100)
}

/** The command line, or the exit code when it ends there: help, version, a usage error. */
export function commandLine(
  argv: readonly string[],
  read: (file: string) => string
): ParsedArgs | number {
  let parsed: ParsedArgs
  try {
    parsed = parseArgs(argv)
  } catch (err) {
    // The message quotes the argument: a run: step's stderr is read for workflow commands.
    process.stderr.write(`${escapeLogLines((err as Error).message)}\n`)
    return 2
  }
  if (parsed.help || parsed.version) {
    process.stdout.write(helpText(parsed, read) + '\n')
    return 0
  }
  if (!parsed.command) {
    // Bare `knative-rollout`: a usage error, so the usage goes where errors go.
    process.stderr.write(USAGE + '\n')
    return 2
  }
  return parsed
}
