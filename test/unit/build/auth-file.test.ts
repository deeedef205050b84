import { mkdir, mkdtemp, readFile, readlink, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  authConfigJson,
  makeWorkDir,
  removeWorkDir,
  writeAuthFile,
  writeDockerConfig
} from '../../../src/build/auth-file.js'

const creds = { username: 'bob', password: 'pa:ss' }
const b64 = Buffer.from('bob:pa:ss').toString('base64')

describe('auth files', () => {
  let base: string
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'auth-file-test-'))
  })
  afterEach(() => rm(base, { recursive: true, force: true }))

  test.each([
    ['any registry: its host', '127.0.0.1:5000', { '127.0.0.1:5000': { auth: b64 } }],
    [
      'Docker Hub: the host for buildah and the v1 URL for docker',
      'docker.io',
      { 'docker.io': { auth: b64 }, 'https://index.docker.io/v1/': { auth: b64 } }
    ]
  ])('%s', (_name, registry, auths) => {
    expect(JSON.parse(authConfigJson(registry, creds))).toEqual({ auths })
  })

  test('the work dir is private, the auth file 0600, and removal leaves nothing', async () => {
    const dir = await makeWorkDir({ RUNNER_TEMP: base })
    expect(dir.startsWith(join(base, 'knative-rollout-build-'))).toBe(true)
    expect((await stat(dir)).mode & 0o777).toBe(0o700)
    const file = await writeAuthFile(dir, 'ghcr.io', creds)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(file, 'utf8')).auths['ghcr.io'].auth).toBe(b64)
    await removeWorkDir(dir)
    expect(await readdir(base)).toEqual([])
  })

  test("a DOCKER_CONFIG with only these credentials, linking the user's buildx and plugins", async () => {
    const userConfig = join(base, 'user-docker')
    await mkdir(join(userConfig, 'buildx'), { recursive: true })
    await mkdir(join(userConfig, 'cli-plugins'))
    await writeFile(
      join(userConfig, 'config.json'),
      JSON.stringify({ auths: { 'other.io': { auth: 'eDp5' } } })
    )
    const dir = await makeWorkDir({ RUNNER_TEMP: base })
    const config = await writeDockerConfig(dir, 'ghcr.io', creds, { DOCKER_CONFIG: userConfig })
    expect(JSON.parse(await readFile(join(config, 'config.json'), 'utf8'))).toEqual({
      auths: { 'ghcr.io': { auth: b64 } }
    })
    expect((await stat(join(config, 'config.json'))).mode & 0o777).toBe(0o600)
    expect((await readdir(config)).sort()).toEqual(['buildx', 'cli-plugins', 'config.json'])
    expect(await readlink(join(config, 'buildx'))).toBe(join(userConfig, 'buildx'))
    await removeWorkDir(dir)
    expect(await readdir(join(userConfig, 'buildx'))).toEqual([]) // the user's dir is untouched
  })
})
