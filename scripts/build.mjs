#!/usr/bin/env node
// Bundles the action's entries and the two binaries into dist/ with esbuild.
// `node scripts/build.mjs [outdir]` — check-dist builds into a temp dir and compares.
import { build } from 'esbuild'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'

const outdir = resolve(process.argv[2] ?? 'dist')

// Bundled CommonJS dependencies call require(); ESM output needs one.
const requireShim = "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);"

const entries = [
  { in: 'src/main.ts', out: 'index.js', bin: false },
  { in: 'src/post.ts', out: 'post.js', bin: false },
  { in: 'src/cli.ts', out: 'cli.js', bin: true },
  { in: 'emulator/main.ts', out: 'emulator.js', bin: true }
]

await rm(outdir, { recursive: true, force: true })
await mkdir(outdir, { recursive: true })
for (const entry of entries) {
  await build({
    entryPoints: [entry.in],
    outfile: `${outdir}/${entry.out}`,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: (entry.bin ? '#!/usr/bin/env node\n' : '') + requireShim }
  })
}
await writeFile(`${outdir}/package.json`, '{ "type": "module" }\n')
