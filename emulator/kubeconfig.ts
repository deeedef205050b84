// The kubeconfig a client uses to reach the emulator: one cluster (plain http on
// loopback, so `insecure-skip-tls-verify: true`, without which client-node 2.x refuses
// http), one bearer-token user, namespace `default`. Written with mode 0600: it holds
// the token. Over https the cluster carries the server's CA as certificate-authority-data.

import { chmod, writeFile } from 'node:fs/promises'
import { stringify } from 'yaml'

export const CONTEXT_NAME = 'knative-emulator'

export interface KubeconfigSpec {
  server: string
  user: string
  token: string
  namespace?: string
  /** PEM CA for an https server; omitted, an https cluster has no CA data (so it is not trusted). */
  ca?: string
}

function clusterEntry(spec: KubeconfigSpec): Record<string, unknown> {
  if (!spec.server.startsWith('https:'))
    return { server: spec.server, 'insecure-skip-tls-verify': true }
  return spec.ca
    ? { server: spec.server, 'certificate-authority-data': Buffer.from(spec.ca).toString('base64') }
    : { server: spec.server }
}

export function kubeconfigYaml(spec: KubeconfigSpec): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: CONTEXT_NAME, cluster: clusterEntry(spec) }],
    users: [{ name: spec.user, user: { token: spec.token } }],
    contexts: [
      {
        name: CONTEXT_NAME,
        context: { cluster: CONTEXT_NAME, user: spec.user, namespace: spec.namespace ?? 'default' }
      }
    ],
    'current-context': CONTEXT_NAME,
    preferences: {}
  })
}

export async function writeKubeconfig(path: string, spec: KubeconfigSpec): Promise<void> {
  await writeFile(path, kubeconfigYaml(spec), { mode: 0o600 })
  await chmod(path, 0o600) // an existing file keeps its mode on writeFile
}
