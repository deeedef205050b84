// A pull request preview writes the Service's template for a moment (preview-revision.ts)
// while a production rollout may be running on the same Service. These runs put the two at
// the interleavings where one would put back the other's template, in virtual time on the
// in-memory Knative: a rollout whose candidate fails while a preview's template is there,
// and a rollout that starts while it is there.

import type { KService, RevisionTemplate } from '../../../src/knative/types.js'
import type { ServingClient } from '../../../src/rollout/ports.js'
import { isPreviewTemplate, PREVIEW_ANNOTATION } from '../../../src/rollout/preview-traffic.js'
import { inputs, manifest, NS, SVC, World } from '../../helpers/engine-harness.js'

/** Lets every other promise chain run (the virtual clock moves on meanwhile) until `ok`. */
async function until(ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (await ok()) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error('the condition never held')
}

/**
 * The preview's client: once a preview's template is on the Service, its wait for Knative
 * holds until `gate` resolves, so whatever the rollout does then happens inside the
 * preview's window, before its put-back.
 */
function heldAtPreviewTemplate(world: World, gate: Promise<unknown>): ServingClient {
  const k = world.knative
  return new Proxy(k, {
    get(target, prop) {
      if (prop === 'waitForService')
        return async (...args: Parameters<ServingClient['waitForService']>) => {
          const live = await k.getService(NS, SVC)
          if (isPreviewTemplate(live?.spec.template)) await gate
          return k.waitForService(...args)
        }
      const value = Reflect.get(target, prop) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    }
  })
}

const previewOf = (pr: number) =>
  inputs({
    command: 'preview',
    revisionName: `shop-pr-${pr}-a`,
    preview: { cleanup: false, pullRequest: pr }
  })

test("a rollout's candidate fails while a preview is asked for: the rollback puts production's template back, not the failed one", async () => {
  const world = new World()
  await world.deployed()
  const failing = manifest('registry.local/shop:v2', {
    EMULATOR_EXIT_CODE: '1',
    EMULATOR_READY_DELAY_MS: '20000'
  })
  const release = world.run({ inputs: inputs({ revisionName: 'shop-v2' }), manifest: failing })
  await until(async () => (await world.service()).spec.template.metadata?.name === 'shop-v2')

  const preview = world.run(
    { inputs: previewOf(7), manifest: manifest('registry.local/shop:pr7') },
    { client: heldAtPreviewTemplate(world, release) }
  )
  const [rolled, previewed] = await Promise.all([release, preview])
  expect(rolled.result).toBe('rolled-back')
  expect(rolled.message).toMatch(/candidate shop-v2 did not become ready: ExitCode1/)
  expect(previewed.result).toBe('previewed')
  // The preview waited for the rollout instead of writing its template under it.
  expect(previewed.log.join('\n')).toMatch(
    /the preview shop-pr-7-a waits for the rollout's candidate shop-v2 to become ready/
  )
  const svc = await world.service()
  // Production's template, as the rollback left it; not the failed candidate's.
  expect(svc.spec.template.metadata?.name).toBe('shop-v1')
  expect(svc.spec.traffic?.find((t) => t.tag === 'pr-7')?.revisionName).toBe('shop-pr-7-a')
})

test("a preview whose rollout's candidate never becomes ready times out, having written nothing", async () => {
  const world = new World()
  await world.deployed()
  const stuck = manifest('registry.local/shop:v2', { EMULATOR_READY_DELAY_MS: '600000' })
  const release = world.run({
    inputs: inputs({ revisionName: 'shop-v2', timeoutMs: 900_000 }),
    manifest: stuck
  })
  await until(async () => (await world.service()).spec.template.metadata?.name === 'shop-v2')
  const before = await world.service()
  const out = await world.run({
    inputs: { ...previewOf(7), timeoutMs: 60_000 },
    manifest: manifest('registry.local/shop:pr7')
  })
  expect(out.result).toBe('failed')
  expect(out.message).toMatch(
    /^timed out waiting for the rollout's candidate shop-v2 to become ready/
  )
  const after = await world.service()
  expect(after.spec).toEqual(before.spec)
  expect(await world.knative.getRevision(NS, 'shop-pr-7-a')).toBeUndefined()
  await release
})

/** A preview's template on the Service, as a preview run writes it to make its revision. */
async function previewTemplateLive(world: World): Promise<RevisionTemplate> {
  const production = (await world.service()).spec.template
  const template: RevisionTemplate = {
    metadata: { name: 'shop-pr-7-a', annotations: { [PREVIEW_ANNOTATION]: 'pr-7' } },
    spec: {
      containers: [{ image: 'registry.local/shop:pr7', env: [{ name: 'MODE', value: 'pr-7' }] }]
    }
  }
  await world.knative.updateService(NS, SVC, (s: KService) => ({
    ...s,
    spec: { ...s.spec, template }
  }))
  return production
}

test("a rollout without a manifest that starts while a preview's template is there builds on production's", async () => {
  const world = new World()
  await world.deployed({ MODE: 'production' })
  const production = await previewTemplateLive(world)
  // The preview puts production's back 5 s later.
  void world.clock
    .sleep(5_000)
    .then(() =>
      world.knative.updateService(NS, SVC, (s) =>
        isPreviewTemplate(s.spec.template)
          ? { ...s, spec: { ...s.spec, template: production } }
          : undefined
      )
    )
  const out = await world.run({
    inputs: inputs({ image: 'registry.local/shop:v2', revisionName: 'shop-v2' })
  })
  expect(out.result).toBe('promoted')
  const candidate = await world.knative.getRevision(NS, 'shop-v2')
  expect(candidate?.spec.containers[0].image).toBe('registry.local/shop:v2')
  expect(candidate?.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'production' }])
  expect(candidate?.metadata.annotations?.[PREVIEW_ANNOTATION]).toBeUndefined()
})

test("a preview's template left there (its run killed) is refused by a rollout without a manifest", async () => {
  const world = new World()
  await world.deployed({ MODE: 'production' })
  await previewTemplateLive(world)
  const before = await world.service()
  await expect(
    world.run({ inputs: inputs({ image: 'registry.local/shop:v2', revisionName: 'shop-v2' }) })
  ).rejects.toThrow(
    /^the template of "shop" is still a pull request preview's \(rollout\.knative-rollout\.dev\/preview\); its run must have stopped/
  )
  expect((await world.service()).spec).toEqual(before.spec)
})

test("a rollout with a manifest replaces a preview's template left there, after waiting for it", async () => {
  const world = new World()
  await world.deployed({ MODE: 'production' })
  await previewTemplateLive(world)
  const out = await world.run({
    inputs: inputs({ revisionName: 'shop-v2' }),
    manifest: manifest('registry.local/shop:v2', { MODE: 'v2' })
  })
  expect(out.result).toBe('promoted')
  expect(out.log.join('\n')).toContain("the template of shop is a preview's for a moment")
  const svc = await world.service()
  expect(svc.spec.template.metadata?.name).toBe('shop-v2')
  expect(isPreviewTemplate(svc.spec.template)).toBe(false)
})
