// Who the action's commits are by, unless the `git-author` input says otherwise. Apart from
// git.ts so that the inputs, which every command parses, do not load the git runner (and
// Node's child_process with it: issue 10, start-up).

export interface GitAuthor {
  name: string
  email: string
}

export const DEFAULT_AUTHOR: GitAuthor = {
  name: 'knative-rollout[bot]',
  email: 'knative-rollout[bot]@users.noreply.github.com'
}
