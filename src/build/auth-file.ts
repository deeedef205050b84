// Registry credentials reach the builders only through files in a private directory (0700,
// files 0600) that the caller removes afterwards: never a command line, where any user of
// the machine can read them in /proc, and never the user's own ~/.docker/config.json.

import { mkdtemp, mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Env } from './env.js'
import type { RegistryCredentials } from './options.js'
import { authFileKeys } from './reference.js'

/** The `auth` value both file formats use: base64 of `user:password` (a secret too). */
export function basicAuthToken(credentials: RegistryCredentials): string {
  return Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')
}

/** `{"auths": {...}}`: the format of both containers-auth.json and docker's config.json. */
export function authConfigJson(registry: string, credentials: RegistryCredentials): string {
  const auth = basicAuthToken(credentials)
  return JSON.stringify({
    auths: Object.fromEntries(authFileKeys(registry).map((key) => [key, { auth }]))
  })
}

/** A new private directory for one build, under the runner's temp dir when there is one. */
export function makeWorkDir(env: Env): Promise<string> {
  return mkdtemp(join(env.RUNNER_TEMP || tmpdir(), 'knative-rollout-build-'))
}

export function removeWorkDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true })
}

/** Writes `<workDir>/auth.json` (buildah's --authfile) and returns its path. */
export async function writeAuthFile(
  workDir: string,
  registry: string,
  credentials: RegistryCredentials
): Promise<string> {
  const path = join(workDir, 'auth.json')
  await writeFile(path, authConfigJson(registry, credentials), { mode: 0o600 })
  return path
}

/**
 * A DOCKER_CONFIG directory holding only these credentials. Everything else in the user's
 * docker config dir (buildx builders from setup-buildx-action, cli-plugins, contexts) is
 * linked in, so the same builder and plugins are used.
 */
export async function writeDockerConfig(
  workDir: string,
  registry: string,
  credentials: RegistryCredentials,
  env: Env
): Promise<string> {
  const dir = join(workDir, 'docker')
  await mkdir(dir, { mode: 0o700 })
  await writeFile(join(dir, 'config.json'), authConfigJson(registry, credentials), { mode: 0o600 })
  const original = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker')
  const entries = await readdir(original).catch(() => [] as string[])
  for (const entry of entries) {
    if (entry !== 'config.json') await symlink(join(original, entry), join(dir, entry))
  }
  return dir
}
