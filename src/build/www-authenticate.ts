// Parses a registry's `WWW-Authenticate` challenge (RFC 7235 auth-params), e.g.
//   Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull,push"
// Quoted values may hold commas, so this is a small tokenizer, not a split on ','. Pure.

export interface Challenge {
  /** Lowercased: `bearer` or `basic`. */
  scheme: string
  params: Record<string, string>
}

const PARAM_SOURCE = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/y

export function parseChallenge(header: string | null | undefined): Challenge | undefined {
  const match = /^\s*([A-Za-z][A-Za-z0-9_-]*)(?:\s+|$)/.exec(header ?? '')
  if (!match) return undefined
  const params: Record<string, string> = {}
  const rest = (header ?? '').slice(match[0].length)
  const PARAM = new RegExp(PARAM_SOURCE) // sticky: each call gets its own lastIndex
  let param: RegExpExecArray | null
  while (PARAM.lastIndex < rest.length && (param = PARAM.exec(rest)) !== null) {
    params[param[1].toLowerCase()] =
      param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : param[3]
  }
  return { scheme: match[1].toLowerCase(), params }
}
