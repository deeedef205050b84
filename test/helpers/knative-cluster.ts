// A small cluster for the Knative semantics tests: a real Store, the admission chain in
// front of it (as the API server runs it), and the controller behind it.

import { admit } from '../../emulator/knative/index.js'
import { Controller } from '../../emulator/knative/controller.js'
import type { ImageResolver } from '../../emulator/knative/image.js'
import { RESOURCES, storeKey, type ResourceType } from '../../emulator/resources.js'
import { defaultSettings, type EmulatorSettings } from '../../emulator/settings.js'
import { Store, type KObject } from '../../emulator/store.js'

export const NS = 'default'

export const type = (plural: string): ResourceType => RESOURCES.find((r) => r.plural === plural)!

export const svc = (name: string, spec: any, meta: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name, namespace: NS, ...meta },
  spec
})

export const template = (
  image: string,
  extra: Record<string, unknown> = {},
  env: Record<string, string> = {}
) => ({
  ...extra,
  spec: {
    containers: [{ image, env: Object.entries(env).map(([name, value]) => ({ name, value })) }]
  }
})

export class Cluster {
  readonly store = new Store()
  readonly settings: EmulatorSettings
  readonly controller: Controller

  constructor(
    opts: { statusDelayMs?: number; resolver?: ImageResolver; knativeVersion?: string } = {}
  ) {
    this.settings = defaultSettings({
      statusDelayMs: opts.statusDelayMs ?? 1,
      serveV1alpha1: true,
      ...(opts.knativeVersion ? { knativeVersion: opts.knativeVersion } : {})
    })
    const resolver: ImageResolver = opts.resolver ?? (async (image) => fakeDigest(image))
    this.controller = new Controller(this.store, this.settings, resolver)
    this.controller.start()
  }

  create(plural: string, obj: KObject, version = 'v1', user = 'alice'): KObject {
    const admitted = admit(
      { operation: 'CREATE', resource: type(plural), version, object: obj, user },
      this.settings
    )
    return this.store.create(storeKey(type(plural)), admitted)
  }

  /** A read-modify-write, as `kubectl edit` or a merge patch does. */
  update(plural: string, name: string, mutate: (obj: KObject) => void, user = 'alice'): KObject {
    const old = this.get(plural, name)!
    const next = structuredClone(old)
    mutate(next)
    const admitted = admit(
      {
        operation: 'UPDATE',
        resource: type(plural),
        version: 'v1',
        object: next,
        oldObject: old,
        user
      },
      this.settings
    )
    return this.store.update(storeKey(type(plural)), admitted)
  }

  get(plural: string, name: string): KObject | undefined {
    return this.store.get(storeKey(type(plural)), NS, name)
  }

  list(plural: string): KObject[] {
    return this.store.list(storeKey(type(plural)), NS)
  }

  /** Polls until `check` returns a value (not undefined / false); fails with the last state. */
  async until<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = check()
      if (value !== undefined && value !== false) return value
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise((r) => setTimeout(r, 5))
    }
  }

  /** Waits until the Service reports status for its current generation with Ready settled. */
  async settled(name: string, ready: 'True' | 'False' = 'True'): Promise<KObject> {
    return this.until(`service ${name} Ready=${ready}`, () => {
      const s = this.get('services', name)
      const cond = s?.status?.conditions?.find((c: any) => c.type === 'Ready')
      return s && s.status?.observedGeneration === s.metadata.generation && cond?.status === ready
        ? s
        : undefined
    })
  }

  stop(): void {
    this.controller.stop()
  }
}

export const fakeDigest = (image: string) =>
  'sha256:' + Buffer.from(image).toString('hex').padEnd(64, '0').slice(0, 64)

export const cond = (obj: KObject | undefined, t: string) =>
  obj?.status?.conditions?.find((c: any) => c.type === t)
