// What GitHub's runner would read as workflow commands in a step's output: it reads stdout and
// stderr line by line (a line ends at LF, CR or CRLF), trims leading whitespace as .NET's
// TrimStart does, and takes a line that then starts with `::name` (or the legacy `##[name`)
// as a command. Tests use this to prove untrusted text never becomes one.

/** .NET char.IsWhiteSpace: JavaScript's \s plus U+0085 and U+180E (less U+FEFF, kept: harmless). */
const LEADING_SPACE = /^[\s\u0085\u180e]*/

export interface WorkflowCommand {
  name: string
  /** The whole line, leading whitespace trimmed. */
  line: string
}

/** Every line of `output` the runner would execute as a command, in order. */
export function workflowCommands(output: string): WorkflowCommand[] {
  const found: WorkflowCommand[] = []
  for (const raw of output.split(/\r\n|\r|\n/)) {
    const line = raw.replace(LEADING_SPACE, '')
    const m = /^::([^\s:]+)/.exec(line) ?? /^##\[([^\s\]]+)/.exec(line)
    if (m) found.push({ name: m[1], line })
  }
  return found
}

/**
 * The lines of `output` that start with one of `payloads` (after the runner's trim): text a
 * test planted that reached the log as a live command rather than as escaped data.
 */
export function plantedCommands(output: string, payloads: readonly string[]): string[] {
  return workflowCommands(output)
    .map((c) => c.line)
    .filter((line) => payloads.some((p) => line.startsWith(p.replace(LEADING_SPACE, ''))))
}
