// Whether git accepts a name as a branch: the rules of `git check-ref-format --branch`
// (test/unit/gitops/branch-name.test.ts holds a table of names against the real git CLI),
// checked before anything is written, so a push never fails halfway through a rollout. Pure.

/** Why git refuses `name` as a branch, or undefined when it accepts it. */
export function branchNameProblem(name: string): string | undefined {
  if (!name) return 'is empty'
  if (name.startsWith('-')) return 'starts with "-"'
  if (name === 'HEAD' || name === '@') return 'names the checked-out commit, not a branch'
  // Control characters, space and the characters git gives a meaning in revisions.
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name))
    return 'has a space, a control character or one of ~ ^ : ? * [ \\'
  if (name.includes('..')) return 'has ".."'
  if (name.includes('@{')) return 'has "@{"'
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//'))
    return 'starts or ends with "/", or has "//"'
  if (name.endsWith('.')) return 'ends with "."'
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return `has a part "${part}" that starts with "."`
    if (part.endsWith('.lock')) return `has a part "${part}" that ends with ".lock"`
  }
  return undefined
}
