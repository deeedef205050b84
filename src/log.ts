// One small logger for the whole program: the action logs through @actions/core (groups,
// annotations, debug lines that only show with ACTIONS_STEP_DEBUG), the CLI to a terminal.

import * as core from '@actions/core'
import { redact, redactUrlCredentials } from './report/redact.js'
import { escapeLogLines } from './report/untrusted.js'

export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
  /** Runs `fn` inside a collapsible group (the action) or under a heading (the CLI). */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

/**
 * GitHub Actions: secrets are masked by the runner once registered with `maskSecrets`.
 * core.info writes its text as is, so every line is escaped (escapeLogLines): a message that
 * quotes an app, a server or an annotation cannot start a workflow command. debug, warning,
 * error and group are commands the toolkit issues itself, with their data %-escaped. Secrets
 * are masked by the runner; credentials in a URL no mask knows are redacted here.
 */
export function actionsLogger(): Logger {
  return {
    debug: (m) => core.debug(redactUrlCredentials(m)),
    info: (m) => core.info(escapeLogLines(redactUrlCredentials(m))),
    warn: (m) => core.warning(redactUrlCredentials(m)),
    error: (m) => core.error(redactUrlCredentials(m)),
    group: (name, fn) => core.group(name, fn)
  }
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
    }
  }
}
