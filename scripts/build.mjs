#!/usr/bin/env node
// Bundles the action's entries and the two binaries into dist/ with esbuild.
// `node scripts/build.mjs [outdir]` — check-dist builds into a temp dir and compares.
import { build } from 'esbuild'
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'

const outdir = resolve(process.argv[2] ?? 'dist')

// Bundled CommonJS dependencies call require(); ESM output needs one.
const requireShim =
  "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);"

// Two copies of undici would be bundled (client-node's 8.x, @actions/http-client's 6.x, 1 MB
// each). @actions/http-client uses only its ProxyAgent({ uri, pipelining, token }), which 8.x
// keeps, so it gets client-node's copy; dist/ stays under 2 MB (issue 10).
const clientNodeUndici = createRequire(
  createRequire(import.meta.url).resolve('@kubernetes/client-node')
).resolve('undici')
const oneUndici = {
  name: 'one-undici',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, () => ({ path: clientNodeUndici }))
  }
}

// One build with code splitting: the four entries share their common code in chunks/
// instead of each carrying its own copy of client-node and the engine.
await rm(outdir, { recursive: true, force: true })
await mkdir(outdir, { recursive: true })
await build({
  entryPoints: {
    index: 'src/main.ts', // the action (action.yml runs.main)
    post: 'src/post.ts', // the action's post step
    cli: 'src/cli.ts', // bin: knative-rollout
    emulator: 'emulator/main.ts' // bin: knative-emulator
  },
  outdir,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  legalComments: 'none',
  // Minified: the shipped JavaScript is parsed at every start-up (issue 10: dist/ ≤ 2 MB).
  minify: true,
  // No keepNames (it costs start-up time): the error names the code compares are set
  // explicitly (this.name = ...), not taken from class names.
  logLevel: 'warning',
  plugins: [oneUndici],
  // The shebang makes the bins executable; Node ignores it in the other files.
  banner: { js: '#!/usr/bin/env node\n' + requireShim }
})
await chmod(`${outdir}/cli.js`, 0o755)
await chmod(`${outdir}/emulator.js`, 0o755)
await writeFile(`${outdir}/package.json`, '{ "type": "module" }\n')
