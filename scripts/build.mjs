#!/usr/bin/env node
// Bundles the action's entries and the two binaries into dist/ with esbuild.
// `node scripts/build.mjs [outdir]` — check-dist builds into a temp dir and compares.
import { build } from 'esbuild'
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises'
import { createRequire, isBuiltin } from 'node:module'
import { dirname, resolve } from 'node:path'

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
// Of undici, client-node and http-client use Agent, ProxyAgent and fetch: its index would
// also load the mock agents, the WebSocket, EventSource, cache and cookie code (about a
// third of its start-up cost).
const undiciDir = dirname(clientNodeUndici)
const oneUndici = {
  name: 'one-undici',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici', namespace: 'undici-slim' }))
    b.onLoad({ filter: /.*/, namespace: 'undici-slim' }, () => ({
      resolveDir: undiciDir,
      loader: 'js',
      contents: [
        "const Dispatcher = require('./lib/dispatcher/dispatcher')",
        // ProxyAgent's tunnel uses Dispatcher.prototype.connect, which undici's index adds so.
        "Object.assign(Dispatcher.prototype, require('./lib/api'))",
        "exports.Agent = require('./lib/dispatcher/agent')",
        "exports.ProxyAgent = require('./lib/dispatcher/proxy-agent')",
        "exports.fetch = require('./lib/web/fetch').fetch"
      ].join('\n')
    }))
  }
}

// client-node's index re-exports all of it (exec, attach, cp, port-forward, metrics...):
// marked free of side effects, the modules nothing here uses are left out of the bundle,
// with the dependencies they alone need (tar-fs, ws, jsonpath-plus...).
const clientNodeDir = dirname(
  dirname(createRequire(import.meta.url).resolve('@kubernetes/client-node'))
)
const clientNodeUnused = {
  name: 'client-node-unused',
  setup(b) {
    b.onResolve({ filter: /^\./ }, async (args) => {
      if (!args.importer.startsWith(clientNodeDir + '/dist/') || args.pluginData === 'inner')
        return undefined
      if (/polyfill\.js$/.test(args.path)) return undefined
      const r = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'inner'
      })
      return r.errors.length ? undefined : { ...r, sideEffects: false }
    })
  }
}

// Node's built-in modules through require(), not import: an ESM import of node:http makes
// Node build its ES module facade, which reads every export, lazy ones included, and so
// loads Node's own undici (about 50 ms at every start-up, issue 10). require() does not.
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(b) {
    const builtin = /^(node:)?[a-z_]+(\/[a-z_]+)?$/
    b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      if (!builtin.test(args.path) || !isBuiltin(args.path)) return undefined
      if (args.namespace === 'builtin') return { path: args.path, external: true }
      return { path: args.path, namespace: 'builtin' }
    })
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)})`,
      loader: 'js'
    }))
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
    emulator: 'emulator/main.ts', // bin: knative-emulator
    'flux-standin': 'emulator/flux-standin/main.ts' // the demo's GitOps controller (a stand-in)
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
  plugins: [oneUndici, clientNodeUnused, builtinsByRequire],
  // The shebang makes the bins executable; Node ignores it in the other files.
  banner: { js: '#!/usr/bin/env node\n' + requireShim }
})
await chmod(`${outdir}/cli.js`, 0o755)
await chmod(`${outdir}/emulator.js`, 0o755)
await writeFile(`${outdir}/package.json`, '{ "type": "module" }\n')
