// Which tool builds: `auto` prefers docker buildx when it works, then buildah. The probes
// are injected so the choice is tested without either tool; `commandProbes` are the real ones.

import type { CommandRunner } from './command.js'
import type { Env } from './env.js'
import type { BuilderChoice } from './options.js'
import { InputError } from '../input-error.js'

export type Builder = 'docker' | 'buildah'

export interface BuilderProbes {
  /** True when `docker buildx version` succeeds. */
  dockerBuildx(): Promise<boolean>
  /** True when `buildah --version` succeeds. */
  buildah(): Promise<boolean>
}

const INSTALL_BUILDX =
  'install Docker with the buildx plugin (e.g. docker/setup-buildx-action, or the docker-buildx-plugin package)'
const INSTALL_BUILDAH = 'install buildah (e.g. apt-get install buildah)'

export async function resolveBuilder(
  choice: BuilderChoice,
  probes: BuilderProbes
): Promise<Builder> {
  switch (choice) {
    case 'docker':
      if (await probes.dockerBuildx()) return 'docker'
      throw InputError.of(
        'builder',
        `docker needs buildx, but \`docker buildx version\` failed: ${INSTALL_BUILDX}, or use builder: buildah`
      )
    case 'buildah':
      if (await probes.buildah()) return 'buildah'
      throw InputError.of(
        'builder',
        `buildah is not installed (\`buildah --version\` failed): ${INSTALL_BUILDAH}`
      )
    case 'auto':
      if (await probes.dockerBuildx()) return 'docker'
      if (await probes.buildah()) return 'buildah'
      throw InputError.of(
        'builder',
        `auto found no builder: \`docker buildx version\` and \`buildah --version\` both failed; ${INSTALL_BUILDAH}, or ${INSTALL_BUILDX}`
      )
  }
}

export function commandProbes(run: CommandRunner, env: Env): BuilderProbes {
  const works = async (file: string, args: string[]) => (await run(file, args, { env })).code === 0
  return {
    dockerBuildx: () => works('docker', ['buildx', 'version']),
    buildah: () => works('buildah', ['--version'])
  }
}
