// A branch name is checked by the rules of `git check-ref-format --branch`; every row is
// also put to the real git CLI, so the two cannot drift apart.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { branchNameProblem } from '../../../src/gitops/branch-name.js'

// Outside any repository, so `--branch` cannot expand a name against a checkout.
const outside = mkdtempSync(join(tmpdir(), 'branch-name-'))
afterAll(() => rmSync(outside, { recursive: true, force: true }))
const gitAccepts = (name: string) =>
  spawnSync('git', ['check-ref-format', '--branch', name], { cwd: outside }).status === 0

test.each([
  { name: 'main', problem: undefined },
  { name: 'clusters/eu', problem: undefined },
  { name: 'deploy/prod-2.1', problem: undefined },
  { name: 'release+hotfix#3', problem: undefined },
  { name: 'équipe/eu', problem: undefined },
  { name: '', problem: /empty/ },
  { name: '-eu', problem: /starts with "-"/ },
  { name: 'HEAD', problem: /checked-out commit/ },
  { name: 'a b', problem: /space/ },
  { name: 'tab\there', problem: /control character/ },
  { name: 'a~1', problem: /~/ },
  { name: 'a^', problem: /\^/ },
  { name: 'a:b', problem: /:/ },
  { name: 'a?', problem: /\?/ },
  { name: 'a*', problem: /\*/ },
  { name: 'a[b', problem: /\[/ },
  { name: 'a\\b', problem: /\\/ },
  { name: 'one..two', problem: /"\.\."/ },
  { name: 'x@{1}', problem: /"@\{"/ },
  { name: '/eu', problem: /"\/"/ },
  { name: 'eu/', problem: /"\/"/ },
  { name: 'a//b', problem: /"\/\/"/ },
  { name: 'eu.', problem: /ends with "\."/ },
  { name: 'a/.hidden', problem: /part "\.hidden" that starts with "\."/ },
  { name: 'eu.lock', problem: /part "eu\.lock" that ends with "\.lock"/ },
  { name: 'a.lock/b', problem: /part "a\.lock"/ }
])('$name', ({ name, problem }) => {
  const found = branchNameProblem(name)
  if (problem) expect(found).toMatch(problem)
  else expect(found).toBeUndefined()
  expect(gitAccepts(name)).toBe(!problem)
})

test('a lone "@" is refused: git reads it as HEAD, not as a branch', () => {
  expect(branchNameProblem('@')).toMatch(/checked-out commit/)
})
