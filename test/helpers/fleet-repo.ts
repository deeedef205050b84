// A GitOps repository for tests: a real bare repository on disk (what the Flux stand-in
// polls) and a work clone to commit to it with the git CLI, as a person or CI would.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { start, type FluxStandin } from '../../emulator/flux-standin/controller.js'
import { bareRepo, git } from './bare-repo.js'

export interface FleetRepo {
  /** The bare repository: give it to the stand-in as repoUrl. */
  remote: string
  /** A clone on `main` that pushes to it. */
  work: string
  /** Write files in the clone, commit, push; the new commit. */
  commit(files: Record<string, string>, message?: string): string
  cleanup(): void
}

/** bare-repo.ts's remote with a README on main, and one work clone that commits. */
export function fleetRepo(): FleetRepo {
  const repo = bareRepo({ 'README.md': 'fleet\n' })
  const work = repo.clone('work')
  return {
    remote: repo.remote,
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
    cleanup: repo.remove
  }
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
