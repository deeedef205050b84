// The Kubernetes API server's `Warning` response headers (RFC 7234 `299 - "text"`): the
// admission webhooks' warnings (Knative's: an insecure securityContext default, a deprecated
// annotation) and the schema's (an unknown field dropped). kubectl prints them on stderr;
// the action shows the ones its dry-run write gets. The text is untrusted: a webhook chose it.

/** At most this many warnings from one response are kept; the rest is one line saying so. */
const MAX_WARNINGS = 20

/**
 * The warning texts of one `Warning` header value. Several headers arrive joined by ", "
 * (fetch's Headers); each value is `code agent "quoted text"`, with `\"` and `\\` escaped.
 * Header bytes arrive as latin1 characters: the API server sends the text's UTF-8 bytes.
 */
export function parseWarningHeader(value: string | undefined): string[] {
  if (!value) return []
  const texts: string[] = []
  for (const m of value.matchAll(/(?:^|,)\s*\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/g)) {
    texts.push(utf8(m[1].replace(/\\(.)/g, '$1')))
  }
  if (texts.length <= MAX_WARNINGS) return texts
  return [...texts.slice(0, MAX_WARNINGS), `(${texts.length - MAX_WARNINGS} more warnings)`]
}

function utf8(latin1: string): string {
  // A character above 0xff did not come from a header's bytes: leave the text as it is.
  // eslint-disable-next-line no-control-regex -- the range test is the point
  return /^[\u0000-\u00ff]*$/.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1
}
