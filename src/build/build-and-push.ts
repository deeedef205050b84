// Build the image, push it, and return the exact thing pushed as `repository@sha256:...`:
// the reference the candidate revision is created with, so a tag moved later cannot change
// what was deployed. Order matters: credentials are checked against the registry before
// anything is built, and the builder's digest is confirmed against the registry after the
// push; any failure throws before the caller writes to the cluster.

import { readFile } from 'node:fs/promises'
import type { Clock } from '../rollout/ports.js'
import { redact } from '../report/redact.js'
import {
  basicAuthToken,
  makeWorkDir,
  removeWorkDir,
  writeAuthFile,
  writeDockerConfig
} from './auth-file.js'
import { buildahArgs } from './buildah.js'
import { commandProbes, resolveBuilder, type Builder, type BuilderProbes } from './builder.js'
import type { CommandRunner } from './command.js'
import { digestFromBuildxMetadata, parseDigest } from './digest.js'
import { dockerBuildxArgs } from './docker-buildx.js'
import { withoutInputs, type Env } from './env.js'
import type { BuildOptions, RegistryCredentials } from './options.js'
import { planBuild, type BuildPlan } from './plan.js'
import { RegistryAuthError, RegistryClient } from './registry-client.js'

export interface BuildDeps {
  run: CommandRunner
  clock: Pick<Clock, 'now'>
  /** One line of progress; never receives a secret. */
  log: (line: string) => void
  env: Env
  /** Defaults to `commandProbes(run, env)`. */
  probes?: BuilderProbes
  /** Defaults to the global fetch. */
  fetch?: typeof fetch
}

export interface BuildResult {
  /** `repository@sha256:...` */
  image: string
  digest: string
  tags: string[]
  builder: Builder
}

/** What a push's failure output says when the registry refused the credentials. */
const AUTH_REFUSED =
  /unauthorized|authentication required|incorrect username or password|insufficient_scope|denied: requested access/i

export async function buildAndPush(opts: BuildOptions, deps: BuildDeps): Promise<BuildResult> {
  const plan = planBuild(opts, deps.env, deps.clock.now())
  const builder = await resolveBuilder(
    opts.builder,
    deps.probes ?? commandProbes(deps.run, withoutInputs(deps.env))
  )
  const credentials = opts.credentials && withUsername(opts.credentials, deps.env)
  const secrets = credentials ? [credentials.password, basicAuthToken(credentials)] : []
  const { registry, path, name } = plan.repository
  const client = new RegistryClient({
    registry,
    insecure: opts.insecure,
    credentials,
    fetch: deps.fetch
  })

  // Fail in a second on bad credentials, not after a ten-minute build.
  if (credentials) await client.checkLogin(path)

  deps.log(
    `Building ${name} (tags ${plan.tags.join(', ')}) with ${builder === 'docker' ? 'docker buildx' : 'buildah'}`
  )
  const workDir = await makeWorkDir(deps.env)
  try {
    const step = stepRunner(deps, registry, secrets)
    const pushed =
      builder === 'buildah'
        ? await viaBuildah(opts, plan, workDir, credentials, step)
        : await viaBuildx(opts, plan, workDir, credentials, deps.env, step)
    const digest = await confirmDigest(client, plan, pushed)
    deps.log(`Pushed ${name}@${digest}`)
    return { image: `${name}@${digest}`, digest, tags: plan.tags, builder }
  } finally {
    await removeWorkDir(workDir)
  }
}

/** GHCR with a GITHUB_TOKEN has no username input: the actor is the user, as login-action's recipe. */
function withUsername(credentials: RegistryCredentials, env: Env): RegistryCredentials {
  return credentials.username
    ? credentials
    : { ...credentials, username: env.GITHUB_ACTOR || 'github-actions' }
}

interface StepOptions {
  env?: Env
  /** A push: a refusal in its output is an authentication failure. */
  push?: boolean
  /** Cleanup: a failure is logged, not thrown. */
  mayFail?: boolean
}

