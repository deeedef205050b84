// One run of the program, shared by the action (main.ts) and the CLI (cli.ts): read the
// manifest, build the real adapters (unless given), run the engine, and turn anything that
// goes wrong into a `failed` outcome with its reason. Writes nothing to the terminal or to
// GitHub itself: the entries render the outcome.

import os from 'node:os'
import { readFile } from 'node:fs/promises'
import { pauseAtProblem, type Inputs } from './inputs.js'
import type { Logger } from './log.js'
import type { StepReport } from './report/types.js'
import type { StepProgress } from './report/progress.js'
import type { LoadedManifest } from './manifest/load.js'
import { LocatedError, manifestLocation } from './manifest/location.js'
import { clientFor } from './knative/client-for.js'
import { runEngine, type EngineRequest, type Judge } from './rollout/engine.js'
import { runIdentityFromEnv, type RunIdentity } from './rollout/lease.js'
import type { RunOutcome } from './rollout/result.js'
import type { Clock, ExecutorFactory, Prober, ServingClient } from './rollout/ports.js'
import type { Checkout } from './gitops/checkout.js'
import { createStepChecks, type StepChecks } from './rollout/step-checks.js'
import { stepPlan } from './rollout/decide.js'
import { BUILD_PHASE, commandPhase } from './report/phases.js'
import { withEventPullRequest } from './inputs/preview.js'
import { recordedCommit } from './github/recorded-commit.js'

export interface RunDeps {
  clock: Clock
  log: Logger
  env: NodeJS.ProcessEnv
  /** SIGINT/SIGTERM. */
  signal?: AbortSignal
  /** Adapters; the real ones (client-node, node:http) when absent. */
  client?: ServingClient
  prober?: Prober
  judge?: Judge
  /** Metric checks and webhooks; built from the inputs when absent. */
  checks?: StepChecks
  me?: RunIdentity
  /** Builds and pushes first; returns the image to deploy (`repository@sha256:...`). */
  build?: () => Promise<{ image: string; digest: string }>
  onStep?: (step: StepReport) => void
  /** Told each credential a kubeconfig plugin hands back (the action masks it). */
  onSecret?: (value: string) => void
  /** The step so far, during its analysis (live progress). */
  onProgress?: (progress: StepProgress) => void
  /** Told once the Service is known (the action saves it for the post step). */
  onTarget?: (target: { namespace: string; service: string; holder: string }) => void
  /** Told the commit the rollout recorded on the Service once the run has read it (main.ts). */
  onRecordedCommit?: (commit: string | undefined) => void
}

