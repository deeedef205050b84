#!/usr/bin/env node
// The CLI's entry (the `knative-rollout` bin). dist/ is built for Node 22 and newer and
// loads its dependencies at import, where an older Node fails deep inside one of them; so
// the version is checked here first, in code any Node can run, and said plainly.
const [major] = process.versions.node.split('.').map(Number)
if (major < 22) {
  process.stderr.write(
    `knative-rollout needs Node.js 22 or newer; this is Node.js ${process.versions.node}.\n`
  )
  process.exit(1)
}
// Before the import, so that Node's compile cache (os.tmpdir()) also covers what dist/cli.js
// imports statically, not only what it loads later: later runs skip compiling all of it.
const { default: module } = await import('node:module')
module.enableCompileCache?.()
const { runCli } = await import('../dist/cli.js')
runCli(process.argv.slice(2))
