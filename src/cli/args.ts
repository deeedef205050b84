// The command line, parsed (pure): `knative-rollout <command> [--<input> <value> ...]`, the
// action's input names as long flags, and kubectl's habits: `-n` for --namespace, `-o
// json|yaml|text`, `-w` / `--watch` for status, `-h` / `--help`, `--version`. A mistake is an
// InputError naming the flag and, when one is close, the flag that was meant.

import { COMMANDS, INPUTS, InputError } from '../inputs.js'
import { closest } from './suggest.js'

export const OUTPUT_FORMATS = ['json', 'yaml', 'text'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

export interface ParsedArgs {
  /** The first positional argument; checked against COMMANDS (with a suggestion). */
  command?: string
  /** Inputs given, by action.yml name; the last of a repeated flag wins, as in kubectl. */
  flags: Map<string, string>
  help: boolean
  version: boolean
  output: OutputFormat
  watch: boolean
}

/** The flags only the terminal has (the rest are action.yml's inputs). */
export const CLI_FLAGS = ['help', 'version', 'output', 'watch'] as const

/** Short flags: kubectl's -n, -o, -w and -h. */
const SHORT: Record<string, string> = { n: 'namespace', o: 'output', w: 'watch', h: 'help' }

/** An input whose default is true or false: given alone it means true (`--dry-run`). */
const BOOLEAN_INPUTS = new Set(
  INPUTS.filter((i) => i.default === 'true' || i.default === 'false').map((i) => i.name)
)
const INPUT_FLAGS = INPUTS.map((i) => i.name).filter((name) => name !== 'command')
const VALUE_FLAGS = new Set([...INPUT_FLAGS.filter((n) => !BOOLEAN_INPUTS.has(n)), 'output'])
const SWITCHES = new Set([...BOOLEAN_INPUTS, 'watch'])

const isCommand = (word: string): boolean =>
  (COMMANDS as readonly string[]).includes(word) || word === 'help'

/** A word that is a flag rather than a value: `--x`, or `-` and a letter (`-5` is a value). */
const isFlag = (arg: string): boolean => arg.startsWith('--') || /^-[A-Za-z]/.test(arg)

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags = new Map<string, string>()
  const positional: string[] = []
  const out: ParsedArgs = { flags, help: false, version: false, output: 'json', watch: false }
  const set = (name: string, value: string, shown: string): void => {
    if (name === 'help') out.help = true
    else if (name === 'version') out.version = true
    else if (name === 'watch') out.watch = bool(shown, value)
    else if (name === 'output') out.output = outputFormat(shown, value)
    else flags.set(name, value)
  }

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!isFlag(arg)) {
      positional.push(arg)
      continue
    }
    const { name, shown, inline } = splitFlag(arg)
    if (name === 'help' || name === 'version') {
      set(name, 'true', shown)
    } else if (SWITCHES.has(name)) {
      // Alone it means true; a following word that is neither a flag nor a command is its
      // value, so `--dry-run maybe` is reported as a bad boolean, not a stray argument.
      const next = argv[i + 1]
      const takes = next !== undefined && !isFlag(next) && !isCommand(next)
      set(name, inline ?? (takes ? argv[++i] : 'true'), shown)
    } else if (VALUE_FLAGS.has(name)) {
      let value = inline
      if (value === undefined) {
        if (i + 1 >= argv.length || isFlag(argv[i + 1])) throw usage(needsValue(shown, name))
        value = argv[++i]
      }
      set(name, value, shown)
    } else {
      throw usage(unknownFlag(shown, name, positional[0]))
    }
  }

  if (positional[0] === 'help') {
    // `knative-rollout help [command]`, as kubectl and git have it.
    out.help = true
    positional.shift()
  }
  if (positional.length > 1)
    throw usage(
      `unexpected argument "${positional[1]}"; the command comes first, then --flags (knative-rollout --help)`
    )
  out.command = positional[0]
  if (out.command !== undefined && !(COMMANDS as readonly string[]).includes(out.command)) {
    const near = closest(out.command, COMMANDS)
    throw usage(
      `command: "${out.command}" is not a command;${near ? ` did you mean ${near}?` : ''} use one of ${COMMANDS.join(', ')}`
    )
  }
  if (out.watch && out.command !== undefined && out.command !== 'status' && !out.help)
    throw usage(`--watch: only with status (knative-rollout status --watch --service NAME)`)
  return out
}

/** `--name=value`, `--name`, `-n value`, `-n=value`, and `-ojson` as kubectl takes it. */
function splitFlag(arg: string): { name: string; shown: string; inline?: string } {
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=')
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2)
    return { name, shown: `--${name}`, inline: eq > 0 ? arg.slice(eq + 1) : undefined }
  }
  const letter = arg[1]
  const rest = arg.slice(2)
  const name = SHORT[letter] ?? `-${letter}`
  const inline = rest === '' ? undefined : rest.startsWith('=') ? rest.slice(1) : rest
  return { name, shown: `-${letter}`, inline }
}

function unknownFlag(shown: string, name: string, command: string | undefined): string {
  const help = `knative-rollout ${command && command !== 'help' ? `${command} ` : ''}--help`
  if (name === 'command')
    return `--command: not an input on the command line; the command is the first argument, e.g. knative-rollout promote --service shop`
  if (!shown.startsWith('--'))
    return `${shown}: not a flag; the short flags are -n (--namespace), -o (--output), -w (--watch) and -h (--help); see ${help}`
  const near = closest(name, [...INPUT_FLAGS, ...CLI_FLAGS])
  return `${shown}: not an input;${near ? ` did you mean --${near}?` : ''} see ${help}`
}

function needsValue(shown: string, name: string): string {
  const example = name === 'output' ? 'json' : INPUTS.find((i) => i.name === name)?.default
  return `${shown}: needs a value${example && !example.includes('${{') ? `, e.g. ${shown} ${example}` : ''}`
}

function outputFormat(shown: string, value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat
  throw usage(`${shown}: "${value}" is not an output format; use ${OUTPUT_FORMATS.join(', ')}`)
}

function bool(shown: string, value: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true'
  throw usage(`${shown}: "${value}" is not a boolean; use true or false`)
}

const usage = (message: string): InputError => new InputError([message])