export async function run(inputs: Inputs, deps: RunDeps): Promise<RunOutcome> {
  const base = {
    command: inputs.command,
    namespace: inputs.namespace,
    service: inputs.service ?? '',
    traffic: [],
    steps: []
  }
  // What a build pushed is reported even when the rollout after it fails.
  let built: { image: string; digest: string } | undefined
  const warnings: string[] = [] // the API server's, on the dry-run write (the client logs them)
  try {
    const manifest = inputs.manifest
      ? await readManifest(inputs, inputs.manifest, deps.env)
      : undefined
    for (const warning of manifest?.warnings ?? []) deps.log.warn(warning)
    // The release's rolloutPercent is the first step, so pause-at may name it (inputs.ts
    // leaves this check to here when there is a manifest). Still before any write.
    if (inputs.command === 'rollout' && inputs.pauseAt !== undefined && manifest) {
      const plan = stepPlan(inputs.steps, manifest.release?.rolloutPercent)
      const problem = pauseAtProblem(inputs.pauseAt, plan)
      if (problem) throw new Error(`pause-at: "${inputs.pauseAt}" ${problem}`)
    }
    const service = inputs.service ?? manifest?.service.metadata.name
    if (!service) throw new Error('service: give the service input or a manifest that names it')
    base.service = service
    const me =
      deps.me ??
      runIdentityFromEnv(deps.env, `${os.userInfo().username}@${os.hostname()}`, inputs.jobKey)
    deps.onTarget?.({ namespace: inputs.namespace, service, holder: me.id })

    // Adapters (and their configuration errors) before the build: fail before ten minutes of it.
    const made =
      deps.client ?? (await clientFor(inputs, { ...deps, onWarning: (w) => warnings.push(w) }))
    const client = deps.onRecordedCommit ? tellingRecorded(made, deps.onRecordedCommit) : made
    const prober = deps.prober ?? (await httpProber(inputs, deps.clock))
    const checks = deps.checks ?? createStepChecks(inputs, deps.clock)
    // The checkout is found (or refused) before anything is built or written.
    const checkout = await gitCheckout(inputs, deps.env)
    if (deps.build && deploys(inputs) && !inputs.dryRun)
      built = await buildPhase(deps.log, deps.build)
    const request: EngineRequest = {
      inputs: await engineInputs(inputs, built?.image, deps),
      service,
      // The engine puts `image` (the built digest, or the input) into the template.
      manifest: manifest && { service: manifest.service, release: manifest.release },
      sha: deps.env.GITHUB_SHA
    }
    let commit: string | undefined
    const executor =
      checkout && inputs.gitops.trafficOwner === 'git'
        ? await gitExecutor(inputs, deps, client, checkout, (sha) => (commit = sha))
        : undefined
    deps.log.phase?.(commandPhase(inputs.command, inputs.namespace, service))
    const outcome = await runEngine(request, {
      executor,
      client,
      prober,
      clock: deps.clock,
      log: deps.log,
      me,
      judge: deps.judge,
      checks,
      signal: deps.signal,
      onStep: deps.onStep,
      onProgress: deps.onProgress
    })
    if (checkout && inputs.gitops.writeBack !== 'none' && !inputs.dryRun) {
      const { writeBackAfterRollout } = await import('./gitops/after-rollout.js')
      const back = await writeBackAfterRollout(inputs, outcome, {
        client,
        checkout,
        log: deps.log,
        env: deps.env
      })
      commit = back.commit ?? commit
    }
    const withCommit = warned(commit ? { ...outcome, commit } : outcome, warnings)
    return built && !outcome.digest ? { ...withCommit, ...built } : withCommit
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    const failed = { ...base, ...built, result: 'failed' as const, message: reason, reason }
    return warned({ ...failed, ...locationOf(err) }, warnings)
  }
}

/** The commands that deploy an image (a preview's cleanup removes one). */
function deploys(inputs: Inputs): boolean {
  return inputs.command === 'rollout' || (inputs.command === 'preview' && !inputs.preview?.cleanup)
}

/**
 * The inputs the engine runs with: `image` the one built, if any; a preview's pull request,
 * when no input names it, the pull_request event's.
 */
async function engineInputs(inputs: Inputs, built: string | undefined, deps: RunDeps) {
  const image = built ?? inputs.image
  if (!inputs.preview) return { ...inputs, image }
  return {
    ...inputs,
    image,
    preview: withEventPullRequest(inputs.preview, await readEvent(deps.env))
  }
}

/** The event that started the run ($GITHUB_EVENT_PATH), when there is one to read. */
async function readEvent(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (!env.GITHUB_EVENT_PATH) return undefined
  return readFile(env.GITHUB_EVENT_PATH, 'utf8').catch(() => undefined)
}

/** The client, telling the commit recorded on the Service it reads first (no read of its own). */
function tellingRecorded(
  client: ServingClient,
  tell: (commit: string | undefined) => void
): ServingClient {
  let told = false
  return Object.assign(Object.create(client) as ServingClient, {
    async getService(namespace: string, name: string) {
      const service = await client.getService(namespace, name)
      if (!told) {
        told = true
        tell(await recordedCommit(() => Promise.resolve(service)))
      }
      return service
    }
  })
}

