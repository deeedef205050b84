// GitHub Deployments for a rollout: one deployment per run, created `in_progress` when the
// rollout starts and closed with `success` (with the service URL), `failure` or `inactive`.

import type { GitHubApi } from './api.js'
import type { GitHubContext } from './context.js'

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive'

export interface DeploymentInfo {
  environment: string
  service: string
  namespace: string
  /** The candidate's name when known before the rollout starts (`revision-name`). */
  revision?: string
}

export class Deployments {
  private id?: number

  constructor(
    private readonly api: GitHubApi,
    private readonly context: GitHubContext
  ) {}

  private get repoPath(): string {
    return `/repos/${encodeURIComponent(this.context.owner)}/${encodeURIComponent(this.context.repo)}`
  }

  async start(info: DeploymentInfo): Promise<void> {
    const created = await this.api.request<{ id: number }>('POST', `${this.repoPath}/deployments`, {
      ref: this.context.sha,
      task: 'deploy:knative-rollout',
      // The rollout is the check: GitHub must not refuse or merge on our behalf.
      auto_merge: false,
      required_contexts: [],
      environment: info.environment,
      description:
        `Progressive rollout of ${info.namespace}/${info.service}${info.revision ? ` to ${info.revision}` : ''}`.slice(
          0,
          140
        ),
      payload: {
        service: info.service,
        namespace: info.namespace,
        ...(info.revision ? { revision: info.revision } : {})
      }
    })
    this.id = created.id
    await this.status('in_progress', `Rolling out ${info.revision ?? info.service}`)
  }

  /** Records a state; the environment URL is only given on success, as GitHub shows it as live. */
  async status(
    state: DeploymentState,
    description: string,
    environmentUrl?: string
  ): Promise<void> {
    if (this.id === undefined) return
    await this.api.request('POST', `${this.repoPath}/deployments/${this.id}/statuses`, {
      state,
      log_url: this.context.runUrl,
      description: description.slice(0, 140),
      ...(state === 'success' && environmentUrl ? { environment_url: environmentUrl } : {}),
      auto_inactive: state === 'success'
    })
  }
}
