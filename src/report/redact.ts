// Removes secret values from text before it is printed. Multi-line secrets (a kubeconfig)
// are also removed line by line, and the values of credential keys on their own, because
// an error message may quote one line or one value of the secret rather than all of it.

export const MASK = '***'

/** Lines shorter than this are not masked on their own: masking "-" or "}" would wreck logs. */
const MIN_FRAGMENT = 4

/** Kubeconfig / docker-config keys whose values are credentials wherever they appear. */
const CREDENTIAL_KEYS =
  /^\s*-?\s*"?(token|client-key-data|client-certificate-data|password|id-token|refresh-token|client-secret|access-token|auth)"?\s*:\s*"?([^"\s]+)"?\s*,?$/

/**
 * Lines of a kubeconfig that are structure, not credentials: masking `apiVersion: v1` or
 * `- name: prod` would garble every manifest and message that happens to contain them.
 */
const STRUCTURE_KEYS = new Set([
  'apiVersion',
  'kind',
  'clusters',
  'contexts',
  'users',
  'preferences',
  'name',
  'cluster',
  'context',
  'user',
  'namespace',
  'server',
  'current-context',
  'insecure-skip-tls-verify',
  'tls-server-name'
])
const YAML_KEY = /^-?\s*"?([\w.-]+)"?\s*:(\s|$)/

/** Every string that must not appear in output for this secret, longest first. */
export function secretFragments(secret: string): string[] {
  const fragments = new Set<string>()
  if (secret.trim().length > 0) fragments.add(secret)
  if (secret.includes('\n')) {
    for (const line of secret.split(/\r?\n/)) {
      const trimmed = line.trim()
      const key = YAML_KEY.exec(trimmed)?.[1]
      if (trimmed.length >= MIN_FRAGMENT && !(key && STRUCTURE_KEYS.has(key)))
        fragments.add(trimmed)
    }
  }
  for (const line of secret.split(/\r?\n/)) {
    const value = CREDENTIAL_KEYS.exec(line)?.[2]
    if (value && value.length >= MIN_FRAGMENT) fragments.add(value)
  }
  return [...fragments].sort((a, b) => b.length - a.length)
}

/**
 * `scheme://user:password@host` → `scheme://***@host`. Inputs refuse credentials in URLs, but
 * a library error (undici, client-node) may quote a URL from a kubeconfig or a redirect,
 * and no mask knows its password.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@'"<>]+@/gi, `$1${MASK}@`)
}

/** `text` with every fragment of every secret, and any URL's credentials, replaced by `***`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = redactUrlCredentials(text)
  for (const secret of secrets) {
    if (!secret) continue
    for (const fragment of secretFragments(secret)) out = out.split(fragment).join(MASK)
  }
  return out
}
