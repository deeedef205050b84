// The few Knative API calls a conformance row makes, through @kubernetes/client-node and
// through the real kubectl alike, so that one row runs through each client a user has.

import {
  ApiException,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions
} from '@kubernetes/client-node'
import { kubectl, type TestEmulator } from './emulator.js'

export interface ServingClient {
  create(body: any): Promise<void>
  /** A JSON merge patch of `plural`/`name` (`kubectl patch --type merge`). */
  patch(plural: string, name: string, patch: unknown): Promise<void>
  get(plural: string, name: string): Promise<any>
}

const GROUP = { group: 'serving.knative.dev', version: 'v1', namespace: 'default' }

export function clientNode(emulator: TestEmulator): ServingClient {
  const kc = new KubeConfig()
  kc.loadFromFile(emulator.kubeconfigPath)
  const api = kc.makeApiClient(CustomObjectsApi)
  return {
    async create(body) {
      const plural = `${String(body.kind).toLowerCase()}s`
      await api.createNamespacedCustomObject({ ...GROUP, plural, body })
    },
    async patch(plural, name, body) {
      await api.patchNamespacedCustomObject(
        { ...GROUP, plural, name, body },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
      )
    },
    get: (plural, name) => api.getNamespacedCustomObject({ ...GROUP, plural, name })
  }
}

export function kubectlClient(emulator: TestEmulator): ServingClient {
  const run = async (args: string[], stdin?: string) => {
    const res = await kubectl(emulator, args, stdin)
    if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${res.stderr}`)
    return res.stdout
  }
  const ref = (plural: string, name: string) => `${plural}.serving.knative.dev/${name}`
  return {
    create: async (body) => void (await run(['create', '-f', '-'], JSON.stringify(body))),
    patch: async (plural, name, patch) =>
      void (await run([
        'patch',
        ref(plural, name),
        '--type',
        'merge',
        '-p',
        JSON.stringify(patch)
      ])),
    get: async (plural, name) => JSON.parse(await run(['get', ref(plural, name), '-o', 'json']))
  }
}

/** The HTTP code and Status body of a client-node call that must fail. */
export async function failedCall(call: Promise<unknown>): Promise<{ code: number; body: any }> {
  try {
    await call
  } catch (err) {
    if (err instanceof ApiException) return { code: err.code, body: JSON.parse(err.body as string) }
    throw err
  }
  throw new Error('expected the call to fail')
}

/** Both clients, for `describe.each`. */
export const SERVING_CLIENTS: [string, (emulator: TestEmulator) => ServingClient][] = [
  ['client-node', clientNode],
  ['kubectl', kubectlClient]
]
