// The buildah command lines for one build and its pushes. Pure: the files they read and
// write live in `files.workDir`, a private directory the caller made.
//
// One platform: `bud -t repo:tag...`, then one `push --digestfile` per tag. Several
// platforms: `bud --platform a,b --manifest LIST` builds a manifest list, and
// `manifest push --all` pushes it under each tag. Isolation is always chroot: the OCI
// runtime (crun) fails on RUN steps on CI runners and in containers ("did not get
// container create message"), where chroot isolation works.

import { basename, join } from 'node:path'
import { InputError } from '../input-error.js'
import type { BuildOptions } from './options.js'
import type { BuildPlan } from './plan.js'
import { DOCKER_HUB, parseRepository } from './reference.js'

export interface BuildFiles {
  /** Private (0700) directory for digest files. */
  workDir: string
  /** containers-auth.json with the registry credentials, when there are any. */
  authFile?: string
}

export interface BuildahPush {
  tag: string
  args: string[]
  /** Where buildah writes the pushed manifest's digest. */
  digestFile: string
}

export interface BuildahCommands {
  build: string[]
  pushes: BuildahPush[]
  /** Removes the local manifest list afterwards (several platforms only). */
  cleanup?: string[]
}

export function buildahArgs(
  opts: BuildOptions,
  plan: BuildPlan,
  files: BuildFiles
): BuildahCommands {
  const global = storageArgs(opts)
  const registryFlags = [
    ...(files.authFile ? ['--authfile', files.authFile] : []),
    ...(opts.insecure ? ['--tls-verify=false'] : [])
  ]
  const name = localName(plan)
  // A fresh list per build: `--manifest` adds to an existing list of the same name.
  const list =
    opts.platforms.length > 1 ? `localhost/${basename(files.workDir).toLowerCase()}` : undefined
  const cacheFrom = opts.cacheFrom.map((spec) => cacheRepository('cache-from', spec))
  const cacheTo = opts.cacheTo.map((spec) => cacheRepository('cache-to', spec))

  const build = [
    ...global,
    'bud',
    '--isolation',
    'chroot',
    ...registryFlags,
    ...(opts.dockerfile ? ['--file', opts.dockerfile] : []),
    ...opts.buildArgs.flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    ...(opts.target ? ['--target', opts.target] : []),
    ...(opts.platforms.length > 0 ? ['--platform', opts.platforms.join(',')] : []),
    ...Object.entries(plan.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    ...(cacheFrom.length + cacheTo.length > 0 ? ['--layers'] : []),
    ...cacheFrom.flatMap((ref) => ['--cache-from', ref]),
    ...cacheTo.flatMap((ref) => ['--cache-to', ref]),
    ...(list ? ['--manifest', list] : plan.tags.flatMap((tag) => ['--tag', `${name}:${tag}`])),
    opts.context
  ]

  const pushes = plan.tags.map((tag, i) => {
    const digestFile = join(files.workDir, `digest-${i}`)
    const destination = `docker://${name}:${tag}`
    const args = list
      ? [
          ...global,
          'manifest',
          'push',
          '--all',
          ...registryFlags,
          '--digestfile',
          digestFile,
          list,
          destination
        ]
      : [
          ...global,
          'push',
          ...registryFlags,
          '--digestfile',
          digestFile,
          `${name}:${tag}`,
          destination
        ]
    return { tag, args, digestFile }
  })

  return { build, pushes, cleanup: list ? [...global, 'manifest', 'rm', list] : undefined }
}

function storageArgs(opts: BuildOptions): string[] {
  const s = opts.buildahStorage ?? {}
  return [
    ...(s.driver ? ['--storage-driver', s.driver] : []),
    ...(s.root ? ['--root', s.root] : []),
    ...(s.runroot ? ['--runroot', s.runroot] : [])
  ]
}

/** Fully qualified, so buildah's short-name rules never pick another registry. */
function localName(plan: BuildPlan): string {
  const r = plan.repository
  return r.registry === DOCKER_HUB ? `${DOCKER_HUB}/${r.path}` : r.name
}

/**
 * buildah caches layers in a plain repository (no tag): it takes `REPO` or buildx's
 * `type=registry,ref=REPO[,...]`; other cache types are buildx-only.
 */
export function cacheRepository(input: string, spec: string): string {
  let ref = spec
  if (spec.includes('=')) {
    const fields = Object.fromEntries(
      spec.split(',').map((field) => {
        const eq = field.indexOf('=')
        return eq < 0 ? [field, ''] : [field.slice(0, eq), field.slice(eq + 1)]
      })
    )
    if (fields.type !== 'registry' || !fields.ref) {
      throw InputError.of(
        input,
        `buildah takes only registry caches (REPO or type=registry,ref=REPO), not '${spec}'; use builder: docker for other cache types`
      )
    }
    ref = fields.ref
  }
  try {
    parseRepository(ref)
  } catch (e) {
    throw InputError.of(input, `buildah needs a repository without a tag: ${(e as Error).message}`)
  }
  return ref
}
