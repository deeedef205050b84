#!/usr/bin/env node
// `npm run bench`: bundles each bench/*.bench.ts with esbuild, runs its exported
// `run…Bench()` and writes what it returns to bench/results/<name>.json. Each benchmark
// measures its own baseline in the same run and reports ratios against it.
// `npm run bench -- judge` runs only the benchmarks whose file name contains "judge".
import { build } from 'esbuild'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const filter = process.argv[2] ?? ''
const files = (await readdir('bench'))
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort()
if (!files.length) {
  console.error(`no benchmark matches "${filter}"`)
  process.exit(1)
}
await mkdir('bench/results', { recursive: true })
const out = await mkdtemp(join(tmpdir(), 'bench-'))
try {
  for (const file of files) {
    const name = file.replace(/\.bench\.ts$/, '')
    const outfile = join(out, `${name}.mjs`)
    await build({
      entryPoints: [join('bench', file)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      logLevel: 'warning',
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
      }
    })
    const mod = await import(pathToFileURL(outfile).href)
    const run = Object.entries(mod).find(
      ([k, v]) => /^run\w*Bench$/.test(k) && typeof v === 'function'
    )?.[1]
    if (!run) throw new Error(`${file} exports no run…Bench() function`)
    console.log(`\n== ${name}`)
    const started = Date.now()
    const result = await run()
    const record = {
      benchmark: name,
      node: process.version,
      date: new Date().toISOString(),
      seconds: (Date.now() - started) / 1000,
      command: `npm run bench -- ${name}`,
      ...result
    }
    await writeFile(`bench/results/${name}.json`, JSON.stringify(record, null, 2) + '\n')
    console.log(`wrote bench/results/${name}.json`)
  }
} finally {
  await rm(out, { recursive: true, force: true })
}
