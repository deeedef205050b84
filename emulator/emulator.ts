// The whole emulator on one machine: the store, the Knative controller, the data plane
// (ingress + metrics) and the Kubernetes API server, plus a kubeconfig pointing at it.

import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DataPlane } from './dataplane/index.js'
import { admit, Controller, present } from './knative/index.js'
import { parseKnativeVersion } from './knative-version.js'
import { KNATIVE_AUTOSCALING, type AutoscalingSettings } from './knative/autoscaler.js'
import { writeKubeconfig } from './kubeconfig.js'
import { createApiServer, type ApiServer } from './server.js'
import { defaultSettings, type EmulatorSettings } from './settings.js'
import type { RbacPolicy } from './api/rbac.js'
import { selfSignedCert } from './tls.js'
import { Store } from './store.js'

export interface EmulatorOptions {
  /** API port; 0 (default) picks a free one. */
  port?: number
  /** Ingress port; 0 (default) picks a free one. */
  ingressPort?: number
  domain?: string
  statusDelayMs?: number
  serveV1alpha1?: boolean
  /** The Knative release played (`1.18` … `1.21`, or with a patch); the newest by default. */
  knativeVersion?: string
  /** Scale to zero (on by default) with Knative's windows, and the cold start delay. */
  autoscaling?: Partial<AutoscalingSettings>
  /** Where to write the kubeconfig; a private temporary file (removed on stop) otherwise. */
  kubeconfigPath?: string
  /**
   * RBAC on: bearer token → user and Role rules. The kubeconfig's own token stays an
   * administrator; these tokens may only do what their rules allow (403 otherwise).
   */
  rbac?: RbacPolicy
  /** Serve the API over HTTPS with a self-signed certificate (the kubeconfig trusts it). */
  tls?: boolean
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
  /** The API's certificate (PEM, its own CA) when served over HTTPS. */
  ca?: string
  stop(): Promise<void>
}

/** The user the kubeconfig's token authenticates as (Knative's creator / lastModifier). */
export const EMULATOR_USER = 'kubernetes-admin'

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const settings = defaultSettings({
    ...(opts.domain !== undefined ? { domain: opts.domain } : {}),
    ...(opts.statusDelayMs !== undefined ? { statusDelayMs: opts.statusDelayMs } : {}),
    serveV1alpha1: opts.serveV1alpha1 ?? false,
    ...(opts.knativeVersion !== undefined ? { knativeVersion: opts.knativeVersion } : {}),
    autoscaling: { ...KNATIVE_AUTOSCALING, ...(opts.autoscaling ?? {}) }
  })
  parseKnativeVersion(settings.knativeVersion) // refuse an unknown release before starting
  const store = new Store()
  const controller = new Controller(store, settings)
  const dataPlane = new DataPlane(store, settings, {
    onRequest: (namespace, revision, wake) => controller.noteRequest(namespace, revision, wake)
  })
  const token = randomBytes(24).toString('hex')
  const tls = opts.tls ? await selfSignedCert() : undefined
  const api = createApiServer({
    store,
    settings,
    admit,
    present,
    dataPlane,
    tokens: { [token]: EMULATOR_USER },
    rbac: opts.rbac,
    tls
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
    await writeKubeconfig(kubeconfigPath, {
      server: apiUrl,
      user: EMULATOR_USER,
      token,
      ca: tls?.cert
    })
    return {
      apiUrl,
      ingressUrl,
      kubeconfigPath,
      store,
      settings,
      dataPlane,
      controller,
      api,
      ca: tls?.cert,
      stop
    }
  } catch (err) {
    await stop()
    throw err
  }
}
