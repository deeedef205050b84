// Issue 4 end to end: the built action builds a context with real buildah, pushes it to a
// real docker-registry on loopback, and deploys exactly what was pushed — by digest — which
// the emulator resolves against that registry, as Knative resolves tags to digests.

import { REVISIONS } from '../../emulator/resources.js'
import { runAction } from '../helpers/action-runner.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { e2eKit, expectEnded, logGroups, serviceYaml } from '../helpers/e2e-kit.js'

const kit = e2eKit()
let registry: TestRegistry

beforeAll(async () => {
  registry = await startRegistry()
}, 30_000)
afterAll(() => registry?.stop())

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json'
].join(', ')

test('build-context: built, pushed, and the revision runs repository@sha256 of the push', async () => {
  const repository = `${registry.host}/acme/built`
  const out = await runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest('built', serviceYaml('built', 'docker.io/acme/built:old')),
      'revision-name': 'built-v1',
      'build-context': 'test/fixtures/build/hello',
      builder: 'buildah',
      image: repository,
      tags: 'e2e',
      'registry-insecure': 'true'
    }),
    // A private storage driver that works without kernel overlay support.
    env: { STORAGE_DRIVER: 'vfs' }
  })
  expectEnded(out, 0, 'promoted')
  // The build is a log group of its own, before the (first deploy's) candidate.
  expect(logGroups(out.stdout)).toEqual([
    'Build and push',
    'Candidate revision: default/built',
    'Result: promoted'
  ])

  const head = await fetch(`${registry.url}/v2/acme/built/manifests/e2e`, {
    method: 'HEAD',
    headers: { accept: MANIFEST_TYPES }
  })
  const pushed = head.headers.get('docker-content-digest')
  expect(pushed).toMatch(/^sha256:[0-9a-f]{64}$/)
  expect(out.outputs.digest).toBe(pushed)
  expect(out.outputs.image).toBe(`${repository}@${pushed}`)

  const service = await kit.service('built')
  expect(service.spec.template.spec.containers[0].image).toBe(`${repository}@${pushed}`)
  const revision = kit.emulator().store.get(REVISIONS, 'default', 'built-v1')
  expect(revision?.status?.containerStatuses?.[0]?.imageDigest).toBe(`${repository}@${pushed}`)
}, 120_000)

test('the pushed image and digest are outputs even when the rollout after the build fails', async () => {
  const repository = `${registry.host}/acme/orphan`
  // An API server nobody listens on: the build succeeds, every cluster call then fails.
  const unreachable = kit.kubeconfig().replace(/server: .*/, 'server: http://127.0.0.1:1')
  const out = await runAction({
    inputs: kit.inputs({
      kubeconfig: unreachable,
      manifest: await kit.manifest('orphan', serviceYaml('orphan', 'docker.io/acme/orphan:old')),
      'revision-name': 'orphan-v1',
      'build-context': 'test/fixtures/build/hello',
      builder: 'buildah',
      image: repository,
      tags: 'e2e',
      'registry-insecure': 'true',
      timeout: '1m'
    }),
    env: { STORAGE_DRIVER: 'vfs' }
  })
  expect(out.outputs.result).toBe('failed')
  expect(out.code).not.toBe(0)
  const head = await fetch(`${registry.url}/v2/acme/orphan/manifests/e2e`, {
    method: 'HEAD',
    headers: { accept: MANIFEST_TYPES }
  })
  const pushed = head.headers.get('docker-content-digest')
  expect(out.outputs.digest).toBe(pushed)
  expect(out.outputs.image).toBe(`${repository}@${pushed}`)
}, 180_000)
