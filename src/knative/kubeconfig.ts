// Loads the kubeconfig with client-node: from the `kubeconfig` input's content (kept in
// memory, never written or logged), else KUBECONFIG / ~/.kube/config / in-cluster
// (client-node's rules). Used for what plain-kubeconfig.ts leaves: credential plugins,
// proxies, basic auth, several files, in-cluster, and the errors of invalid kubeconfigs.

import type { RequestOptions } from 'node:http'
import { KubeConfig } from '@kubernetes/client-node'
import { guardCredentialPlugins } from './credential-plugins.js'
import type { KubeAccess } from './kube-http.js'

/**
 * The kubeconfig's access through client-node: each request's options (TLS, the agent, its
 * proxy, the credential a plugin hands back, reported through `onSecret`) as it makes them.
 */
export function clientNodeAccess(
  options: { kubeconfig?: string; tlsInsecure?: boolean },
  onSecret: (value: string) => void = () => undefined
): KubeAccess {
  const kc = loadKubeConfig(options)
  guardCredentialPlugins(kc, onSecret)
  return {
    server: kc.getCurrentCluster()!.server,
    async requestOptions() {
      const opts: RequestOptions = {}
      await kc.applyToHTTPSOptions(opts)
      return opts
    }
  }
}

export function loadKubeConfig(options: {
  kubeconfig?: string
  tlsInsecure?: boolean
}): KubeConfig {
  const kc = new KubeConfig()
  if (options.kubeconfig !== undefined && options.kubeconfig.trim() !== '') {
    try {
      kc.loadFromString(options.kubeconfig)
    } catch (err) {
      // No `cause`: a YAML error quotes lines of the (secret) input.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`The kubeconfig input is not a valid kubeconfig: ${safeParseError(err)}`)
    }
    if (kc.clusters.length === 0) {
      throw new Error('The kubeconfig input is not a valid kubeconfig: it defines no clusters')
    }
  } else {
    try {
      kc.loadFromDefault()
    } catch (err) {
      // eslint-disable-next-line preserve-caught-error -- see above
      throw new Error(
        `Cannot load the kubeconfig from KUBECONFIG or ~/.kube/config: ${safeParseError(err)}`
      )
    }
    // client-node's last resort when nothing is configured; say so instead of failing on it later.
    if (
      kc.getCurrentCluster()?.server === 'http://localhost:8080' &&
      kc.getCurrentUser()?.name === 'user'
    ) {
      throw new Error(
        'No kubeconfig found: set the kubeconfig input (its content), the KUBECONFIG variable or ~/.kube/config, or run inside a cluster'
      )
    }
  }
  const cluster = kc.getCurrentCluster()
  if (!kc.getCurrentContext()) {
    throw new Error(
      'The kubeconfig has no current-context; set current-context to the context to deploy with'
    )
  }
  if (!cluster) {
    throw new Error(
      `The kubeconfig has no cluster for its current context "${kc.getCurrentContext()}"; set current-context to a context whose cluster exists`
    )
  }
  if (options.tlsInsecure && !cluster.skipTLSVerify) {
    kc.loadFromOptions({
      clusters: kc.clusters.map((c) =>
        c.name === cluster.name ? { ...c, skipTLSVerify: true } : c
      ),
      contexts: kc.contexts,
      users: kc.users,
      currentContext: kc.currentContext
    })
  }
  const current = kc.getCurrentCluster()!
  if (current.server.startsWith('http:') && !current.skipTLSVerify) {
    throw new Error(
      `The kubeconfig's server ${current.server} uses plain http; set insecure-skip-tls-verify: true on cluster "${current.name}" to allow an unencrypted connection`
    )
  }
  return kc
}

/** YAML errors quote the offending lines of the input; keep only the reason and position. */
function safeParseError(err: unknown): string {
  const e = err as { name?: string; reason?: string; mark?: { line?: number }; message?: string }
  if (e?.name === 'YAMLException') {
    const line = e.mark?.line !== undefined ? ` at line ${e.mark.line + 1}` : ''
    return `YAML error${line}: ${e.reason ?? 'cannot parse'}`
  }
  if (e instanceof TypeError)
    return 'it is not a kubeconfig document (expected clusters, contexts and users)'
  return e?.message ?? String(err)
}
