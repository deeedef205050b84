// The robustness scenarios, each one rollout on its own Service, shared by the tests
// (test/robustness/) and the benchmark (bench/robustness.bench.ts): under the API storm, killed
// with SIGKILL and run again, cancelled the way GitHub cancels (SIGINT, then SIGTERM), and
// killed with the post step as the safety net. Each reports whether it ended right and why not.

import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readState, type RolloutState } from '../../src/rollout/state.js'
import type { KService } from '../../src/knative/types.js'
import type { StoreEvent } from '../../emulator/store.js'
import {
  actionEnv,
  cliOutputs,
  history,
  resultProblems,
  rolloutFlags,
  runInProcess,
  savedState,
  servingClient,
  spawnCli,
  spawnNode,
  type ChildRun,
  type Flags,
  type World
} from './robustness-world.js'
import { parseFileCommands } from '../../test/helpers/file-commands.js'

export interface ScenarioResult {
  service: string
  /** The result the (last) run reported. */
  result: string
  /** Empty when the run ended in the right state and its result told the truth. */
  problems: string[]
}

const previousOf = (service: string) => `${service}-v1`
const candidateOf = (service: string) => `${service}-v2`

async function live(world: World, service: string): Promise<KService | undefined> {
  return (await servingClient(world)).getService('default', service)
}

/** One rollout through run() in this process; healthy → promoted, bad → rolled-back. */
export async function stormRollout(
  world: World,
  service: string,
  bad: boolean
): Promise<ScenarioResult> {
  const flags = await rolloutFlags(world, { service, version: 'v2', bad })
  const out = await runInProcess(world, 'rollout', flags, `storm-${service}`)
  const want = bad ? 'rolled-back' : 'promoted'
  const problems = out.result === want ? [] : [`${out.result}, expected ${want}: ${out.message}`]
  return {
    service,
    result: out.result,
    problems: [...problems, ...(await truth(world, service, out.result))]
  }
}

/** Does the Service show what `result` says? (Reads retry through any faults still on.) */
export async function truth(
  world: World,
  service: string,
  result: string,
  percent?: number
): Promise<string[]> {
  return resultProblems(await live(world, service), {
    result,
    previous: previousOf(service),
    candidate: candidateOf(service),
    percent
  })
}

export interface CrashResult extends ScenarioResult {
  /** False when the first run had already exited when the kill came. */
  killed: boolean
  /** The phase the Service's state was in when the kill landed. */
  killedIn: string
}

/** When to kill: after a delay, or once the Service's state satisfies `when` (polled) and `thenMs` more. */
export type KillPoint =
  { afterMs: number } | { when: (state: RolloutState | undefined) => boolean; thenMs?: number }

/**
 * `knative-rollout rollout ...` as a child process, SIGKILLed at `kill`, then the same
 * command again. A healthy candidate ends promoted (or the re-run finds it already promoted:
 * `unchanged`), a bad one rolled back.
 */
export async function crashAndRerun(
  world: World,
  service: string,
  bad: boolean,
  kill: KillPoint
): Promise<CrashResult> {
  const flags = await rolloutFlags(world, { service, version: 'v2', bad })
  const first = spawnCli(world, 'rollout', flags)
  let exited = false
  const killer =
    'afterMs' in kill
      ? new Promise<void>((r) => setTimeout(r, kill.afterMs))
      : untilState(world, service, kill.when, () => exited).then(
          () => new Promise<void>((r) => setTimeout(r, kill.thenMs ?? 0))
        )
  void killer.then(() => first.kill('SIGKILL'))
  const ended = await first.done
  exited = true
  const killed = ended.signal === 'SIGKILL'
  const state = readState(await live(world, service))
  const killedIn = killed
    ? `${state?.phase ?? 'none'} ${state?.percent ?? 0}% (current ${state?.current ?? 'none'})`
    : 'exited'

  const again = await spawnCli(world, 'rollout', flags).done
  const result = cliOutputs(again.stdout)?.result ?? `no result (exit ${again.code})`
  const ok = bad ? ['rolled-back'] : ['promoted', 'unchanged']
  const problems = ok.includes(result)
    ? []
    : [`re-run: ${result}, expected ${ok.join(' or ')}: ${again.stderr.trim().split('\n').pop()}`]
  // "unchanged" says the revision already serving is the one asked for: the candidate.
  problems.push(...(await truth(world, service, result === 'unchanged' ? 'promoted' : result)))
  return { service, result, problems, killed, killedIn }
}

/** Polls the Service until `when(state)` (or `stop()`): a kill point during a live run. */
async function untilState(
  world: World,
  service: string,
  when: (state: RolloutState | undefined) => boolean,
  stop: () => boolean
): Promise<void> {
  const client = await servingClient(world)
  while (!stop() && !when(readState(await client.getService('default', service)))) {
    await new Promise((r) => setTimeout(r, 20))
  }
}

export interface CancelResult extends ScenarioResult {
  /** From the signal to the write that put the candidate back to 0%, in ms. */
  toZeroMs?: number
}

interface ActionRun {
  env: NodeJS.ProcessEnv
  stateFile: string
  outputFile: string
}

