// The `docker buildx build` command line: build and push in one step, the digest written to
// `--metadata-file` (`containerimage.digest`), as docker/build-push-action does. Pure.

import { join } from 'node:path'
import type { BuildOptions } from './options.js'
import type { BuildPlan } from './plan.js'

export interface BuildxCommand {
  args: string[]
  metadataFile: string
}

export function dockerBuildxArgs(
  opts: BuildOptions,
  plan: BuildPlan,
  workDir: string
): BuildxCommand {
  const metadataFile = join(workDir, 'metadata.json')
  const args = [
    'buildx',
    'build',
    ...(opts.dockerfile ? ['--file', opts.dockerfile] : []),
    ...opts.buildArgs.flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    ...(opts.target ? ['--target', opts.target] : []),
    ...(opts.platforms.length > 0 ? ['--platform', opts.platforms.join(',')] : []),
    ...Object.entries(plan.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    ...opts.cacheFrom.flatMap((spec) => ['--cache-from', spec]),
    ...opts.cacheTo.flatMap((spec) => ['--cache-to', spec]),
    ...plan.tags.flatMap((tag) => ['--tag', `${plan.repository.name}:${tag}`]),
    '--metadata-file',
    metadataFile,
    // `--push` is `--output type=image,push=true`; plain HTTP needs the long form.
    ...(opts.insecure ? ['--output', 'type=image,push=true,registry.insecure=true'] : ['--push']),
    opts.context
  ]
  return { args, metadataFile }
}
