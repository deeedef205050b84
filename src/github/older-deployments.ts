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

export interface Newer {
  /** The deployment that supersedes the others. */
  id: number
  environment: string
  service: string
  namespace: string
  runUrl: string
  /** Its final state: a success retires older successes too, any state retires open ones. */
  superseded: DeploymentState
}

/** Open states: a run that paused (or died) left them so. */
const OPEN = new Set(['in_progress', 'queued', 'pending'])

export async function retireOlder(api: GitHubApi, repoPath: string, newer: Newer): Promise<number> {
  const query = new URLSearchParams({
    environment: newer.environment,
    task: DEPLOY_TASK,
    per_page: String(LOOK_BACK)
  })
  const list = await api.request<Deployment[]>('GET', `${repoPath}/deployments?${query}`)
  let retired = 0
  for (const d of list ?? []) {
    if (d.id === newer.id || d.task !== DEPLOY_TASK || !sameService(d.payload, newer)) continue
    const [latest] = await api.request<{ state?: string }[]>(
      'GET',
      `${repoPath}/deployments/${d.id}/statuses?per_page=1`
    )
    const state = latest?.state ?? ''
    const retire = OPEN.has(state) || (state === 'success' && newer.superseded === 'success')
    if (!retire) continue
    await api.request('POST', `${repoPath}/deployments/${d.id}/statuses`, {
      state: 'inactive',
      log_url: newer.runUrl,
      description: `Superseded by deployment ${newer.id}`,
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
