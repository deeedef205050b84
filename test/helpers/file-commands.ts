// GitHub's file commands ($GITHUB_OUTPUT, $GITHUB_STATE) read back. No side effects, so
// benchmarks bundled elsewhere can import it too.

/**
 * The runner's file-command format: `name<<DELIMITER\nvalue\nDELIMITER` (what
 * @actions/core writes) or `name=value` lines. A later value of a name wins.
 */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const end = lines.indexOf(delimiter, i + 1)
      if (end < 0) throw new Error(`unterminated value for ${name} in a file command`)
      out[name] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return out
}