/** Runs `file args`; `what` names the step in the error. */
type Step = (what: string, file: string, args: string[], options?: StepOptions) => Promise<void>

/** Runs one command, streaming its output to the log with secrets masked; throws on failure. */
function stepRunner(deps: BuildDeps, registry: string, secrets: string[]): Step {
  const clean = (text: string) => redact(text, secrets)
  return async (what, file, args, options = {}) => {
    deps.log(clean(`$ ${file} ${args.join(' ')}`))
    const result = await deps.run(file, args, {
      env: withoutInputs(options.env ?? deps.env),
      onLine: (line) => deps.log(clean(line))
    })
    if (result.code === 0 || options.mayFail) return
    const tail = clean(result.stderr || result.stdout)
      .trim()
      .split('\n')
      .slice(-15)
      .join('\n')
    if (options.push && AUTH_REFUSED.test(tail)) {
      throw new RegistryAuthError(registry, 401, `the push was refused:\n${tail}`)
    }
    throw new Error(`${what} failed (exit ${result.code}):\n${tail}`)
  }
}

/** The digest buildah wrote for each tag it pushed. */
async function viaBuildah(
  opts: BuildOptions,
  plan: BuildPlan,
  workDir: string,
  credentials: RegistryCredentials | undefined,
  step: Step
): Promise<Map<string, string>> {
  const authFile = credentials
    ? await writeAuthFile(workDir, plan.repository.registry, credentials)
    : undefined
  const commands = buildahArgs(opts, plan, { workDir, authFile })
  try {
    await step('buildah bud', 'buildah', commands.build)
    const digests = new Map<string, string>()
    for (const push of commands.pushes) {
      await step(`buildah push (${push.tag})`, 'buildah', push.args, { push: true })
      digests.set(
        push.tag,
        parseDigest(
          await readFile(push.digestFile, 'utf8'),
          `buildah push --digestfile (${push.tag})`
        )
      )
    }
    return digests
  } finally {
    if (commands.cleanup)
      await step('buildah manifest rm', 'buildah', commands.cleanup, { mayFail: true })
  }
}

/** buildx pushes every tag at once and writes one digest. */
async function viaBuildx(
  opts: BuildOptions,
  plan: BuildPlan,
  workDir: string,
  credentials: RegistryCredentials | undefined,
  env: Env,
  step: Step
): Promise<Map<string, string>> {
  const dockerConfig = credentials
    ? await writeDockerConfig(workDir, plan.repository.registry, credentials, env)
    : undefined
  const command = dockerBuildxArgs(opts, plan, workDir)
  await step('docker buildx build', 'docker', command.args, {
    push: true,
    env: dockerConfig ? { ...env, DOCKER_CONFIG: dockerConfig } : env
  })
  const digest = digestFromBuildxMetadata(await readFile(command.metadataFile, 'utf8'))
  return new Map(plan.tags.map((tag) => [tag, digest]))
}

/** Every tag must resolve, in the registry, to the digest the builder reported. */
async function confirmDigest(
  client: RegistryClient,
  plan: BuildPlan,
  pushed: Map<string, string>
): Promise<string> {
  const { name, path, registry } = plan.repository
  const digest = pushed.get(plan.tags[0]) as string
  for (const [tag, reported] of pushed) {
    if (reported !== digest) {
      throw new Error(
        `the builder pushed different digests for ${name}:${plan.tags[0]} (${digest}) and ${name}:${tag} (${reported})`
      )
    }
    const actual = await client.manifestDigest(path, tag)
    if (actual === undefined)
      throw new Error(`registry ${registry} has no ${name}:${tag} after the push`)
    if (actual !== reported) {
      throw new Error(
        `digest mismatch for ${name}:${tag}: the builder reported ${reported}, registry ${registry} serves ${actual}`
      )
    }
  }
  return digest
}
