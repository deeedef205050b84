// The action's entry (bundled to dist/index.js): inputs from INPUT_* variables, the engine
// with the real adapters, outputs to $GITHUB_OUTPUT, the summary to $GITHUB_STEP_SUMMARY,
// and the exit status (0 for promoted, paused, aborted, unchanged and status). It records the Service it works on for the post step.

import { readFileSync } from 'node:fs'
import * as core from '@actions/core'
import { parseInputs, readActionInputs, secretValues, type Inputs } from './inputs.js'
import { wallClock } from './clock.js'
import { run } from './run.js'
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
import { buildAndPush } from './build/build-and-push.js'
import { spawnCommand } from './build/command.js'
import { POST_STATE } from './rollout/safety-net.js'
import { gitHubReporter } from './github/rollout-report.js'
import { recordedCommit } from './github/recorded-commit.js'
import { createServingClient } from './knative/client.js'

async function main(): Promise<void> {
  const get = readActionInputs(process.env)
  maskSecrets(secretValues(get, process.env))
  const log = actionsLogger()
  const startedAt = wallClock.now()
  let inputs: Inputs
  try {
    inputs = parseInputs(get)
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    core.setOutput('result', 'failed')
    core.setFailed(reason)
    // The summary says so too: a run's page shows why it did nothing.
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
    return
  }

  // The runner sends SIGINT, then SIGTERM, when a run is cancelled: give the candidate's
  // traffic back before it kills us.
  const cancel = new AbortController()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => cancel.abort(new Error(`${signal} received`)))
  }

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

  // A promote's Deployment names the commit its rollout recorded on the Service.
  const recorded = (target: { namespace: string; service: string }) =>
    recordedCommit(() =>
      createServingClient({
        kubeconfig: inputs.kubeconfig,
        tlsInsecure: inputs.tlsInsecure,
        clock: wallClock,
        log
      }).getService(target.namespace, target.service)
    )
  const github = gitHubReporter(inputs, process.env, readEventPayload(), log, fetch, recorded)
  let started: Promise<void> | undefined
  const ran = await run(inputs, {
    clock: wallClock,
    log,
    env: process.env,
    signal: cancel.signal,
    build,
    onSecret: (secret) => maskSecrets([secret]),
    onStep: (step) => log.info(formatStepLine(step)),
    onProgress: (progress) => log.info(formatProgressLine(progress)),
    onTarget: (target) => {
      core.saveState(POST_STATE.target, JSON.stringify(target))
      started = github?.start(target)
    }
  })
  const outcome = { ...ran, startedAt, endedAt: wallClock.now() }
  core.saveState(POST_STATE.finished, 'true')

  log.phase(resultPhase(outcome.result))
  log.info(formatResultLine(outcome))
  const written = writeActionOutputs(outcome)
  // The one error annotation of a failed run, with its reason (core.setFailed would add a
  // second one): annotateResult writes it, the exit code is set here.
  annotateResult(outcome)
  await writeJobSummary(outcome)
  if (exitCodeFor(outcome) !== 0 || !written) process.exitCode = core.ExitCode.Failure
  else log.info(outcome.message)
  log.endPhase()
  // GitHub last: a slow API must not hold back the outputs of a cancelled run.
  await started
  await github?.finish(outcome)
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
