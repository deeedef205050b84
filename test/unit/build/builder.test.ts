import { commandProbes, resolveBuilder } from '../../../src/build/builder.js'
import type { CommandRunner } from '../../../src/build/command.js'
import { InputError } from '../../../src/input-error.js'

const probes = (buildx: boolean, buildah: boolean) => ({
  dockerBuildx: async () => buildx,
  buildah: async () => buildah
})

describe('resolveBuilder', () => {
  test.each([
    ['auto prefers docker buildx', 'auto', true, true, 'docker'],
    ['auto falls back to buildah', 'auto', false, true, 'buildah'],
    ['auto with buildx only', 'auto', true, false, 'docker'],
    ['docker when buildx works', 'docker', true, false, 'docker'],
    ['buildah when installed, even with buildx', 'buildah', true, true, 'buildah']
  ] as const)('%s', async (_name, choice, buildx, buildah, expected) => {
    await expect(resolveBuilder(choice, probes(buildx, buildah))).resolves.toBe(expected)
  })

  test.each([
    [
      'auto with neither',
      'auto',
      false,
      false,
      /^builder: auto found no builder.*install buildah.*buildx/
    ],
    [
      'docker without buildx',
      'docker',
      false,
      true,
      /^builder: docker needs buildx.*docker buildx version.*or use builder: buildah/
    ],
    [
      'buildah not installed',
      'buildah',
      true,
      false,
      /^builder: buildah is not installed.*apt-get install buildah/
    ]
  ] as const)(
    '%s is a clear error naming what to install',
    async (_name, choice, buildx, buildah, message) => {
      const attempt = resolveBuilder(choice, probes(buildx, buildah))
      await expect(attempt).rejects.toThrow(InputError)
      await expect(resolveBuilder(choice, probes(buildx, buildah))).rejects.toThrow(message)
    }
  )
})

describe('commandProbes', () => {
  test('run `docker buildx version` and `buildah --version` as argument arrays; exit 0 means it works', async () => {
    const calls: Array<[string, readonly string[]]> = []
    const run: CommandRunner = async (file, args) => {
      calls.push([file, args])
      return { code: file === 'buildah' ? 0 : 1, stdout: '', stderr: '' }
    }
    const p = commandProbes(run, {})
    expect(await p.dockerBuildx()).toBe(false)
    expect(await p.buildah()).toBe(true)
    expect(calls).toEqual([
      ['docker', ['buildx', 'version']],
      ['buildah', ['--version']]
    ])
  })
})
