// What the traffic-owner git end-to-end tests share: the emulator's RBAC (a read-only token
// for the action, an all-powerful one for the Flux stand-in), the action's read-only
// kubeconfig, the audit count that proves the action wrote nothing, and the usual GitOps
// merge of a bad release (a new template, traffic still pinned to the current revision);
// for the pipelines, a stand-in per cluster and a run of the pipeline as the action runs it.

import { kubeconfigYaml } from '../../emulator/kubeconfig.js'
import { start, type FluxStandin } from '../../emulator/flux-standin/controller.js'
import { wallClock } from '../../src/clock.js'
import { parseInputs } from '../../src/inputs.js'
import { runPipeline, type PipelineOutcome } from '../../src/pipeline/run-pipeline.js'
import { git, type BareRepo } from './bare-repo.js'
import { eventually, type TestEmulator } from './emulator.js'
import { memoryLogger } from './memory-logger.js'
import { FAST, rolloutRig } from './rollout-e2e.js'

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

/** A stand-in for Flux applying `branch`'s `path` to `e`, once it has applied shop's first revision. */
export async function startStandin(
  repo: BareRepo,
  e: TestEmulator,
  source: { branch: string; path: string }
): Promise<FluxStandin> {
  const flux = await start({
    repoUrl: repo.remote,
    ...source,
    apiUrl: e.apiUrl,
    token: FLUX,
    intervalMs: 200
  })
  const rig = await rolloutRig(e)
  await eventually(
    async () =>
      (await rig.service('shop').catch(() => undefined))?.status?.latestReadyRevisionName ===
      'shop-00001',
    `the stand-in applying ${source.branch}:${source.path}`,
    30_000
  )
  await rig.cleanup()
  return flux
}

/**
 * A fast traffic-owner git pipeline on the clusters `one` and `two` (kubeconfig-env KC_ONE,
 * KC_TWO: read-only), from `checkout` brought up to date first.
 */
export function gitPipeline(
  checkout: string,
  clusters: { one: TestEmulator; two: TestEmulator },
  given: Record<string, string>
): Promise<PipelineOutcome> {
  git(checkout, 'pull', '--quiet', '--rebase', 'origin', 'main')
  const all: Record<string, string> = {
    ...FAST,
    steps: '25,100',
    'traffic-owner': 'git',
    'sync-timeout': '20s',
    ...given
  }
  return runPipeline(
    parseInputs((n) => all[n]),
    {
      clock: wallClock,
      log: memoryLogger(),
      env: {
        GITHUB_WORKSPACE: checkout,
        KC_ONE: readOnlyKubeconfig(clusters.one),
        KC_TWO: readOnlyKubeconfig(clusters.two)
      },
      me: { id: 'acme/shop/runs/1', url: 'https://github.com/acme/shop/actions/runs/1' }
    }
  )
}
