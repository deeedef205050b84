// The robustness figures for the closing note: with RECORD_FIGURES=1, each suite merges
// its own section into bench/results/robustness-input.json when it ends. Plain test runs
// leave the committed file alone, so `npm test` never dirties the tree.
//   RECORD_FIGURES=1 npm run test:unit -- test/robustness

import { existsSync, readFileSync, writeFileSync } from 'node:fs'

const FILE = new URL('../../bench/results/robustness-input.json', import.meta.url).pathname

export function recordFigures(section: string, figures: Record<string, unknown>): void {
  if (process.env.RECORD_FIGURES !== '1') return
  const all = existsSync(FILE)
    ? (JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>)
    : {}
  all[section] = { ...figures, recordedAt: new Date().toISOString() }
  writeFileSync(FILE, JSON.stringify(all, null, 2) + '\n')
}