async function actionRun(world: World, service: string, flags: Flags): Promise<ActionRun> {
  const base = join(world.dir, `${service}-action`)
  const files = { state: `${base}.state`, output: `${base}.output`, summary: `${base}.md` }
  // The runner creates the file-command files before the step starts.
  for (const file of Object.values(files)) await writeFile(file, '')
  const kubeconfig = await readFile(world.kubeconfigPath, 'utf8')
  const { kubeconfig: _path, ...inputs } = flags
  return {
    env: actionEnv(inputs, files, `run-${service}`, kubeconfig),
    stateFile: files.state,
    outputFile: files.output
  }
}

/** Waits until the candidate has `percent` and its step is under way (polling the API). */
async function untilStep(world: World, service: string, percent: number, child: ChildRun) {
  let ended: string | undefined
  void child.done.then((e) => (ended = `exit ${e.code}: ${e.stdout.slice(-2000)}${e.stderr}`))
  const client = await servingClient(world)
  const deadline = Date.now() + 60_000
  for (;;) {
    const state = readState(await client.getService('default', service))
    if (state?.phase === 'progressing' && state.percent === percent) return
    if (ended || Date.now() > deadline)
      throw new Error(`${service} never reached ${percent}% (${ended ?? 'timed out'})`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** The first write to `service` at or after `since` that gives the candidate 0%. */
export function firstZeroWrite(
  events: readonly StoreEvent[],
  service: string,
  since: number
): StoreEvent | undefined {
  return events.find(
    (e) =>
      e.resource.startsWith('services.') &&
      e.object.metadata.name === service &&
      Date.parse(e.at) >= since &&
      (e.object as unknown as KService).spec.traffic?.every(
        (t) => t.revisionName !== candidateOf(service) || !t.percent
      )
  )
}

const PAUSED_FLAGS: Flags = { 'step-interval': '10s', timeout: '5m' }

/** dist/index.js started as the runner starts it, `delayInStepMs` into its 50% step. */
async function actionAtStep50(world: World, service: string, delayInStepMs: number) {
  const flags = await rolloutFlags(world, { service, version: 'v2', extra: PAUSED_FLAGS })
  const action = await actionRun(world, service, flags)
  const child = spawnNode(world, 'index.js', [], action.env)
  await untilStep(world, service, 50, child)
  await new Promise((r) => setTimeout(r, delayInStepMs))
  return { action, child }
}

/**
 * dist/index.js as GitHub's runner runs it, cancelled mid-step the way GitHub cancels a run:
 * SIGINT, then SIGTERM 7.5 s later if it is still there. The candidate must be back at 0%
 * (result `aborted`) soon after the SIGINT.
 */
export async function cancelAction(
  world: World,
  service: string,
  delayInStepMs: number
): Promise<CancelResult> {
  const { action, child } = await actionAtStep50(world, service, delayInStepMs)
  const signalledAt = Date.now()
  child.kill('SIGINT')
  const term = setTimeout(() => child.kill('SIGTERM'), 7_500)
  const ended = await child.done
  clearTimeout(term)
  const write = firstZeroWrite(await history(world), service, signalledAt)
  const outputs = await readFile(action.outputFile, 'utf8').catch(() => '')
  const result = parseFileCommands(outputs).result ?? `no result (exit ${ended.code})`
  const problems = result === 'aborted' ? [] : [`result ${result}, expected aborted`]
  if (!write) problems.push('no write put the candidate back to 0%')
  problems.push(...(await truth(world, service, result)))
  return { service, result, problems, toZeroMs: write && Date.parse(write.at) - signalledAt }
}

/**
 * dist/index.js SIGKILLed mid-step (nothing of it runs again), then dist/post.js with the
 * state the main step saved: the safety net puts the candidate back to 0% (phase aborted).
 */
export async function killThenPost(
  world: World,
  service: string,
  delayInStepMs: number
): Promise<CancelResult> {
  const { action, child } = await actionAtStep50(world, service, delayInStepMs)
  const killedAt = Date.now()
  child.kill('SIGKILL')
  await child.done
  const post = await spawnNode(world, 'post.js', [], {
    ...action.env,
    ...(await savedState(action.stateFile))
  }).done
  const write = firstZeroWrite(await history(world), service, killedAt)
  // The post step writes and exits; Knative's status follows the spec a moment later.
  const want = { result: 'aborted', previous: previousOf(service), candidate: candidateOf(service) }
  const observed = await (
    await servingClient(world)
  )
    .waitForService('default', service, (s) => resultProblems(s, want).length === 0, 30_000)
    .catch(() => live(world, service))
  const state = readState(observed)
  const problems: string[] = []
  if (post.code !== 0) problems.push(`post step exited ${post.code}: ${post.stdout}${post.stderr}`)
  if (state?.phase !== 'aborted') problems.push(`phase ${state?.phase}, expected aborted`)
  if (!write) problems.push('no write put the candidate back to 0%')
  problems.push(...(await truth(world, service, 'aborted')))
  return {
    service,
    result: state?.phase ?? 'none',
    problems,
    toZeroMs: write && Date.parse(write.at) - killedAt
  }
}
