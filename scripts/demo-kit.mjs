// What both demos share: the embedded emulator (dist/emulator.js) in a temporary directory,
// the CLI run as a user runs it (progress streaming to this terminal), and `curl -H Host:`.
import { spawn } from 'node:child_process'
import { get } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)

/** A temporary directory removed at exit, with the emulator (and any other child) stopped. */
export async function startDemo(name) {
  const dir = mkdtempSync(join(tmpdir(), `knative-rollout-${name}-`))
  const kubeconfig = join(dir, 'kubeconfig')
  const children = []
  process.on('exit', () => {
    for (const child of children) child.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  })
  const emulator = spawn(
    process.execPath,
    ['dist/emulator.js', '--kubeconfig', kubeconfig, '--serve-v1alpha1'],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  children.push(emulator)
  const ready = JSON.parse(await firstLine(emulator, 'the emulator'))
  console.log(bold(`Knative Serving emulator: API ${ready.api}, ingress ${ready.ingress}`))
  return { dir, kubeconfig, ingress: ready.ingress, children }
}

/** The first line a child prints on stdout (its "ready"). */
export function firstLine(child, what) {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}`)))
  })
}

/** Runs the CLI as a user would, its progress streaming to this terminal; resolves its outputs. */
export function rollout(demo, title, args, cwd) {
  console.log(`\n${bold(title)}\n$ knative-rollout ${args.join(' ')}`)
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'dist/cli.js'), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd,
      env: { ...process.env, KUBECONFIG: demo.kubeconfig }
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.on('exit', (code) => {
      const outputs = JSON.parse(out.trim().split('\n').pop() || '{}')
      console.log(`exit ${code}: result=${outputs.result} revision=${outputs.revision}`)
      resolve({ code, outputs })
    })
  })
}

/** `curl -H "Host: ..." <ingress>` (fetch may not set Host, so plain node:http). */
export function ask(demo, host) {
  return new Promise((resolve, reject) => {
    get(demo.ingress, { headers: { host } }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve(`${res.statusCode} ${body.trim()}`))
    }).on('error', reject)
  })
}
