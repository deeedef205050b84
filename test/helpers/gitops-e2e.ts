// What the traffic-owner git end-to-end tests share: the emulator's RBAC (a read-only token
// for the action, an all-powerful one for the Flux stand-in), the action's read-only
// kubeconfig, the audit count that proves the action wrote nothing, and the usual GitOps
// merge of a bad release (a new template, traffic still pinned to the current revision).

import { kubeconfigYaml } from '../../emulator/kubeconfig.js'
import type { BareRepo } from './bare-repo.js'
import type { TestEmulator } from './emulator.js'

export const READ_ONLY = 'read-only-token-0123456789abcdef'
export const FLUX = 'flux-token-0123456789abcdef'
export const READ_ONLY_USER = 'ci-read-only'

export const GITOPS_RBAC = {
  [READ_ONLY]: {
    user: READ_ONLY_USER,
    rules: [
      {
        apiGroups: ['serving.knative.dev'],
        resources: ['services', 'revisions'],
        verbs: ['get', 'list', 'watch']
      }
    ]
  },
  [FLUX]: {
    user: 'kustomize-controller',
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]
  }
}

/** The action's kubeconfig: get, list and watch only. */
export const readOnlyKubeconfig = (e: TestEmulator): string =>
  kubeconfigYaml({ server: e.apiUrl, user: READ_ONLY_USER, token: READ_ONLY })

/** Requests by `user` that could change the cluster. */
export const writesBy = (e: TestEmulator, user = READ_ONLY_USER): number =>
  e.api.audit.list().filter((x) => x.user === user && x.method !== 'GET').length

/**
 * Someone merges a bad release of shop into `path` on `branch`: the template names shop-v3
 * (image shop:v3) and half its answers are errors; traffic stays as it was (on shop-v2).
 */
export function pushBadTemplate(repo: BareRepo, path: string, branch = 'main'): void {
  repo.pushFromElsewhere(
    path,
    repo
      .show(branch, path)
      .replace('      name: shop-v2\n', '      name: shop-v3\n')
      .replace('shop:v2', 'shop:v3')
      .replace(
        'value: "20"',
        'value: "20"\n            - name: EMULATOR_ERROR_RATE\n              value: "0.5"'
      ),
    'shop v3',
    branch
  )
}
