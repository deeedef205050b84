// Older deployments of one Service in an environment, made `inactive` when a newer run makes
// them untrue. GitHub's auto_inactive does this only for prior *successful* deployments of
// *non-production* environments; a `production` environment (GitHub's default for that
// name) keeps every old success "active", and a paused rollout's deployment stays
// `in_progress` after a later run promoted, aborted or replaced it. Only this action's
// deployments (its task) of the same Service (its payload) are touched; the newest few
// are looked at, as each run retires the ones before it.

import type { GitHubApi } from './api.js'
import type { DeploymentState } from './deployments.js'

/** The task every deployment of this action carries: how its own are told from others'. */
export const DEPLOY_TASK = 'deploy:knative-rollout'

/** How many of the environment's newest deployments are looked at. */
export const LOOK_BACK = 10

interface Deployment {
  id: number
  task?: string
  payload?: unknown
}

/** One Service's deployments in one environment, and the run that changes them. */
export interface Scope {
  environment: string
  service: string
  namespace: string
  runUrl: string
}

export interface Newer extends Scope {
  /** The deployment that supersedes the others. */
  id: number
  /** Its final state: a success retires older successes too, any state retires open ones. */
  superseded: DeploymentState
}

/** Open states: a run that paused (or died) left them so. */
const OPEN = new Set(['in_progress', 'queued', 'pending'])

export async function retireOlder(api: GitHubApi, repoPath: string, newer: Newer): Promise<number> {
  const retire = (state: string) =>
    OPEN.has(state) || (state === 'success' && newer.superseded === 'success')
  return retireWhere(api, repoPath, newer, {
    retire,
    description: `Superseded by deployment ${newer.id}`,
    except: newer.id
  })
}

/**
 * Every deployment of the Service in the environment that is not inactive yet, made so: what
 * it deployed is gone (a pull request's preview, removed when the pull request closed).
 */
export async function retireAll(
  api: GitHubApi,
  repoPath: string,
  scope: Scope,
  description: string
): Promise<number> {
  return retireWhere(api, repoPath, scope, { retire: (s) => s !== 'inactive', description })
}

async function retireWhere(
  api: GitHubApi,
  repoPath: string,
  scope: Scope,
  how: { retire: (state: string) => boolean; description: string; except?: number }
): Promise<number> {
  const query = new URLSearchParams({
    environment: scope.environment,
    task: DEPLOY_TASK,
    per_page: String(LOOK_BACK)
  })
  const list = await api.request<Deployment[]>('GET', `${repoPath}/deployments?${query}`)
  let retired = 0
  for (const d of list ?? []) {
    if (d.id === how.except || d.task !== DEPLOY_TASK || !sameService(d.payload, scope)) continue
    const [latest] = await api.request<{ state?: string }[]>(
      'GET',
      `${repoPath}/deployments/${d.id}/statuses?per_page=1`
    )
    if (!how.retire(latest?.state ?? '')) continue
    await api.request('POST', `${repoPath}/deployments/${d.id}/statuses`, {
      state: 'inactive',
      log_url: scope.runUrl,
      description: how.description,
      auto_inactive: false
    })
    retired++
  }
  return retired
}

/** GitHub returns the payload as it was sent: an object, or a JSON string. */
function sameService(payload: unknown, s: { service: string; namespace: string }): boolean {
  let p = payload
  if (typeof p === 'string') {
    try {
      p = JSON.parse(p)
    } catch {
      return false
    }
  }
  const o = p as { service?: unknown; namespace?: unknown } | null
  return !!o && o.service === s.service && o.namespace === s.namespace
}
