// What the engine calls once a promotion or a rollback is on the cluster (`traffic-owner:
// action` with `write-back: commit | pull-request`): read the manifest as git has it, plan the
// change (write-back.ts), then commit it or put it in the service's pull request. A write-back
// that cannot be made is a warning with the reason, never a thrown error: the cluster already
// holds the rollout's outcome, and the result must say what it is, not that git lagged.

import type { Logger } from '../log.js'
import { escapeUntrusted } from '../report/untrusted.js'
import type { ManifestRepo } from './git.js'
import { unifiedDiff } from './manifest-edit.js'
import {
  closeStalePullRequest,
  publishPullRequest,
  type PullRequestWriteBack
} from './pull-request.js'
import { publishCommit } from './write-back-commit.js'
import { planWriteBack, type WriteBackEvent } from './write-back.js'

export type WriteBackMode = 'none' | 'commit' | 'pull-request'

export interface WriteBackDeps {
  /** `commit`: the checkout, pushing to the branch the GitOps controller watches. */
  repo?: ManifestRepo
  /** `pull-request`: the PR branch's pusher and the GitHub API. */
  github?: PullRequestWriteBack
  /** Relative to the checkout's root. */
  manifestPath: string
  event: WriteBackEvent
  log: Logger
  /** Print the unified diff it would commit; commit and push nothing. */
  dryRun?: boolean
}

export interface WriteBackOutput {
  /** The commit pushed (to the branch, or to the pull request's branch). */
  commit?: string
  /** The pull request's URL. */
  pullRequest?: string
  /** Why nothing was written back although something should have been. */
  problem?: string
}

export async function writeBack(
  mode: WriteBackMode,
  deps: WriteBackDeps
): Promise<WriteBackOutput> {
  if (mode === 'none') return {}
  const { log } = deps
  const path = escapeUntrusted(deps.manifestPath, 300)
  try {
    const source =
      mode === 'commit'
        ? await need(deps.repo, mode).read(deps.manifestPath)
        : await need(deps.github, mode).pusher.readAtBase(deps.manifestPath)
    const change = planWriteBack(deps.manifestPath, source, deps.event)
    if (change === null) {
      log.info(
        `write-back: ${path} already says what the cluster serves; nothing to ${mode === 'commit' ? 'commit' : 'propose'}`
      )
      if (mode === 'pull-request' && !deps.dryRun) await closeStale(need(deps.github, mode), log)
      return {}
    }
    const subject = escapeUntrusted(change.message)
    if (deps.dryRun) {
      log.info(
        `write-back (dry run): would ${mode === 'commit' ? 'commit' : 'propose in a pull request'}: ${subject}`
      )
      for (const line of unifiedDiff(source, change.content, deps.manifestPath)
        .trimEnd()
        .split('\n'))
        log.info(escapeUntrusted(line))
      return {}
    }
    if (mode === 'commit') {
      const pushed = await publishCommit(need(deps.repo, mode), change)
      if (pushed.kind === 'conflict') return problem(log, pushed.message)
      if (pushed.kind === 'unchanged') {
        log.info(`write-back: ${path} is already committed as the cluster serves it`)
        return {}
      }
      log.info(`write-back: pushed ${pushed.commit.slice(0, 12)}: ${subject}`)
      return { commit: pushed.commit }
    }
    const published = await publishPullRequest(need(deps.github, mode), change)
    const pr = published.pullRequest
    log.info(
      `write-back: pull request #${pr.number} ${pr.operation} (${escapeUntrusted(pr.url, 300)}): ${subject}`
    )
    return { ...(published.pushed ? { commit: published.commit } : {}), pullRequest: pr.url }
  } catch (err) {
    return problem(log, (err as Error).message)
  }
}

async function closeStale(github: PullRequestWriteBack, log: Logger): Promise<void> {
  const { api, target, branch, pusher } = github
  const closed = await closeStalePullRequest(api, target, branch, pusher.base)
  if (closed)
    log.info(
      `write-back: closed pull request #${closed.number} (${escapeUntrusted(closed.url, 300)}): no longer needed`
    )
}

function need<T>(value: T | undefined, mode: WriteBackMode): T {
  if (value === undefined)
    throw new Error(
      `write-back: ${mode} needs its ${mode === 'commit' ? 'repository' : 'GitHub'} port`
    )
  return value
}

function problem(log: Logger, message: string): WriteBackOutput {
  const text = `write-back failed, git does not say what the cluster serves: ${escapeUntrusted(message)}`
  log.warn(text)
  return { problem: text }
}
