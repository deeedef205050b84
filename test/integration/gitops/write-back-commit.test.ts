import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_AUTHOR, GitCliRepo } from '../../../src/gitops/git.js'
import type { WriteBackEvent } from '../../../src/gitops/write-back.js'
import { writeBack } from '../../../src/gitops/write-back-run.js'
import { bareRepo, git, type BareRepo } from '../../helpers/bare-repo.js'
import { memoryLogger } from '../../helpers/memory-logger.js'
import { digestOf, promotedTo, rolledBackTo } from '../../helpers/write-back-events.js'

const MANIFEST = 'deploy/web.yaml'
const v1 = readFileSync(join('test/fixtures/gitops', 'v1-service.yaml'), 'utf8')
const digest = digestOf('c')
// git says v2 (a merged template change); the action rolls it out.
const merged = v1
  .replace("shop/web:1.0.0'", "shop/web:2.0.0'")
  .replace('web-00001   #', 'web-00002   #')

const promoted = promotedTo('web-00002', 'c', '3 steps passed')
const rolledBack = rolledBackTo('p99 latency 900 ms > 500 ms')

let repo: BareRepo
let checkout: string

beforeEach(() => {
  repo = bareRepo({ [MANIFEST]: merged })
  checkout = repo.clone('checkout')
})
afterEach(() => repo.remove())

const run = (event: WriteBackEvent, log = memoryLogger(), dryRun = false) =>
  writeBack('commit', {
    repo: new GitCliRepo(checkout, { branch: 'main' }),
    manifestPath: MANIFEST,
    event,
    log,
    dryRun
  })
const subjects = () => git(repo.remote, 'log', '--format=%s', 'main').split('\n')

test('a promotion is one commit by the bot on the branch: image by digest, traffic on the revision', async () => {
  const out = await run(promoted)
  expect(out).toEqual({ commit: git(repo.remote, 'rev-parse', 'main') })
  expect(git(repo.remote, 'log', '-1', '--format=%an <%ae>|%s', 'main')).toBe(
    `${DEFAULT_AUTHOR.name} <${DEFAULT_AUTHOR.email}>|Promote prod/web to web-00002 (registry.example.com/shop/web@sha256:${'c'.repeat(12)}, was web-00001): 3 steps passed`
  )
  const file = repo.show('main', MANIFEST)
  expect(file).toContain(`- image: '${digest}'`)
  expect(file).toContain('# revision names are pinned')
  expect(file).toContain('- tag: current\n      revisionName: web-00002\n      percent: 100')
})

test('a rollback is a commit titled as a revert, putting back the previous image and revision', async () => {
  const out = await run(rolledBack)
  expect(out.commit).toBe(git(repo.remote, 'rev-parse', 'main'))
  expect(subjects()).toEqual([
    'Revert prod/web to web-00001 (registry.example.com/shop/web:1.0.0): web-00002 rolled back: p99 latency 900 ms > 500 ms',
    'seed'
  ])
  const file = repo.show('main', MANIFEST)
  expect(file).toContain("- image: 'registry.example.com/shop/web:1.0.0'")
  expect(file).toContain('name: web-00001   # revision names are pinned')
})

test('git that already matches the cluster: no commit', async () => {
  await run(promoted)
  const head = git(repo.remote, 'rev-parse', 'main')
  const log = memoryLogger()
  expect(await run(promoted, log)).toEqual({})
  expect(git(repo.remote, 'rev-parse', 'main')).toBe(head)
  expect(log.lines).toContain(
    'write-back: deploy/web.yaml already says what the cluster serves; nothing to commit'
  )
})

test('someone else pushed meanwhile: rebased and pushed on top of theirs', async () => {
  repo.pushFromElsewhere('README.md', 'shop\n', 'docs')
  const out = await run(promoted)
  expect(out.commit).toBe(git(repo.remote, 'rev-parse', 'main'))
  expect(subjects()).toHaveLength(3)
  expect(subjects()[1]).toBe('docs')
})

test('someone else changed the same lines: theirs stands, a warning says why', async () => {
  repo.pushFromElsewhere(
    MANIFEST,
    merged.replace("shop/web:2.0.0'", "shop/web:3.0.0'"),
    'web 3.0.0'
  )
  const log = memoryLogger()
  const out = await run(promoted, log)
  expect(out.commit).toBeUndefined()
  expect(out.problem).toMatch(/someone else changed the same lines of deploy\/web\.yaml/)
  expect(log.lines).toContain(`warning: ${out.problem}`)
  expect(repo.show('main', MANIFEST)).toContain("shop/web:3.0.0'")
})

test('a manifest that cannot be edited safely: refused with the reason, nothing committed', async () => {
  writeFileSync(
    join(checkout, MANIFEST),
    merged
      .replace("- image: 'registry.example.com/shop/web:2.0.0'", '- image: *img')
      .replace(
        'kind: Service\n',
        'kind: Service\nx-image: &img registry.example.com/shop/web:2.0.0\n'
      )
  )
  const out = await run(promoted)
  expect(out.problem).toMatch(/reached through an alias \(\*img\)/)
  expect(subjects()).toEqual(['seed'])
})

test('dry run: the unified diff it would commit, and nothing committed', async () => {
  const log = memoryLogger()
  expect(await run(promoted, log, true)).toEqual({})
  expect(log.lines).toContain('--- a/deploy/web.yaml')
  expect(log.lines).toContain(`+        - image: '${digest}'`)
  expect(git(checkout, 'status', '--porcelain')).toBe('')
  expect(subjects()).toEqual(['seed'])
})

test('untrusted text in the log stays one line (no workflow command can start)', async () => {
  const log = memoryLogger()
  await run(rolledBackTo('boom\n::warning::forged'), log)
  const line = log.lines.find((l) => l.startsWith('write-back: pushed'))
  expect(line).toMatch(/rolled back: boom ::warning::forged$/)
  expect(log.lines.filter((l) => /[\r\n]/.test(l))).toEqual([])
})
