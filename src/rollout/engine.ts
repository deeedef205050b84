// The rollout engine's entry: builds the run's context (timing, deadline, cancellation,
// the executor) and hands it to the command. The commands (commands/*) are flat sequences
// of phases; the decisions they follow are pure (intent.ts, step-decision.ts, drift.ts,
// timing.ts, decide.ts); the executor (kube-executor.ts by default) carries them out.

import type { Logger } from '../log.js'
import { judge as sequentialJudge } from '../analysis/judge.js'
import type { StepReport } from '../report/types.js'
import type { StepProgress } from '../report/progress.js'
import type { Clock, ExecutorFactory, Prober, ServingClient } from './ports.js'
import type { RunIdentity } from './lease.js'
import type { RunOutcome } from './result.js'
import { NO_CHECKS, type StepChecks } from './step-checks.js'
import type { EngineRequest, Judge, RunContext } from './context.js'
import { createKubeExecutor } from './kube-executor.js'
import { timing } from './timing.js'
import { abort } from './commands/abort.js'
import { preview } from './commands/preview.js'
import { promote } from './commands/promote.js'
import { rollout } from './commands/rollout.js'
import { status } from './commands/status.js'

export type { EngineRequest, Judge, ManifestRelease } from './context.js'
export { MAX_STEP_ROUNDS } from './timing.js'

export interface EngineDeps {
  client: ServingClient
  prober: Prober
  clock: Clock
  log: Logger
  me: RunIdentity
  judge?: Judge
  /** SIGINT/SIGTERM: stop probing, put the candidate back to 0%, release the lease. */
  signal?: AbortSignal
  /** Each analysed step as it ends (live progress). */
  onStep?: (step: StepReport) => void
  /** The step so far, during its analysis (live progress). */
  onProgress?: (progress: StepProgress) => void
  /** Metric queries and webhooks, beside the probes; none by default. */
  checks?: StepChecks
  /** Who carries the intents out; the Kubernetes executor (writes under a lease) by default. */
  executor?: ExecutorFactory
}

const COMMANDS = { status, abort, promote, preview } as const

export async function runEngine(request: EngineRequest, deps: EngineDeps): Promise<RunOutcome> {
  const { inputs } = request
  const timeout = new AbortController()
  const stopTimer = new AbortController()
  deps.clock.sleep(inputs.timeoutMs, stopTimer.signal).then(
    () => timeout.abort(new Error(`timed out after ${inputs.timeoutMs / 1000}s (timeout)`)),
    () => undefined
  )
  const ctx = context(request, deps, timeout.signal)
  try {
    const command = COMMANDS[inputs.command as keyof typeof COMMANDS] ?? rollout
    return await command(ctx)
  } finally {
    stopTimer.abort()
    // A command that ended with nothing to do while holding the lease lets it go.
    await ctx.executor
      .release()
      .catch((err) => ctx.log.warn(`could not release the lease: ${(err as Error).message}`))
  }
}

function context(request: EngineRequest, deps: EngineDeps, timedOut: AbortSignal): RunContext {
  const { inputs } = request
  const signal = deps.signal ? AbortSignal.any([deps.signal, timedOut]) : timedOut
  const t = timing(inputs.stepIntervalMs)
  const deadline = deps.clock.now() + inputs.timeoutMs
  const progress: RunContext['progress'] = { steps: [], warnedNoDataPlane: false }
  const setup = {
    namespace: inputs.namespace,
    name: request.service,
    timing: t,
    deadline,
    waitForLock: inputs.waitForLock,
    breakLease: inputs.command === 'abort' && !!inputs.force,
    signal,
    mine: () => progress.template
  }
  const executor =
    deps.executor?.(setup) ??
    createKubeExecutor({ ...setup, client: deps.client, clock: deps.clock, me: deps.me })
  return {
    request,
    inputs,
    ns: inputs.namespace,
    name: request.service,
    log: deps.log,
    clock: deps.clock,
    me: deps.me,
    judge: deps.judge ?? sequentialJudge,
    checks: deps.checks ?? NO_CHECKS,
    prober: deps.prober,
    executor,
    timing: t,
    deadline,
    signal,
    cancelled: deps.signal,
    timedOut,
    onStep: deps.onStep,
    onProgress: deps.onProgress,
    progress
  }
}
