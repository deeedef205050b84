// kubeconfig credential plugins (`exec`, and the `auth-provider`s that run a command) run
// programs the kubeconfig names and hand back a credential no input declared. Both sides are
// guarded here: what a failing plugin printed is untrusted text (client-node turns its stderr
// into the error message, and a JSON error quotes the start of its stdout, the credential),
// so the error names the plugin and shows one escaped, bounded line of stderr, never stdout;
// and the credential a plugin returns is reported through `onSecret` before any request, so
// the runner masks it and the CLI redacts it (README, "Untrusted text, secrets").

import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { KubeConfig, User } from '@kubernetes/client-node'
import { escapeUntrusted } from '../report/untrusted.js'

/** client-node's authenticator contract (auth.d.ts), which its KubeConfig keeps private. */
interface Authenticator {
  isAuthProvider(user: User): boolean
  applyAuthentication(user: User, opts: RequestOptions): Promise<void>
}
interface RequestOptions {
  headers?: Record<string, unknown>
  cert?: unknown
  key?: unknown
}

export class CredentialPluginError extends Error {
  override name = 'CredentialPluginError'
}

const MAX_STDERR_CHARS = 300

/**
 * Wraps each of `kc`'s authenticators. client-node asks its built-in ones before any added
 * with addAuthenticator, so the wrapping replaces them in place.
 */
export function guardCredentialPlugins(kc: KubeConfig, onSecret: (value: string) => void): void {
  const holder = kc as unknown as { authenticators?: Authenticator[] }
  if (!Array.isArray(holder.authenticators)) {
    throw new Error('client-node no longer keeps its authenticators where this expects them')
  }
  // Each request authenticates again (from the plugin's cache): report a credential once.
  const seen = new Set<string>()
  const report = (value: string) => {
    if (value === '' || seen.has(value)) return
    seen.add(value)
    onSecret(value)
  }
  holder.authenticators = holder.authenticators.map((inner) => guarded(inner, report))
}

function guarded(inner: Authenticator, onSecret: (value: string) => void): Authenticator {
  return {
    isAuthProvider: (user) => inner.isAuthProvider(user),
    async applyAuthentication(user, opts) {
      const stderr = captureProviderStderr(user)
      try {
        await inner.applyAuthentication(user, opts)
      } catch (err) {
        const said = stderr?.read()
        // No `cause`: it may quote the credential.
        throw new CredentialPluginError(pluginFailure(user, said ? new Error(said) : err))
      } finally {
        stderr?.restore()
      }
      const authorization = opts.headers?.Authorization
      if (typeof authorization === 'string') onSecret(authorization.replace(/^Bearer /, ''))
      for (const value of [opts.cert, opts.key]) if (typeof value === 'string') onSecret(value)
    }
  }
}

/** What a failed plugin run shows: which plugin, and why, without its output. */
export function pluginFailure(user: User, err: unknown): string {
  const command = pluginCommand(user)
  const what = command
    ? `the kubeconfig's credential plugin "${escapeUntrusted(basename(command), 100)}" (user "${escapeUntrusted(user.name, 100)}")`
    : `the kubeconfig's ${user.authProvider?.name ? `auth-provider "${escapeUntrusted(user.authProvider.name, 100)}"` : 'authentication'} for user "${escapeUntrusted(user.name, 100)}"`
  return `${what} failed: ${why(err)}; a kubeconfig runs the commands it names, so check it like any secret`
}

function why(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown }
  if (e?.code === 'ENOENT') return 'its command was not found'
  if (e?.code === 'EACCES') return 'its command is not executable'
  // JSON.parse's message quotes the output: the credential when the format is wrong.
  if (err instanceof SyntaxError) return 'its output is not a valid ExecCredential (JSON)'
  const text = typeof e?.message === 'string' ? e.message : ''
  const line = text.split(/\r\n|\r|\n/).find((l) => l.trim() !== '')
  return line ? `it said: ${escapeUntrusted(line.trim(), MAX_STDERR_CHARS)}` : 'it gave no reason'
}

/**
 * The gcp and azure auth-providers run `"cmd-path" cmd-args` with execSync, whose stderr is
 * inherited: what the command prints there would reach the runner's log raw, where
 * `::error::` is a command. Its stderr is sent to a file instead (the shell's `2>`, as
 * cmd-args is appended to a shell command line), read back as the failure's reason.
 */
function captureProviderStderr(user: User): { read(): string; restore(): void } | undefined {
  const config = user.authProvider?.config as Record<string, unknown> | undefined
  if (!config || typeof config['cmd-path'] !== 'string' || !config['cmd-path']) return undefined
  const args = config['cmd-args']
  const dir = mkdtempSync(join(tmpdir(), 'knative-rollout-plugin-'))
  const file = join(dir, 'stderr')
  config['cmd-args'] = `${typeof args === 'string' ? args : ''} 2>"${file}"`
  return {
    read: () => readBounded(file, MAX_STDERR_CHARS * 4),
    restore() {
      if (args === undefined) delete config['cmd-args']
      else config['cmd-args'] = args
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** The first `max` bytes of `file`, or '' when it cannot be read. */
function readBounded(file: string, max: number): string {
  try {
    const fd = openSync(file, 'r')
    try {
      const buffer = Buffer.alloc(max)
      return buffer.subarray(0, readSync(fd, buffer, 0, max, 0)).toString('utf8')
    } finally {
      closeSync(fd)
    }
  } catch {
    return ''
  }
}

function pluginCommand(user: User): string | undefined {
  const config = user.authProvider?.config as Record<string, unknown> | undefined
  const exec = (user.exec ?? config?.exec) as { command?: unknown } | undefined
  const command = exec?.command ?? config?.['cmd-path']
  return typeof command === 'string' && command !== '' ? command : undefined
}
