// The README's input and output tables are action.yml's (scripts/readme-inputs.mjs): this
// fails when an input is added, removed or described differently in one and not the other.

import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'

const SCRIPT = join(process.cwd(), 'scripts/readme-inputs.mjs')
const check = (cwd: string) =>
  spawnSync(process.execPath, [SCRIPT, '--check'], { cwd, encoding: 'utf8' })

test('README.md documents every input and output of action.yml, as the script writes them', () => {
  const run = check(process.cwd())
  expect(run.stderr).toBe('')
  expect(run.status).toBe(0)
  const readme = readFileSync('README.md', 'utf8')
  const action = parse(readFileSync('action.yml', 'utf8'))
  for (const name of Object.keys(action.inputs)) expect(readme).toMatch(`\n| \`${name}\` `)
  for (const name of Object.keys(action.outputs)) expect(readme).toMatch(`\n| \`${name}\` `)
})

describe('on a copy', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'readme-'))
    for (const file of ['README.md', 'action.yml', '.prettierrc.json'])
      copyFileSync(file, join(dir, file))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))
  const edit = (file: string, change: (text: string) => string) =>
    writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')))

  test.each([
    [
      'a description changed in action.yml',
      'action.yml',
      (t: string) => t.replace('Analysis time at each step', 'Time spent on each step')
    ],
    [
      'an input added to action.yml',
      'action.yml',
      (t: string) =>
        t.replace(
          '\noutputs:',
          '  keep-going:\n    description: Go on.\n    default: false\n\noutputs:'
        )
    ],
    [
      'a row removed from the README',
      'README.md',
      (t: string) => t.replace(/\n\| `step-interval` .*/, '')
    ]
  ])('%s fails the check, and writing mends it', (_name, file, change) => {
    expect(check(dir).status).toBe(0)
    edit(file, change)
    const failed = check(dir)
    expect(failed.status).toBe(1)
    expect(failed.stderr).toContain('the input/output tables differ from action.yml')
    execFileSync(process.execPath, [SCRIPT], { cwd: dir })
    expect(check(dir).status).toBe(0)
  })

  test('a README without the markers is an error', () => {
    edit('README.md', (t) => t.replace('<!-- action.yml outputs -->', ''))
    const run = check(dir)
    expect(run.status).not.toBe(0)
    expect(run.stderr).toContain('no "<!-- action.yml outputs -->"')
  })
})

test('the Dependencies table has one row per runtime dependency, and no other', () => {
  const readme = readFileSync('README.md', 'utf8')
  const section = readme.slice(
    readme.indexOf('\n## Dependencies'),
    readme.indexOf('\n## Development')
  )
  const rows = [...section.matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1]).sort()
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: object }
  expect(rows).toEqual(Object.keys(pkg.dependencies).sort())
})
