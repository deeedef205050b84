// One small logger for the whole program: the action logs through @actions/core
// (actionsLogger in report/actions-log.ts, so that the CLI never loads it), the CLI to a terminal.

import { redact } from './report/redact.js'
import { escapeLogLines } from './report/untrusted.js'

export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
  /** Runs `fn` inside a collapsible group (the action) or under a heading (the CLI). */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
  /**
   * From here on the lines belong to the phase `title` (build, candidate, a step, promote or
   * roll back): a collapsible group of the Actions log that ends where the next begins, a
   * heading on a terminal. Optional: a logger without phases just goes on.
   */
  phase?(title: string): void
}

export interface TerminalLoggerOptions {
  /** Where lines go; stderr by default so stdout stays the CLI's JSON result. */
  write?: (line: string) => void
  verbose?: boolean
  /** Removed from every line: there is no runner masking on a terminal. */
  secrets?: readonly (string | undefined)[]
}

/**
 * A terminal, or a workflow's `run:` step: the runner reads commands from stderr as well, so
 * lines are escaped there too.
 */

export function terminalLogger(options: TerminalLoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'))
  const secrets = options.secrets ?? []
  const out = (prefix: string, m: string): void =>
    write(escapeLogLines(redact(prefix + m, secrets)))
  let phase: string | undefined
  return {
    debug: (m) => {
      if (options.verbose) out('debug: ', m)
    },
    info: (m) => out('', m),
    warn: (m) => out('warning: ', m),
    error: (m) => out('error: ', m),
    async group(name, fn) {
      out('== ', name)
      return fn()
    },
    phase(title) {
      if (title !== phase) out('== ', title)
      phase = title
    }
  }
}
