// Markdown building blocks for the summary. GitHub renders table cells without escaping,
// so untrusted text reaches a cell only through the page's Escape; these helpers add the
// rest: code spans, links, a table whose rows all have the header's columns, code fences.

/** Escapes one untrusted string for the page: escapeMarkdown, or escapeForComment for a PR comment. */
export type Escape = (value: string) => string

/** An inline code span; a `|` still needs its backslash inside a table, and HTML is not parsed in code. */
export function code(value: string): string {
  const clean = value
    .replace(/`/g, "'")
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/\|/g, '\\|')
  return `\`${clean}\``
}

/** A plain http(s) URL stays clickable; anything else is escaped text. */
export function link(url: string, text: Escape): string {
  return /^https?:\/\/[\w.:/%?=&-]+$/.test(url) ? url : text(url)
}

export function clip(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) + '…' : value
}

/**
 * A table. Cells are already escaped; a row with fewer cells is padded and one with more is
 * refused here (a bug in the caller), so every row has the header's columns.
 */
export function table(
  header: readonly string[],
  align: string,
  rows: readonly string[][]
): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  const out = [
    line(header),
    `|${align
      .split('')
      .map((a) => (a === 'r' ? '---:' : '---'))
      .join('|')}|`
  ]
  for (const cells of rows) {
    if (cells.length > header.length)
      throw new Error(`a table row has ${cells.length} cells, its header ${header.length}`)
    out.push(line([...cells, ...Array<string>(header.length - cells.length).fill('')]))
  }
  return out
}

/** A fenced block the content cannot close: the fence is longer than any backtick run in it. */
export function fence(lang: string, content: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length))
  const f = '`'.repeat(Math.max(3, longest + 1))
  return `${f}${lang}\n${content}\n${f}`
}
