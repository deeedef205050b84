// What one build produces, decided before any tool runs: the tags (default: the short
// commit sha) and the labels. Pure: environment and time come in.

import type { Env } from './env.js'
import { imageLabels } from './labels.js'
import type { BuildOptions } from './options.js'
import type { Repository } from './reference.js'

export interface BuildPlan {
  repository: Repository
  /** Never empty. */
  tags: string[]
  labels: Record<string, string>
}

/** metadata-action's `type=sha` default length. */
const SHORT_SHA = 7

/** The short commit sha, or `latest` outside a workflow (no GITHUB_SHA, e.g. the CLI). */
export function defaultTags(env: Env): string[] {
  return [env.GITHUB_SHA ? env.GITHUB_SHA.slice(0, SHORT_SHA) : 'latest']
}

export function planBuild(opts: BuildOptions, env: Env, nowMs: number): BuildPlan {
  const tags = opts.tags.length > 0 ? opts.tags : defaultTags(env)
  return { repository: opts.repository, tags, labels: imageLabels(env, nowMs, tags, opts.labels) }
}
