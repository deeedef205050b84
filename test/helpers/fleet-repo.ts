// A GitOps repository for tests: a real bare repository on disk (what the Flux stand-in
// polls) and a work clone to commit to it with the git CLI, as a person or CI would.

import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { start, type FluxStandin } from '../../emulator/flux-standin/controller.js'

export interface FleetRepo {
  /** The bare repository: give it to the stand-in as repoUrl. */
  remote: string
  /** A clone on `main` that pushes to it. */
  work: string
  /** Write files in the clone, commit, push; the new commit. */
  commit(files: Record<string, string>, message?: string): string
  cleanup(): void
}

export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'] // "cloned an empty repository" is expected
  }).trim()

export function fleetRepo(): FleetRepo {
  const root = mkdtempSync(join(tmpdir(), 'fleet-repo-'))
  const remote = join(root, 'fleet.git')
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', remote)
  const work = join(root, 'work')
  git(root, 'clone', '--quiet', remote, work)
  git(work, 'checkout', '--quiet', '-b', 'main')
  const repo: FleetRepo = {
    remote,
    work,
    commit(files, message = 'change') {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(work, path)), { recursive: true })
        writeFileSync(join(work, path), content)
      }
      git(work, 'add', '-A')
      git(work, 'commit', '--quiet', '-m', message)
      git(work, 'push', '--quiet', 'origin', 'main')
      return git(work, 'rev-parse', 'HEAD')
    },
    cleanup: () => rmSync(root, { recursive: true, force: true })
  }
  repo.commit({ 'README.md': 'fleet\n' }, 'init')
  return repo
}

/** A Knative Service manifest, with optional annotations and a `traffic:` block (YAML lines). */
export function serviceManifest(
  name: string,
  image: string,
  opts: { annotations?: Record<string, string>; traffic?: string } = {}
): string {
  return [
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    ...(opts.annotations
      ? ['  annotations:', ...Object.entries(opts.annotations).map(([k, v]) => `    ${k}: ${v}`)]
      : []),
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - image: ${image}`,
    ...(opts.traffic ? ['  traffic:', opts.traffic] : []),
    ''
  ].join('\n')
}

/**
 * The Flux stand-in on `repo`'s main branch, path `apps`, applying to the emulator behind
 * `kubeconfigPath`. The default interval is an hour: tests call reconcileNow().
 */
export function standinFor(
  repo: FleetRepo,
  kubeconfigPath: string,
  intervalMs = 3_600_000
): Promise<FluxStandin> {
  return start({
    repoUrl: repo.remote,
    branch: 'main',
    path: 'apps',
    kubeconfig: readFileSync(kubeconfigPath, 'utf8'),
    intervalMs
  })
}