/**
 * The real prober. `status` probes nothing: it gets one loaded on first use, so that its
 * start-up does not load node:https and node:tls for it (issue 10).
 */
async function httpProber(inputs: Inputs, clock: Clock): Promise<Prober> {
  const load = () => import('./analysis/prober.js').then((m) => m.createHttpProber(clock))
  if (inputs.command !== 'status') return load()
  let loaded: Promise<Prober> | undefined
  return { probe: async (...args) => (await (loaded ??= load())).probe(...args) }
}

/** The outcome with the API server's warnings, for the summary, when there were any. */
function warned<T extends object>(outcome: T, warnings: string[]): T & { warnings?: string[] } {
  return warnings.length ? { ...outcome, warnings } : outcome
}

/** The build, in its own phase (a log group of the action). */
function buildPhase<T>(log: Logger, build: () => Promise<T>): Promise<T> {
  log.phase?.(BUILD_PHASE)
  return build()
}

/** A manifest's bad field: where the action's annotation points. */
function locationOf(err: unknown): Pick<RunOutcome, 'location'> {
  return err instanceof LocatedError && err.location ? { location: err.location } : {}
}

/** The manifest's checkout, when commits are to be made (traffic-owner git, write-back). */
async function gitCheckout(inputs: Inputs, env: NodeJS.ProcessEnv): Promise<Checkout | undefined> {
  const { trafficOwner, writeBack, branch, author } = inputs.gitops
  const commits = trafficOwner === 'git' || writeBack !== 'none'
  if (!commits || !inputs.manifest || inputs.command === 'status') return undefined
  // Loaded only for a run that commits (start-up).
  const { pullRequestProblem } = await import('./gitops/after-rollout.js')
  const { openCheckout } = await import('./gitops/checkout.js')
  const problem = pullRequestProblem(inputs, env)
  if (problem) throw new Error(problem)
  return openCheckout(inputs.manifest, { branch, author, env })
}

/** traffic-owner git: the engine's intents become commits of the manifest in its checkout. */
async function gitExecutor(
  inputs: Inputs,
  deps: RunDeps,
  client: ServingClient,
  { repo, path, branch }: Checkout,
  onCommit: (sha: string) => void
): Promise<ExecutorFactory> {
  const { createGitExecutor } = await import('./rollout/git-executor.js')
  return (setup) =>
    createGitExecutor({
      ...setup,
      client,
      clock: deps.clock,
      log: deps.log,
      repo,
      path,
      branch,
      syncTimeoutMs: inputs.gitops.syncTimeoutMs,
      onCommit
    })
}

/**
 * The manifest file, loaded and checked; every problem names the input and the path. Where
 * the file may be and how much of it is read: manifest/read-file.ts.
 */
export async function readManifest(
  inputs: Inputs,
  path: string,
  env: NodeJS.ProcessEnv
): Promise<LoadedManifest> {
  // Loaded only for a run with a manifest (start-up: docs/architecture.md).
  const [{ loadServiceManifest, ManifestError }, { readManifestFile }] = await Promise.all([
    import('./manifest/load.js'),
    import('./manifest/read-file.js')
  ])
  const where = `manifest "${path}"`
  let text: string
  try {
    text = await readManifestFile(path, {
      workspace: env.GITHUB_WORKSPACE || undefined,
      allowOutside: inputs.allowOutsideWorkspace
    })
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`, { cause: err })
  }
  try {
    return loadServiceManifest(text, {
      // When building, `image` names the repository; the pushed digest replaces it below.
      image: inputs.build ? undefined : inputs.image,
      service: inputs.service,
      namespace: inputs.namespace
    })
  } catch (err) {
    if (err instanceof ManifestError) {
      const at = manifestLocation(path, env.GITHUB_WORKSPACE || undefined, err.at)
      throw new LocatedError(`${where}: ${err.message}`, at, { cause: err })
    }
    throw err
  }
}
