#!/usr/bin/env node
// Writes the README's input and output tables from action.yml, the one place they are
// described: between `<!-- action.yml inputs -->` … `<!-- /action.yml inputs -->` (and the
// same for outputs), formatted by the project's prettier so `npm run lint` agrees.
//   node scripts/readme-inputs.mjs            rewrite README.md
//   node scripts/readme-inputs.mjs --check    exit 1 when README.md differs (test/unit/readme.test.ts)
// Options: --readme PATH, --action PATH (default README.md and action.yml in the working dir).
import { readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'
import * as prettier from 'prettier'

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : fallback
}
const readmePath = arg('--readme', 'README.md')
const actionPath = arg('--action', 'action.yml')
const check = process.argv.includes('--check')

/** One table cell: one line, `|` escaped (Markdown's table syntax). */
const cell = (text) =>
  String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|')

/** A default as code; `${{ … }}` as the runner shows it; none as a dash. */
const shown = (value) => (value === undefined || value === '' ? '—' : `\`${cell(value)}\``)

function tables(action) {
  const inputs = Object.entries(action.inputs ?? {}).map(
    ([name, spec]) => `| \`${name}\` | ${shown(spec?.default)} | ${cell(spec?.description)} |`
  )
  const outputs = Object.entries(action.outputs ?? {}).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec?.description)} |`
  )
  return {
    inputs: ['| input | default | description |', '| --- | --- | --- |', ...inputs].join('\n'),
    outputs: ['| output | description |', '| --- | --- |', ...outputs].join('\n')
  }
}

/** README with each marked block replaced by its table; throws when a marker is missing. */
function withTables(readme, generated) {
  let out = readme
  for (const [kind, table] of Object.entries(generated)) {
    const start = `<!-- action.yml ${kind} -->`
    const end = `<!-- /action.yml ${kind} -->`
    const from = out.indexOf(start)
    const to = out.indexOf(end)
    if (from < 0 || to < from) throw new Error(`${readmePath}: no "${start}" … "${end}" block`)
    out = `${out.slice(0, from + start.length)}\n\n${table}\n\n${out.slice(to)}`
  }
  return out
}

const readme = readFileSync(readmePath, 'utf8')
const action = parse(readFileSync(actionPath, 'utf8'))
const options = { ...(await prettier.resolveConfig(readmePath)), filepath: readmePath }
const fresh = await prettier.format(withTables(readme, tables(action)), options)

if (check) {
  if (fresh !== readme) {
    console.error(
      `${readmePath}: the input/output tables differ from ${actionPath}. Run \`node scripts/readme-inputs.mjs\` and commit ${readmePath}.`
    )
    process.exit(1)
  }
  console.log(`${readmePath}: the input and output tables match ${actionPath}.`)
} else if (fresh !== readme) {
  writeFileSync(readmePath, fresh)
  console.log(`${readmePath}: tables written from ${actionPath}.`)
}
