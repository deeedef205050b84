// OCI image labels from the GitHub context, named and formatted as docker/metadata-action
// writes them, so images built here look the same in a registry UI. Pure: the time comes in.

import type { Env } from './env.js'

/**
 * `org.opencontainers.image.*` labels for what the environment tells: source/url and title
 * need GITHUB_REPOSITORY, revision needs GITHUB_SHA; created is always set. `version` is the
 * first tag, as metadata-action's primary version.
 */
export function ociLabels(
  env: Env,
  nowMs: number,
  tags: readonly string[]
): Record<string, string> {
  const labels: Record<string, string> = {}
  const repository = env.GITHUB_REPOSITORY
  if (repository) {
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
    labels['org.opencontainers.image.title'] = repository.split('/').pop() ?? repository
    labels['org.opencontainers.image.url'] = `${server}/${repository}`
    labels['org.opencontainers.image.source'] = `${server}/${repository}`
  }
  if (tags.length > 0) labels['org.opencontainers.image.version'] = tags[0]
  labels['org.opencontainers.image.created'] = new Date(nowMs).toISOString()
  if (env.GITHUB_SHA) labels['org.opencontainers.image.revision'] = env.GITHUB_SHA
  return labels
}

/** The OCI labels with the user's `labels` on top (a user value wins). */
export function imageLabels(
  env: Env,
  nowMs: number,
  tags: readonly string[],
  user: ReadonlyArray<readonly [string, string]>
): Record<string, string> {
  return { ...ociLabels(env, nowMs, tags), ...Object.fromEntries(user) }
}
