// write-back in action mode, once the run's outcome is on the cluster: the promoted image by
// digest and revision (or, after a rollback, the restored ones) go back into the manifest in
// git, as a commit or in the service's pull request. Reads the revisions for their digests;
// never writes the cluster. A write-back that fails is a warning (write-back-run.ts).

import type { Inputs } from '../inputs.js'
import type { Logger } from '../log.js'
import { GitHubApi } from '../github/api.js'
import { readGitHubContext } from '../github/context.js'
import type { RunOutcome } from '../rollout/result.js'
import type { ServingClient } from '../rollout/ports.js'
import { GitBranchPusher } from './branch-push.js'
import type { Checkout } from './checkout.js'
import { pullRequestBranch, type PullRequestWriteBack } from './pull-request.js'
import { writeBack, type WriteBackOutput } from './write-back-run.js'
import type { RevisionImage, WriteBackEvent } from './write-back.js'

export interface AfterRolloutDeps {
  client: ServingClient
  checkout: Checkout
  log: Logger
  env: NodeJS.ProcessEnv
}

export async function writeBackAfterRollout(
  inputs: Inputs,
  outcome: RunOutcome,
  deps: AfterRolloutDeps
): Promise<WriteBackOutput> {
  const mode = inputs.gitops.writeBack
  if (mode === 'none') return {}
  const event = await eventOf(outcome, deps.client)
  if (!event) return {}
  const github = mode === 'pull-request' ? pullRequestPort(inputs, outcome, deps) : undefined
  return writeBack(mode, {
    repo: deps.checkout.repo,
    github,
    manifestPath: deps.checkout.path,
    event,
    log: deps.log
  })
}

/** The pull request's ports; the inputs were checked for a token and a repository (pullRequestProblem). */
function pullRequestPort(
  inputs: Inputs,
  o: RunOutcome,
  deps: AfterRolloutDeps
): PullRequestWriteBack {
  const context = readGitHubContext(deps.env)!
  const { root, branch } = deps.checkout
  return {
    pusher: new GitBranchPusher(root, { base: branch, author: inputs.gitops.author }),
    api: new GitHubApi(context.apiUrl, inputs.githubToken!),
    target: { owner: context.owner, repo: context.repo },
    branch: pullRequestBranch(o.namespace, o.service, inputs.environment)
  }
}

/** Why `write-back: pull-request` cannot work here (checked before any write), or undefined. */
export function pullRequestProblem(inputs: Inputs, env: NodeJS.ProcessEnv): string | undefined {
  if (inputs.gitops.writeBack !== 'pull-request') return undefined
  if (!inputs.githubToken)
    return 'write-back: pull-request needs github-token (with pull-requests: write)'
  if (!readGitHubContext(env))
    return 'write-back: pull-request needs GITHUB_REPOSITORY and GITHUB_SHA (it opens the pull request on GitHub); use write-back: commit outside Actions'
  return undefined
}

/** What git must learn: the promotion or the rollback, with each revision's image by digest. */
async function eventOf(o: RunOutcome, client: ServingClient): Promise<WriteBackEvent | undefined> {
  const base = { namespace: o.namespace, service: o.service }
  if (o.result === 'promoted' && o.candidateRevision) {
    const promoted = await imageOf(client, o.namespace, o.candidateRevision, o.image)
    const analysed = o.steps.length
    return {
      kind: 'promoted',
      ...base,
      promoted,
      previous: o.currentRevision,
      evidence: `${analysed} analysed step${analysed === 1 ? '' : 's'} passed`
    }
  }
  if (o.result === 'rolled-back' && o.currentRevision && o.candidateRevision) {
    const restored = await imageOf(client, o.namespace, o.currentRevision)
    return {
      kind: 'rolled-back',
      ...base,
      restored,
      candidate: o.candidateRevision,
      reason: o.reason ?? o.message
    }
  }
  return undefined
}

/** The revision's image as Knative resolved it (`repo@sha256:…`), else as its spec names it. */
async function imageOf(
  client: ServingClient,
  namespace: string,
  revision: string,
  fallback?: string
): Promise<RevisionImage> {
  const rev = await client.getRevision(namespace, revision)
  const image =
    rev?.status?.containerStatuses?.[0]?.imageDigest ??
    rev?.spec?.containers?.[0]?.image ??
    fallback ??
    ''
  return { revision, image }
}
