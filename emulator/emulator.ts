// The whole emulator on one machine: the store, the Knative controller, the data plane
// (ingress + metrics) and the Kubernetes API server, plus a kubeconfig pointing at it.

import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DataPlane } from './dataplane/index.js'
import { admit, Controller, present } from './knative/index.js'
import { writeKubeconfig } from './kubeconfig.js'
import { createApiServer, type ApiServer } from './server.js'
import { defaultSettings, type EmulatorSettings } from './settings.js'
import { Store } from './store.js'

export interface EmulatorOptions {
  /** API port; 0 (default) picks a free one. */
  port?: number
  /** Ingress port; 0 (default) picks a free one. */
  ingressPort?: number
  domain?: string
  statusDelayMs?: number
  serveV1alpha1?: boolean
  /** Where to write the kubeconfig; a private temporary file (removed on stop) otherwise. */
  kubeconfigPath?: string
}

export interface Emulator {
  apiUrl: string
  ingressUrl: string
  kubeconfigPath: string
  store: Store
  settings: EmulatorSettings
  dataPlane: DataPlane
  controller: Controller
  api: ApiServer
  stop(): Promise<void>
}

/** The user the kubeconfig's token authenticates as (Knative's creator / lastModifier). */
export const EMULATOR_USER = 'kubernetes-admin'

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const settings = defaultSettings({
    ...(opts.domain !== undefined ? { domain: opts.domain } : {}),
    ...(opts.statusDelayMs !== undefined ? { statusDelayMs: opts.statusDelayMs } : {}),
    serveV1alpha1: opts.serveV1alpha1 ?? false
  })
  const store = new Store()
  const controller = new Controller(store, settings)
  const dataPlane = new DataPlane(store, settings)
  const token = randomBytes(24).toString('hex')
  const api = createApiServer({
    store,
    settings,
    admit,
    present,
    dataPlane,
    tokens: { [token]: EMULATOR_USER }
  })
  const tempDir = opts.kubeconfigPath
    ? undefined
    : await mkdtemp(join(tmpdir(), 'knative-emulator-'))
  const kubeconfigPath = opts.kubeconfigPath ?? join(tempDir!, 'kubeconfig')

  controller.start()
  const stop = async () => {
    await api.close()
    await dataPlane.close()
    controller.stop()
    if (tempDir) await rm(tempDir, { recursive: true, force: true })
  }
  try {
    const ingressUrl = await dataPlane.listen(opts.ingressPort ?? 0, '127.0.0.1')
    const apiUrl = await api.listen(opts.port ?? 0, '127.0.0.1')
    await writeKubeconfig(kubeconfigPath, { server: apiUrl, user: EMULATOR_USER, token })
    return { apiUrl, ingressUrl, kubeconfigPath, store, settings, dataPlane, controller, api, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
