#!/usr/bin/env node
// `npm run mutation`: Stryker over the pure modules (stryker.config.mjs), then the score of
// each file from its JSON report into bench/results/mutation.json. Arguments go to Stryker,
// e.g. `npm run mutation -- --mutate src/traffic.ts` for one file (the results file then
// keeps the other files' last scores).
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync, existsSync } from 'node:fs'

const REPORT = 'coverage/mutation/mutation.json'
const RESULTS = 'bench/results/mutation.json'

const { status } = spawnSync(
  process.execPath,
  ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run', ...process.argv.slice(2)],
  { stdio: 'inherit' }
)
if (status !== 0) process.exit(status || 1)

/** Stryker's mutation score: detected (killed or timed out) over all valid mutants. */
export function scoreOf(mutants) {
  const count = (...statuses) => mutants.filter((m) => statuses.includes(m.status)).length
  const detected = count('Killed', 'Timeout')
  const undetected = count('Survived', 'NoCoverage')
  const valid = detected + undetected
  return {
    score: valid === 0 ? null : Math.round((1000 * detected) / valid) / 10,
    killed: count('Killed'),
    timeout: count('Timeout'),
    survived: count('Survived'),
    noCoverage: count('NoCoverage'),
    ignored: count('Ignored')
  }
}

const report = JSON.parse(readFileSync(REPORT, 'utf8'))
const previous = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')).files : {}
const files = { ...previous }
for (const [file, { mutants }] of Object.entries(report.files)) files[file] = scoreOf(mutants)
const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)))
writeFileSync(
  RESULTS,
  JSON.stringify(
    {
      command: 'npm run mutation',
      target: 'score >= 80 on every pure module',
      score: 'killed + timeout over killed + timeout + survived + no coverage, in %',
      files: sorted
    },
    null,
    2
  ) + '\n'
)

const width = Math.max(...Object.keys(sorted).map((f) => f.length))
for (const [file, s] of Object.entries(sorted)) {
  console.log(`${file.padEnd(width)}  ${String(s.score).padStart(5)}%  survived ${s.survived}`)
}
const low = Object.entries(sorted).filter(([, s]) => s.score !== null && s.score < 80)
if (low.length) console.log(`below 80%: ${low.map(([f]) => f).join(', ')}`)
