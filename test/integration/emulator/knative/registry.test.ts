// Image resolution against a real registry on 127.0.0.1 (Debian's docker-registry), with an
// image pushed by buildah: the digest Knative reports is the registry's, and a tag the
// registry does not have fails the Revision with ContainerMissing.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { registryResolver } from '../../../../emulator/knative/image.js'
import { Cluster, cond, svc, template } from '../../../helpers/knative-cluster.js'

let dir: string
let registry: ChildProcess
let host: string
let pushedDigest: string

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function untilUp(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`registry at ${url} did not start`)
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'knative-registry-'))
  const port = await freePort()
  host = `127.0.0.1:${port}`
  writeFileSync(
    join(dir, 'registry.yml'),
    `version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: ${dir}/data}}\nhttp: {addr: ${host}}\n`
  )
  registry = spawn('docker-registry', ['serve', join(dir, 'registry.yml')], { stdio: 'ignore' })
  await untilUp(`http://${host}/v2/`)
  const buildah = [
    '--storage-driver',
    'vfs',
    '--root',
    join(dir, 'store'),
    '--runroot',
    join(dir, 'run')
  ]
  const container = execFileSync('buildah', [...buildah, 'from', 'scratch'])
    .toString()
    .trim()
  execFileSync('buildah', [...buildah, 'commit', '--quiet', container, 'emu/hello:v1'])
  execFileSync('buildah', [
    ...buildah,
    'push',
    '--quiet',
    '--tls-verify=false',
    '--digestfile',
    join(dir, 'digest'),
    'emu/hello:v1',
    `docker://${host}/emu/hello:v1`
  ])
  pushedDigest = readFileSync(join(dir, 'digest'), 'utf8').trim()
}, 60_000)

afterAll(() => {
  registry?.kill()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('registryResolver on a loopback registry', () => {
  test.each<[string, () => string, () => string | RegExp]>([
    [
      'a pushed tag resolves to the pushed digest',
      () => `${host}/emu/hello:v1`,
      () => pushedDigest
    ],
    [
      'localhost names the same registry',
      () => `${host.replace('127.0.0.1', 'localhost')}/emu/hello:v1`,
      () => pushedDigest
    ],
    [
      'a missing tag is the registry 404',
      () => `${host}/emu/hello:nope`,
      () =>
        `HEAD http://${host}/v2/emu/hello/manifests/nope: unexpected status code 404 Not Found (HEAD responses have no body, use GET for details)`
    ]
  ])('%s', async (_name, image, expected) => {
    const outcome = await registryResolver(image()).catch((e: Error) => e.message)
    expect(outcome).toBe(expected())
  })
})

describe('revisions resolve their image through the registry', () => {
  test.each<[string, string, 'True' | 'False']>([
    ['a pushed image: Ready with the registry digest', 'v1', 'True'],
    ['an image the registry lacks: ContainerMissing', 'missing', 'False']
  ])('%s', async (_name, tag, ready) => {
    const c = new Cluster({ resolver: registryResolver })
    const image = `${host}/emu/hello:${tag}`
    c.create('services', svc('reg', { template: template(image) }))
    await c.settled('reg', ready)
    const rev = c.get('revisions', 'reg-00001')!
    if (ready === 'True') {
      expect(rev.status.containerStatuses).toEqual([
        { name: 'user-container', imageDigest: `${host}/emu/hello@${pushedDigest}` }
      ])
    } else {
      expect(cond(rev, 'ContainerHealthy')).toEqual(
        expect.objectContaining({
          status: 'False',
          reason: 'ContainerMissing',
          message: `Unable to fetch image "${image}": failed to resolve image to digest: HEAD http://${host}/v2/emu/hello/manifests/missing: unexpected status code 404 Not Found (HEAD responses have no body, use GET for details)`
        })
      )
    }
    c.stop()
  })
})
