// The action's entry (bundled to dist/index.js): inputs from INPUT_* variables, the engine
// with the real adapters, outputs to $GITHUB_OUTPUT, the summary to $GITHUB_STEP_SUMMARY,
// and the exit status (0 for promoted, paused, aborted, unchanged and status). It records the Service it works on for the post step.

import { readFileSync } from 'node:fs'
import * as core from '@actions/core'
import { parseInputs, readActionInputs, secretValues, type Inputs } from './inputs.js'
import { wallClock } from './clock.js'
import { runPipeline } from './pipeline/run-pipeline.js'
import { formatResults } from './pipeline/results.js'
import { renderPipelineSummary } from './pipeline/summary.js'
import { exitCodeFor } from './rollout/result.js'
import {
  actionsLogger,
  annotateResult,
  maskSecrets,
  writeActionOutputs,
  writeJobSummary
} from './report/actions-log.js'
import { formatResultLine, formatStepLine } from './report/cli-progress.js'
import { parseBuildOptions } from './build/options.js'
import { buildAndPush } from './build/build-and-push.js'
import { spawnCommand } from './build/command.js'
import { POST_STATE } from './rollout/safety-net.js'
import { gitHubReporter } from './github/rollout-report.js'

async function main(): Promise<void> {
  const get = readActionInputs(process.env)
  maskSecrets(secretValues(get, process.env))
  const log = actionsLogger()
  let inputs: Inputs
  try {
    inputs = parseInputs(get)
  } catch (err) {
    core.setOutput('result', 'failed')
    core.setFailed(err instanceof Error ? err.message : String(err))
    return
  }

  // The runner sends SIGINT, then SIGTERM, when a run is cancelled: give the candidate's
  // traffic back before it kills us.
  const cancel = new AbortController()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => cancel.abort(new Error(`${signal} received`)))
  }

  const build = inputs.build
    ? async () => {
        const options = parseBuildOptions(get)!
        const built = await buildAndPush(options, {
          run: spawnCommand,
          clock: wallClock,
          log: (l) => log.info(l),
          env: process.env
        })
        return { image: built.image, digest: built.digest }
      }
    : undefined

  const github = gitHubReporter(inputs, process.env, readEventPayload(), log)
  let started: Promise<void> | undefined
  const pipeline = await runPipeline(inputs, {
    clock: wallClock,
    log,
    env: process.env,
    signal: cancel.signal,
    build,
    secret: (value) => maskSecrets([value]),
    onStep: (step, unit) => log.info((unit ? `[${unit}] ` : '') + formatStepLine(step)),
    onTarget: (target) => {
      core.saveState(POST_STATE.target, JSON.stringify(target))
      started = github?.start(target)
    }
  })
  core.saveState(POST_STATE.finished, 'true')
  const { outcome } = pipeline

  for (const report of pipeline.reports) log.info(formatResultLine(report))
  const written = writeActionOutputs(outcome)
  if (written) core.setOutput('results', formatResults(pipeline.results))
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
  // GitHub last: a slow API must not hold back the outputs of a cancelled run.
  await started
  // GitHub Deployments and the PR comment describe one Service's rollout.
  if (pipeline.single) await github?.finish(outcome)
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
