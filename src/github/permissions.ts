// Which permission of GITHUB_TOKEN a REST call needs, so that a 403 says what to add to the
// workflow's `permissions:` instead of only "Resource not accessible by integration". Only
// the calls this action makes (deployments.ts, pr-comment.ts, gitops/pull-request.ts). Pure.

const SCOPES: { path: RegExp; scope: string }[] = [
  { path: /^\/repos\/[^/]+\/[^/]+\/deployments(\/|$)/, scope: 'deployments' },
  // PR comments are issue comments; on a pull request `pull-requests: write` allows them.
  { path: /^\/repos\/[^/]+\/[^/]+\/issues(\/|$)/, scope: 'pull-requests' },
  { path: /^\/repos\/[^/]+\/[^/]+\/pulls(\/|$)/, scope: 'pull-requests' },
  { path: /^\/repos\/[^/]+\/[^/]+\/(contents|git)(\/|$)/, scope: 'contents' }
]

/** `deployments: write` for POST /repos/o/r/deployments; undefined for a call not listed. */
export function neededPermission(method: string, path: string): string | undefined {
  const route = path.split('?')[0]
  const scope = SCOPES.find((s) => s.path.test(route))?.scope
  if (!scope) return undefined
  return `${scope}: ${method.toUpperCase() === 'GET' ? 'read' : 'write'}`
}

/**
 * What a 403 asks the user to do. GitHub also answers 403 when a rate limit is hit: that is
 * not a missing permission, and is not told as one.
 */
export function forbiddenHint(method: string, path: string, detail: string): string | undefined {
  if (/rate limit/i.test(detail)) return undefined
  const permission = neededPermission(method, path)
  const fork = 'a pull request from a fork gets a read-only token whatever `permissions:` says'
  return permission
    ? `add \`${permission}\` to the workflow's (or the job's) \`permissions:\` (${fork})`
    : `the token (github-token) lacks a permission for ${method} ${path}; check the workflow's \`permissions:\` (${fork})`
}
