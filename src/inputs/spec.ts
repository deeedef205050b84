// The inputs table: names and defaults exactly as in action.yml (a test holds them equal),
// which inputs are secret, and every form of a secret that must be masked before anything
// is printed. Pure: inputs arrive through a reader.

import { basicAuthToken } from '../build/auth-file.js'
import { DEFAULT_AUTHOR } from '../gitops/author.js'

export interface InputSpec {
  name: string
  /** action.yml's default; `${{ … }}` expressions only mean something on a runner. */
  default: string
  /** Never echoed in a message, log or output. */
  secret?: boolean
}

export const INPUTS: readonly InputSpec[] = [
  { name: 'command', default: 'rollout' },
  { name: 'service', default: '' },
  { name: 'namespace', default: 'default' },
  { name: 'manifest', default: '' },
  { name: 'allow-outside-workspace', default: 'false' },
  { name: 'image', default: '' },
  { name: 'build-context', default: '' },
  { name: 'dockerfile', default: '' },
  // Read and checked by build/options.ts (parseBuildOptions), which the build uses.
  { name: 'build-args', default: '' },
  { name: 'target', default: '' },
  { name: 'platforms', default: '' },
  { name: 'tags', default: '' },
  { name: 'labels', default: '' },
  { name: 'cache-from', default: '' },
  { name: 'cache-to', default: '' },
  { name: 'builder', default: 'auto' },
  { name: 'registry', default: '' },
  { name: 'registry-username', default: '' },
  { name: 'registry-password', default: '', secret: true },
  { name: 'registry-insecure', default: 'false' },
  { name: 'revision-name', default: '' },
  { name: 'steps', default: '10,25,50,100' },
  { name: 'step-interval', default: '1m' },
  { name: 'pause-at', default: '' },
  { name: 'probe-path', default: '/' },
  { name: 'probe-rps', default: '10' },
  { name: 'ingress-address', default: '' },
  { name: 'min-success-rate', default: '0.99' },
  { name: 'max-latency-p99', default: '1000ms' },
  { name: 'min-requests', default: '20' },
  { name: 'failure-threshold', default: '1' },
  { name: 'prometheus-url', default: '' },
  { name: 'prometheus-token', default: '', secret: true },
  { name: 'prometheus-username', default: '' },
  { name: 'prometheus-password', default: '', secret: true },
  { name: 'metrics', default: '' },
  { name: 'webhooks', default: '' },
  { name: 'kubeconfig', default: '', secret: true },
  { name: 'tls-insecure', default: 'false' },
  { name: 'github-token', default: '${{ github.token }}', secret: true },
  { name: 'environment', default: '' },
  { name: 'timeout', default: '30m' },
  { name: 'dry-run', default: 'false' },
  { name: 'wait-for-lock', default: 'false' },
  { name: 'job-key', default: '' },
  { name: 'force', default: 'false' },
  { name: 'traffic-owner', default: 'action' },
  { name: 'write-back', default: 'none' },
  { name: 'git-branch', default: '' },
  { name: 'git-author', default: `${DEFAULT_AUTHOR.name} <${DEFAULT_AUTHOR.email}>` },
  { name: 'sync-timeout', default: '5m' },
  { name: 'gitops-check', default: 'refuse' },
  { name: 'max-parallel', default: '10' },
  { name: 'fail-fast', default: 'false' },
  { name: 'waves', default: '' },
  { name: 'wave', default: '' },
  { name: 'cleanup', default: 'false' },
  { name: 'pull-request', default: '' }
]

export const INPUT_NAMES: readonly string[] = INPUTS.map((i) => i.name)
export const SECRET_INPUTS: readonly string[] = INPUTS.filter((i) => i.secret).map((i) => i.name)

/**
 * Every secret value to mask (the action) or redact (the CLI) before the first line is
 * printed: the secret inputs, and the forms libraries derive from them, which an error may
 * quote: basic auth's base64 of `user:password` (registry and Prometheus; an empty registry
 * user is the GitHub actor) and a password as percent-encoded in a URL.
 */
export function secretValues(get: InputReader, env: NodeJS.ProcessEnv = {}): string[] {
  const value = (name: string) => get(name)?.trim() ?? ''
  // As given and trimmed: the runner masks exact text, and parseInputs uses the trimmed one.
  const out = [...SECRET_INPUTS.map((name) => get(name) ?? ''), ...SECRET_INPUTS.map(value)]
  const pairs: [string, string][] = [
    [value('registry-username') || (env.GITHUB_ACTOR ?? ''), value('registry-password')],
    [value('prometheus-username'), value('prometheus-password')]
  ]
  for (const [username, password] of pairs) {
    if (!password) continue
    out.push(basicAuthToken({ username, password }))
    if (encodeURIComponent(password) !== password) out.push(encodeURIComponent(password))
  }
  return [...new Set(out.filter((v) => v.trim()))]
}

/** Reads one input by its action.yml name; undefined or '' means "not given". */
export type InputReader = (name: string) => string | undefined

/**
 * A reader over the runner's `INPUT_*` variables: GitHub upper-cases the name and turns
 * spaces into `_`, keeping dashes (`step-interval` → `INPUT_STEP-INTERVAL`).
 */
export function readActionInputs(env: NodeJS.ProcessEnv = process.env): InputReader {
  return (name) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]
}

/** What an input is when not given: action.yml's default, or '' for a runner expression. */
export const INPUT_DEFAULTS = new Map(
  INPUTS.map((i) => [i.name, i.default.includes('${{') ? '' : i.default])
)
