#!/usr/bin/env node
// Fails when the committed dist/ differs from a fresh build of the sources: the action
// runs dist/, so a stale bundle would ship code nobody reviewed.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const fresh = mkdtempSync(join(tmpdir(), 'check-dist-'))
try {
  execFileSync(process.execPath, ['scripts/build.mjs', fresh], { stdio: 'inherit' })
  const list = (dir) =>
    readdirSync(dir, { recursive: true }).filter((f) => !statSync(join(dir, f)).isDirectory())
  const names = new Set([...list('dist'), ...list(fresh)])
  const stale = [...names].filter((name) => {
    try {
      return !readFileSync(join('dist', name)).equals(readFileSync(join(fresh, name)))
    } catch {
      return true
    }
  })
  if (stale.length) {
    console.error(
      `dist/ is stale: ${stale.join(', ')} differ from a fresh build. Run \`npm run build\` and commit dist/.`
    )
    process.exit(1)
  }
  console.log(`dist/ matches a fresh build (${names.size} files).`)
} finally {
  rmSync(fresh, { recursive: true, force: true })
}
