#!/usr/bin/env node
// Makes sure the real tools the tests drive are on this machine: buildah (builds images),
// docker-registry (a real registry on loopback), prometheus (scrapes the emulator),
// kubectl (a real client of the emulator). As root with apt, missing ones are installed;
// otherwise the message says exactly what to install.
import { execFileSync, spawnSync } from 'node:child_process'

const tools = [
  { command: 'buildah', apt: 'buildah' },
  { command: 'docker-registry', apt: 'docker-registry' },
  { command: 'prometheus', apt: 'prometheus' },
  { command: 'skopeo', apt: 'skopeo' },
  { command: 'kubectl', apt: 'kubernetes-client' }
]

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0
const missing = tools.filter((t) => !has(t.command))

if (missing.length) {
  const packages = missing.map((t) => t.apt)
  const isRoot = process.getuid?.() === 0
  if (!isRoot || !has('apt-get')) {
    console.error(`The tests need: ${missing.map((t) => t.command).join(', ')}.`)
    console.error(`Install them (Debian/Ubuntu): sudo apt-get install -y ${packages.join(' ')}`)
    process.exit(1)
  }
  console.log(`Installing ${packages.join(' ')} with apt-get ...`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env
  })
  const still = missing.filter((t) => !has(t.command))
  if (still.length) {
    console.error(`Still missing after apt-get: ${still.map((t) => t.command).join(', ')}`)
    process.exit(1)
  }
}
console.log(`Tools ready: ${tools.map((t) => t.command).join(', ')}; node ${process.version}`)
