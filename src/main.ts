// The action's entry (bundled to dist/index.js): inputs from INPUT_* variables, the engine
// with the real adapters, outputs to $GITHUB_OUTPUT, the summary to $GITHUB_STEP_SUMMARY,
// and the exit status (0 for promoted, previewed, paused, aborted, unchanged and status). It
// records the Services it works on for the post step (rollout/post-state.ts).

import { readFileSync } from 'node:fs'
import * as core from '@actions/core'
import {
  parseInputs,
  readActionInputs,
  secretValues,
  type InputReader,
  type Inputs
} from './inputs.js'
import { wallClock } from './clock.js'
import { isPipeline, runPipeline } from './pipeline/run-pipeline.js'
import { formatResults } from './pipeline/results.js'
import { renderPipelineSummary } from './pipeline/summary.js'
import { cancelOnSignals } from './cancel-on-signals.js'
import { exitCodeFor } from './rollout/result.js'
import {
  actionsLogger,
  annotateResult,
  maskSecrets,
  writeActionOutputs,
  writeJobSummary
} from './report/actions-log.js'
import { formatResultLine, formatStepLine } from './report/cli-progress.js'
import { formatProgressLine } from './report/progress.js'
import { resultPhase } from './report/phases.js'
import { redactUrlCredentials } from './report/redact.js'
import { buildAndPush } from './build/build-and-push.js'
import { spawnCommand } from './build/command.js'
import { POST_KEYS, postStateWriter } from './rollout/post-state.js'
import { gitHubReporter, reportingFor } from './github/rollout-report.js'
import { pipelineReporter } from './github/pipeline-report.js'
import { previewReporter } from './github/preview-report.js'

async function main(): Promise<void> {
  const get = readActionInputs(process.env)
  maskSecrets(secretValues(get, process.env))
  const log = actionsLogger()
  const startedAt = wallClock.now()
  const inputs = await inputsOrFailure(get)
  if (!inputs) return

  const cancel = cancelOnSignals('every')

  const options = inputs.build
  const build = options
    ? async () => {
        const built = await buildAndPush(options, {
          run: spawnCommand,
          clock: wallClock,
          log: (l) => log.info(l),
          env: process.env
        })
        return { image: built.image, digest: built.digest }
      }
    : undefined

  const payload = readEventPayload()
  // A promote's Deployment names the commit its rollout recorded on the Service: the run
  // tells it when it has read the Service (no second client); a run that never read it, none.
  let tellRecorded: (commit: string | undefined) => void = () => undefined
  const recorded = new Promise<string | undefined>((resolve) => (tellRecorded = resolve))
  // A pull request's preview reports to its own environment and comment (preview-report.ts).
  const github =
    inputs.command === 'preview'
      ? previewReporter(inputs, process.env, payload, log, fetch)
      : gitHubReporter(inputs, process.env, payload, log, fetch, () => recorded)
  // A pipeline's units record their own Deployments; its PR comment is one for the run.
  const githubUnits = isPipeline(inputs)
    ? pipelineReporter(inputs, reportingFor(inputs, process.env, payload, log))
    : undefined
  let started: Promise<void> | undefined
  // Every Service the run may hold, for the post step should this step be killed.
  const postStep = postStateWriter((key, value) => core.saveState(key, value))
  const pipeline = await runPipeline(inputs, {
    clock: wallClock,
    log,
    env: process.env,
    signal: cancel.signal,
    build,
    // The credentials a kubeconfig plugin hands back, and a cluster's kubeconfig read from a
    // variable or file: masked before anything could print them.
    onSecret: (secret) => maskSecrets([secret]),
    onStep: (step, unit) => log.info(formatStepLine(step, unit)),
    onProgress: (progress, unit) => log.info(formatProgressLine(progress, unit)),
    onUnit: githubUnits,
    postStep,
    onTarget: (target) => {
      postStep.started(target)
      started = github?.start(target)
    },
    onRecordedCommit: (commit) => tellRecorded(commit)
  })
  tellRecorded(undefined)
  const outcome = { ...pipeline.outcome, startedAt, endedAt: wallClock.now() }
  core.saveState(POST_KEYS.finished, 'true')

  log.phase(resultPhase(outcome.result))
  for (const report of pipeline.reports) log.info(formatResultLine(report))
  const written = writeActionOutputs(outcome)
  if (written) core.setOutput('results', redactUrlCredentials(formatResults(pipeline.results)))
  // One error annotation per failed rollout, with its reason (core.setFailed would add a
  // second one): annotateResult writes it, the exit code is set here.
  for (const report of pipeline.reports) annotateResult(report)
  await writeJobSummary(
    outcome,
    pipeline.single
      ? undefined
      : renderPipelineSummary({ ...pipeline, rows: pipeline.results, result: outcome.result })
  )
  if (exitCodeFor(outcome) !== 0 || !written) process.exitCode = core.ExitCode.Failure
  else log.info(outcome.message)
  process.exitCode = cancel.exitCode() ?? process.exitCode
  log.endPhase()
  // GitHub last: a slow API must not hold back the outputs of a cancelled run.
  await started
  if (pipeline.single) await github?.finish(outcome)
  else await githubUnits?.finish({ ...pipeline, rows: pipeline.results, result: outcome.result })
}

/** The inputs, or undefined once a bad one has failed the run (its summary says why). */
async function inputsOrFailure(get: InputReader): Promise<Inputs | undefined> {
  try {
    return parseInputs(get)
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    core.setOutput('result', 'failed')
    core.setFailed(reason)
    await writeJobSummary({
      result: 'failed',
      command: get('command') || 'rollout',
      service: get('service') ?? '',
      namespace: get('namespace') || 'default',
      traffic: [],
      steps: [],
      reason,
      badInput: true
    })
    return undefined
  }
}

/** The event that triggered the run ($GITHUB_EVENT_PATH), for the pull request number. */
function readEventPayload(): string | undefined {
  const path = process.env.GITHUB_EVENT_PATH
  if (!path) return undefined
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

main().catch((err: unknown) => {
  core.setOutput('result', 'failed')
  core.setFailed(err instanceof Error ? err.message : String(err))
})
