// GitHub Deployments for a rollout: one deployment per run, of the commit being deployed,
// created `in_progress` when the rollout starts and closed with `success` (with the
// service URL), `failure` or `inactive`; a paused rollout stays `in_progress` and says so.
// Older deployments of the same Service in the environment are made `inactive` once they
// no longer describe what serves (older-deployments.ts).

import type { GitHubApi } from './api.js'
import type { GitHubContext } from './context.js'
import { DEPLOY_TASK, retireAll, retireOlder } from './older-deployments.js'

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive'

export { DEPLOY_TASK } from './older-deployments.js'

export interface DeploymentInfo {
  environment: string
  service: string
  namespace: string
  /** The candidate's name when known before the rollout starts (`revision-name`). */
  revision?: string
  /** The commit deployed; the context's deployedSha (the PR's head, or GITHUB_SHA) by default. */
  ref?: string
  /**
   * A pull request's preview (preview-report.ts): its environment is transient (GitHub's
   * word for one that goes away, here when the pull request closes), never production.
   */
  preview?: { pullRequest: number; tag: string }
  /** A pipeline's stage and cluster (waves): in the payload and the description. */
  wave?: string
  cluster?: string
  /**
   * Other Services deploy to the same environment (a pipeline): GitHub's auto_inactive would
   * make their successes inactive too, so only this Service's older ones are (retireOlder).
   */
  shared?: boolean
}

/** GitHub cuts nothing: a description over 140 characters is refused (422). */
const MAX_DESCRIPTION = 140

export class Deployments {
  private id?: number
  private info?: DeploymentInfo

  constructor(
    private readonly api: GitHubApi,
    private readonly context: GitHubContext
  ) {}

  private get repoPath(): string {
    return `/repos/${encodeURIComponent(this.context.owner)}/${encodeURIComponent(this.context.repo)}`
  }

  async start(info: DeploymentInfo): Promise<void> {
    const { preview } = info
    const to = info.revision ? ` to ${info.revision}` : ''
    const created = await this.api.request<{ id: number }>('POST', `${this.repoPath}/deployments`, {
      ref: info.ref ?? this.context.deployedSha,
      task: DEPLOY_TASK,
      // The rollout is the check: GitHub must not refuse or merge on our behalf.
      auto_merge: false,
      required_contexts: [],
      environment: info.environment,
      description: clip(
        preview
          ? `Preview of ${info.namespace}/${info.service} for pull request #${preview.pullRequest}`
          : `Progressive rollout of ${info.namespace}/${info.service}${to}${info.cluster ? ` in ${info.cluster}` : ''}`
      ),
      ...(preview ? { transient_environment: true, production_environment: false } : {}),
      payload: {
        service: info.service,
        namespace: info.namespace,
        ...(info.revision ? { revision: info.revision } : {}),
        ...(preview ? { pull_request: preview.pullRequest, tag: preview.tag } : {}),
        ...(info.wave ? { wave: info.wave } : {}),
        ...(info.cluster ? { cluster: info.cluster } : {})
      }
    })
    this.id = created.id
    this.info = info
    const what = info.revision ?? info.service
    await this.status(
      'in_progress',
      preview
        ? `Making the preview of ${info.service}${info.revision ? `: ${info.revision}` : ''}`
        : `Rolling out ${what}`
    )
  }

  /**
   * Records a state. `log_url` is this run's log; `environment_url` (GitHub's "View
   * deployment") is given only while the environment serves this deployment: on success, and
   * on a paused one (in_progress), whose candidate serves its share. auto_inactive retires
   * older successful deployments of a non-production environment (unless it is shared);
   * retireOlder does the rest.
   */
  async status(
    state: DeploymentState,
    description: string,
    environmentUrl?: string
  ): Promise<void> {
    if (this.id === undefined) return
    const live = state === 'success' || state === 'in_progress'
    await this.api.request('POST', `${this.repoPath}/deployments/${this.id}/statuses`, {
      state,
      log_url: this.context.runUrl,
      description: clip(description),
      ...(live && environmentUrl ? { environment_url: environmentUrl } : {}),
      auto_inactive: state === 'success' && !this.info?.shared
    })
  }

  /** After the final status: older deployments of this Service that no longer serve, inactive. */
  async retireOlder(state: DeploymentState): Promise<void> {
    if (this.id === undefined || !this.info) return
    await retireOlder(this.api, this.repoPath, {
      id: this.id,
      environment: this.info.environment,
      service: this.info.service,
      namespace: this.info.namespace,
      runUrl: this.context.runUrl,
      superseded: state
    })
  }

  /** Every deployment of the Service in the environment made inactive (a preview removed). */
  async retireAll(
    scope: { environment: string; service: string; namespace: string },
    description: string
  ): Promise<number> {
    return retireAll(
      this.api,
      this.repoPath,
      { ...scope, runUrl: this.context.runUrl },
      clip(description)
    )
  }
}

function clip(text: string): string {
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}…` : text
}
