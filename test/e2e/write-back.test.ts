// write-back in action mode through run(): the action writes the cluster, then the manifest
// in a real git repository (bare remote, the action's checkout) is made to say what the
// cluster serves: the promoted image by digest and revision, or the restored ones.

import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { bareRepo, type BareRepo } from '../helpers/bare-repo.js'
import { withEmulator } from '../helpers/emulator.js'
import { rolloutRig, type RolloutRig } from '../helpers/rollout-e2e.js'
import { serviceYaml } from '../helpers/service-yaml.js'

const emulator = withEmulator()
const PATH = 'deploy/shop.yaml'
let rig: RolloutRig
let repo: BareRepo
let checkout: string

const manifest = (version: string, env: Record<string, string> = {}) =>
  serviceYaml('shop', `docker.io/acme/shop:${version}`, { EMULATOR_LATENCY_MS: '20', ...env })

beforeAll(async () => {
  rig = await rolloutRig(emulator())
  await rig.deployV1('shop')
  repo = bareRepo({ [PATH]: '# the storefront, synced by Flux\n' + manifest('v1') })
  checkout = repo.clone('checkout')
})
afterAll(async () => {
  await rig.cleanup()
  repo.remove()
})

async function release(version: string, env: Record<string, string> = {}) {
  await writeFile(
    join(checkout, PATH),
    '# the storefront, synced by Flux\n' + manifest(version, env)
  )
  return rig.rollout({
    manifest: join(checkout, PATH),
    'revision-name': `shop-${version}`,
    steps: '50,100',
    'write-back': 'commit',
    'git-branch': 'main'
  })
}

test('a promotion is committed: the image by digest and the revision name, the comment kept', async () => {
  const out = await release('v2')
  expect(out.result).toBe('promoted')
  const inGit = repo.show('main', PATH)
  expect(inGit).toMatch(/image: docker\.io\/acme\/shop@sha256:[0-9a-f]{64}/)
  expect(inGit).toContain('name: shop-v2')
  expect(inGit.startsWith('# the storefront, synced by Flux\n')).toBe(true)
  expect(out.commit).toMatch(/^[0-9a-f]{40}$/)
  expect(out.lines.join('\n')).toMatch(/write-back: pushed [0-9a-f]{12}/)
})

test('a rollback is committed as a revert to the revision serving again', async () => {
  const out = await release('v3', { EMULATOR_ERROR_RATE: '0.5' })
  expect(out.result).toBe('rolled-back')
  const inGit = repo.show('main', PATH)
  expect(inGit).toContain('name: shop-v2')
  expect(inGit).not.toContain('shop:v3')
  const subject = out.lines.find((l) => l.includes('write-back: pushed'))
  expect(subject).toMatch(/Revert/)
})

test('a manifest outside a git checkout is refused before anything is written', async () => {
  const outside = await rig.manifest('shop', 'v4')
  const before = emulator()
    .api.audit.list()
    .filter((e) => e.method !== 'GET').length
  const out = await rig.rollout({
    manifest: outside,
    'revision-name': 'shop-v4',
    'write-back': 'commit'
  })
  expect(out.result).toBe('failed')
  expect(out.message).toMatch(/is not inside a git checkout/)
  expect(
    emulator()
      .api.audit.list()
      .filter((e) => e.method !== 'GET').length
  ).toBe(before)
})
