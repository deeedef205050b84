// Runs the built action the way GitHub's runner does: `node dist/index.js` (or dist/post.js)
// as a child process, every input of action.yml in an `INPUT_<NAME>` variable (upper-cased,
// dashes kept; unset inputs get action.yml's default, as the runner fills them in),
// $GITHUB_OUTPUT / $GITHUB_STATE / $GITHUB_STEP_SUMMARY files, the GITHUB_* context, and for
// the post step the main step's saved state as `STATE_<name>`. Outputs and state are read
// back from the files' heredoc format.

import type { ChildProcess } from 'node:child_process'
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parse } from 'yaml'
import { ROOT, scratchDir, startNode } from './child-run.js'
import { parseFileCommands } from './file-commands.js'

export { parseFileCommands }

/** What `${{ github.token }}` becomes in these runs. */
export const FAKE_GITHUB_TOKEN = 'ghs_e2eFakeTokenNotForGitHub0123456789'

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>
}

export interface ActionResult {
  /** Exit code, or null when killed by a signal. */
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  /** What the step saved for its post step (core.saveState). */
  state: Record<string, string>
  summary: string
  /** `::error …::message` and `::warning …::message` workflow commands from stdout. */
  annotations: { level: 'error' | 'warning'; message: string }[]
}

export interface ActionOptions {
  inputs: Record<string, string>
  /** GITHUB_* and other variables; the defaults are a push run of acme/shop. */
  env?: Record<string, string>
  /** `post` runs dist/post.js with `state` as STATE_* variables. */
  entry?: 'main' | 'post'
  state?: Record<string, string>
}

export interface StartedAction {
  child: ChildProcess
  /** stdout so far. */
  stdout(): string
  done: Promise<ActionResult>
}

export function startAction(options: ActionOptions): StartedAction {
  const inputs: Record<string, string> = {}
  for (const [name, spec] of Object.entries(action.inputs)) {
    const given = options.inputs[name]
    const def = String(spec.default ?? '').replace('${{ github.token }}', FAKE_GITHUB_TOKEN)
    inputs[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = given ?? def
  }
  for (const name of Object.keys(options.inputs)) {
    if (!(name in action.inputs)) throw new Error(`"${name}" is not an input of action.yml`)
  }
  const stateVars = Object.fromEntries(
    Object.entries(options.state ?? {}).map(([k, v]) => [`STATE_${k}`, v])
  )
  const dir = scratchDir('action-run-')
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir.path,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_RUN_ID: '1001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_SERVER_URL: 'https://github.com',
    // Never api.github.com from a test: a closed loopback port unless a test gives its own.
    GITHUB_API_URL: 'http://127.0.0.1:9',
    // The checkout: the tests' manifests are written under the temp dir, and a manifest
    // must resolve inside the workspace (src/manifest/read-file.ts).
    GITHUB_WORKSPACE: tmpdir(),
    RUNNER_TEMP: dir.path,
    ...dir.files,
    ...inputs,
    ...stateVars,
    ...options.env
  }
  const script = join(actionCopy(), 'dist', options.entry === 'post' ? 'post.js' : 'index.js')
  const run = startNode({ args: [script], env })
  const done = run.done
    .then(({ code, signal, stdout, stderr }) => {
      const files = dir.read()
      return {
        code,
        signal,
        stdout,
        stderr,
        outputs: parseFileCommands(files.output),
        state: parseFileCommands(files.state),
        summary: files.summary,
        annotations: annotationsOf(stdout)
      }
    })
    .finally(() => dir.remove())
  return { child: run.child, stdout: run.stdout, done }
}

let copy: string | undefined

/**
 * The action as the runner runs it: from its own copy (the runner downloads the action to
 * `_actions/<owner>/<repo>/<ref>`), taken once per test file. A copy also keeps a rebuild
 * of dist/ in the working tree from pulling chunks from under a running action. A copy made
 * mid-rebuild misses a chunk an entry imports: then it is taken again.
 */
export function actionCopy(): string {
  if (copy) return copy
  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'action-copy-'))
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true })
    copyFileSync(join(ROOT, 'action.yml'), join(dir, 'action.yml'))
    if (complete(join(dir, 'dist'))) {
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
      return (copy = dir)
    }
    rmSync(dir, { recursive: true, force: true })
    if (attempt === 20) throw new Error('dist/ stayed incomplete: run `npm run build`')
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250)
  }
}

/** Both entries are there, and every relative import of every bundle file resolves. */
function complete(dist: string): boolean {
  if (!existsSync(join(dist, 'index.js')) || !existsSync(join(dist, 'post.js'))) return false
  const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.js')
  )
  return files.every((file) => {
    const imports = readFileSync(join(dist, file), 'utf8').matchAll(
      /(?:from|import)\s*"(\.\.?\/[^"]+)"/g
    )
    return [...imports].every((m) => existsSync(join(dist, dirname(file), m[1])))
  })
}

export function runAction(options: ActionOptions): Promise<ActionResult> {
  return startAction(options).done
}

/** `::error title=…::message` → { level, message } with the runner's escapes undone. */
function annotationsOf(stdout: string): ActionResult['annotations'] {
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
  return stdout
    .split('\n')
    .map((line) => /^::(error|warning)(?: [^:]*)?::(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ level: m[1] as 'error' | 'warning', message: unescape(m[2]) }))
}
