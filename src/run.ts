// One run of the program, shared by the action (main.ts) and the CLI (cli.ts): read the
// manifest, build the real adapters (unless given), run the engine, and turn anything that
// goes wrong into a `failed` outcome with its reason. Writes nothing to the terminal or to
// GitHub itself: the entries render the outcome.

import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import os from 'node:os'
import { pauseAtProblem, type Inputs } from './inputs.js'
import type { Logger } from './log.js'
import type { StepReport } from './report/types.js'
import type { LoadedManifest } from './manifest/load.js'
import { createServingClient } from './knative/client.js'
import { createHttpProber } from './analysis/prober.js'
import { runEngine, type EngineRequest, type Judge } from './rollout/engine.js'
import { runIdentityFromEnv, type RunIdentity } from './rollout/lease.js'
import type { RunOutcome } from './rollout/result.js'
import type { Clock, Prober, ServingClient } from './rollout/ports.js'
import { createStepChecks, type StepChecks } from './rollout/step-checks.js'
import { stepPlan } from './rollout/decide.js'

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
  /** Told once the Service is known (the action saves it for the post step). */
  onTarget?: (target: { namespace: string; service: string; holder: string }) => void
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
  try {
    const manifest = inputs.manifest ? await readManifest(inputs, inputs.manifest) : undefined
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
    const me = deps.me ?? runIdentityFromEnv(deps.env, `${os.userInfo().username}@${os.hostname()}`)
    deps.onTarget?.({ namespace: inputs.namespace, service, holder: me.id })

    // Adapters (and their configuration errors) before the build: fail before ten minutes of it.
    const client =
      deps.client ??
      createServingClient({
        kubeconfig: inputs.kubeconfig,
        tlsInsecure: inputs.tlsInsecure,
        clock: deps.clock,
        log: deps.log
      })
    const prober = deps.prober ?? createHttpProber(deps.clock)
    const checks = deps.checks ?? createStepChecks(inputs, deps.clock)
    const writes = inputs.command === 'rollout' || inputs.command === 'preview'
    if (deps.build && writes && !inputs.dryRun) built = await deps.build()
    const request: EngineRequest = {
      inputs: { ...inputs, image: built?.image ?? inputs.image },
      service,
      // The engine puts `image` (the built digest, or the input) into the template.
      manifest: manifest && { service: manifest.service, release: manifest.release },
      sha: deps.env.GITHUB_SHA
    }
    const outcome = await runEngine(request, {
      client,
      prober,
      clock: deps.clock,
      log: deps.log,
      me,
      judge: deps.judge,
      checks,
      signal: deps.signal,
      onStep: deps.onStep
    })
    return built && !outcome.digest ? { ...outcome, ...built } : outcome
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    return { ...base, ...built, result: 'failed', message: reason, reason }
  }
}

/**
 * The manifest file, loaded and checked; every problem names the input and the path. Only a
 * regular file, and never more than MAX_MANIFEST_BYTES of it (a device or a huge file would
 * otherwise be read into memory whole).
 */
async function readManifest(inputs: Inputs, path: string): Promise<LoadedManifest> {
  // Loaded only for a run with a manifest (issue 10: start-up).
  const { loadServiceManifest, ManifestError, MAX_MANIFEST_BYTES } =
    await import('./manifest/load.js')
  const where = `manifest "${path}"`
  let text: string
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer forever.
    const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
    try {
      const stat = await file.stat()
      if (!stat.isFile()) throw new Error('is not a regular file')
      if (stat.size > MAX_MANIFEST_BYTES)
        throw new Error(`is ${stat.size} bytes; at most ${MAX_MANIFEST_BYTES} are read`)
      text = await file.readFile('utf8')
    } finally {
      await file.close()
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const why =
      e.code === 'ENOENT' ? 'does not exist' : e.code ? `cannot be read (${e.code})` : e.message
    throw new Error(`${where}: ${why}`, { cause: err })
  }
  try {
    return loadServiceManifest(text, {
      // When building, `image` names the repository; the pushed digest replaces it below.
      image: inputs.build ? undefined : inputs.image,
      service: inputs.service,
      namespace: inputs.namespace
    })
  } catch (err) {
    if (err instanceof ManifestError) throw new Error(`${where}: ${err.message}`, { cause: err })
    throw err
  }
}
