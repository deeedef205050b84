// One way out for text the action did not write (termination messages, webhook and Prometheus
// bodies, plugin stderr, annotations read back from the cluster). The toolkit escapes only the
// properties and data of a command it issues itself (toMessage in @actions/core); text passed to
// core.info is written as is, so a newline followed by `::` would start a workflow command.

import { dns1035LabelErrors } from '../manifest/names.js'
import { redactUrlCredentials } from './redact.js'

/** Stored reasons and log fragments are bounded so one hostile body cannot flood a log. */
export const MAX_UNTRUSTED_CHARS = 2000

/**
 * What the runner reads as a command once leading whitespace is trimmed (it trims as .NET's
 * TrimStart does, so U+0085 and U+180E count too): `::name::` and the legacy `##[name]`.
 */
const COMMAND_START = /^([\s\u0085\u180e]*)(::|##\[)/

/**
 * A single log line: CR, LF and other control characters (C0, C1, Unicode line separators)
 * become visible escapes, and a leading `::` or `##[` is broken with a zero-width space so
 * the runner never reads the text as a command. Bounded.
 */
export function escapeUntrusted(text: string, max = MAX_UNTRUSTED_CHARS): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
  let out = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\n'
      ? '\\n'
      : c === '\r'
        ? '\\r'
        : c === '\t'
          ? ' '
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
  out = out.replace(
    COMMAND_START,
    (_m, space: string, start: string) => `${space}${start[0]}\u200b${start.slice(1)}`
  )
  if (out.length > max) out = `${out.slice(0, max)}… (${out.length - max} more characters)`
  return out
}

/**
 * Text for a log sink that may hold several lines (the action's own messages do): each
 * line escaped as escapeUntrusted does, without a bound, so no line can start a command.
 * The loggers (src/log.ts) pass everything through this, whatever quoted what.
 */
export function escapeLogLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => escapeUntrusted(line, Infinity))
    .join('\n')
}

/**
 * Untrusted text inside a PR comment (Markdown): escaped as a log line, then mentions and
 * links defused so the comment neither pings people nor renders a link chosen by the app.
 */
export function escapeForComment(text: string, max = MAX_UNTRUSTED_CHARS): string {
  // Credentials in a URL are redacted first: breaking `://` below would hide the URL from
  // any later redaction.
  return escapeMarkdown(escapeUntrusted(redactUrlCredentials(text), max))
    .replace(/@/g, '@\u200b')
    .replace(/:\/\//g, ':\u200b//')
}

/** Markdown-safe text, table cells included: HTML entities, backslashed markup, one line. */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1')
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
}

/** An output that must be a revision name is a DNS-1035 label, or it is refused. */
export function revisionOutput(value: string): string {
  const problems = dns1035LabelErrors(value)
  if (problems.length > 0) {
    throw new Error(
      `refusing to set an output to an invalid revision name "${escapeUntrusted(value, 80)}": ${problems.join('; ')}`
    )
  }
  return value
}
