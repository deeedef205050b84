// A run of many rollouts, beside run.ts's one: the manifests' globs expanded and every
// Service named, each cluster's kubeconfig loaded (all before the first write), then the
// driver (driver.ts) runs run.ts's run() once per Service and cluster, with its own log
// prefix, signal and inputs. One Service in one cluster is exactly run().

import { resolve } from 'node:path'
import type { StepReport } from '../report/types.js'
import type { RunOutcome } from '../rollout/result.js'
import type { ServingClient } from '../rollout/ports.js'
import { pauseAtProblem, type Inputs } from '../inputs.js'
import { stepPlan } from '../rollout/decide.js'
import { isGlob, pipelineOf } from '../inputs/pipeline.js'
import { clientFor } from '../knative/client-for.js'
import { readManifest, run, type RunDeps } from '../run.js'
import { escapeUntrusted } from '../report/untrusted.js'
import { drive, type UnitEnd } from './driver.js'
import {
  stagesOf,
  startIndex,
  targetsOf,
  unitInputs,
  unitLabel,
  unitManifest,
  type Stage,
  type StageCluster,
  type Target
} from './plan.js'
import { resultRow, type ResultRow } from './results.js'
import { prefixedLogger } from './unit-log.js'
import { worstResult } from './worst.js'

export interface PipelineDeps extends Omit<RunDeps, 'onStep'> {
  /** Each analysed step; `unit` names the Service (and cluster) when there are several. */
  onStep?: (step: StepReport, unit?: string) => void
}

export interface PipelineOutcome {
  /** The run's own: the unit's when there is one; else the worst result and the count. */
  outcome: RunOutcome
  /** One Service in one cluster: `outcome` is run()'s. */
  single: boolean
  /** The `results` output, in plan order. */
  results: ResultRow[]
  /** The units that ran, each with its row. */
  ran: { row: ResultRow; outcome: RunOutcome }[]
  /** What to log and annotate one by one: each unit that ran, or the run's own when none did. */
  reports: RunOutcome[]
}

export function isPipeline(inputs: Inputs): boolean {
  const p = pipelineOf(inputs)
  return !!p.waves || p.services.length > 1 || p.manifests.length > 1 || p.manifests.some(isGlob)
}

export async function runPipeline(inputs: Inputs, deps: PipelineDeps): Promise<PipelineOutcome> {
  const onStep = deps.onStep
  const pipeline = pipelineOf(inputs)
  if (!isPipeline(inputs)) {
    const one = { ...inputs, manifest: pipeline.manifests[0] ?? inputs.manifest }
    const outcome = await run(one, { ...deps, onStep: onStep && ((s) => onStep(s)) })
    const row = resultRow({}, outcome)
    return { outcome, single: true, results: [row], ran: [{ row, outcome }], reports: [outcome] }
  }
  const base = { command: inputs.command, namespace: inputs.namespace, traffic: [], steps: [] }
  let prepared: Awaited<ReturnType<typeof prepare>>
  try {
    prepared = await prepare(inputs, deps)
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    const outcome: RunOutcome = {
      ...base,
      service: '',
      result: 'failed',
      message: `nothing was rolled out: ${reason}`,
      reason
    }
    return { outcome, single: false, results: [], ran: [], reports: [outcome] }
  }
  const { stages, start, targets, names, kubeconfigs, clients, dirs } = prepared
  const nameOf = (t: Target) => names.get(t)!
  const build = deps.build && once(deps.build)
  const ends = await drive<RunOutcome>({
    stages,
    start,
    wave: pipeline.wave,
    targets,
    command: inputs.command,
    maxParallel: committing(inputs) ? 1 : pipeline.maxParallel,
    failFast: pipeline.failFast,
    signal: deps.signal,
    nameOf,
    async runUnit(unit, signal) {
      const label = unitLabel(nameOf(unit.target), unit.cluster.name)
      const unitDeps: RunDeps = {
        ...deps,
        log: prefixedLogger(deps.log, label),
        signal,
        build,
        client: deps.client ?? clients.get(unit.cluster),
        onStep: onStep && ((s) => onStep(s, label)),
        // The post step keeps one Service safe; a pipeline's units rely on their signal.
        onTarget: undefined
      }
      const own = unitInputs(unit, kubeconfigs.get(unit.cluster), dirs.get(unit.cluster))
      if (own.command !== 'promote' || !own.manifest) return run(own, unitDeps)
      // promote walks a paused rollout on; where there is none (a stage not reached yet),
      // the stage is rolled out from the manifest.
      const promoted = await run(own, unitDeps)
      if (promoted.result !== 'unchanged') return promoted
      unitDeps.log.info('no paused rollout here: rolling the manifest out')
      return run({ ...own, command: 'rollout' }, unitDeps)
    }
  })
  return summarise(inputs, ends)
}

/** Everything that can be wrong before the first write: files, names, kubeconfigs. */
async function prepare(inputs: Inputs, deps: PipelineDeps) {
  const workspace = deps.env.GITHUB_WORKSPACE || undefined
  const pipeline = pipelineOf(inputs)
  // Loaded for a pipeline only: sources.ts loads client-node (start-up, issue 10).
  const { clusterKubeconfig, expandManifests } = await import('./sources.js')
  const targets = targetsOf(inputs, await expandManifests(pipeline.manifests, workspace))
  const names = new Map<Target, string>()
  const byName = new Map<string, string>()
  const rolloutPercents = new Map<Target, number | undefined>()
  for (const target of targets) {
    const loaded = target.manifest
      ? await readManifest({ ...inputs, service: target.service }, target.manifest, deps.env)
      : undefined
    const name = target.service ?? loaded!.service.metadata.name
    const other = byName.get(name)
    if (other !== undefined)
      throw new Error(
        `manifest: "${other}" and "${target.manifest}" both deploy the Service "${name}"; one rollout per Service`
      )
    byName.set(name, target.manifest ?? name)
    names.set(target, name)
    if (loaded) rolloutPercents.set(target, loaded.release?.rolloutPercent)
  }
  const stages = stagesOf(inputs)
  const start = startIndex(stages, pipeline.wave)
  checkPauseAt(stages.slice(start), rolloutPercents)
  const kubeconfigs = new Map<StageCluster, string | undefined>()
  const dirs = new Map<StageCluster, string>()
  const clients = new Map<StageCluster, ServingClient>()
  for (const [i, stage] of stages.entries()) {
    if (i < start) continue
    for (const [j, cluster] of stage.clusters.entries()) {
      const where = `waves[${i}].clusters[${j}]`
      const kubeconfig = cluster.kubeconfig
        ? await clusterKubeconfig(cluster.kubeconfig, {
            where,
            base: inputs.kubeconfig,
            env: deps.env,
            workspace
          })
        : inputs.kubeconfig
      if (kubeconfig && kubeconfig !== inputs.kubeconfig) deps.onSecret?.(kubeconfig)
      kubeconfigs.set(cluster, kubeconfig)
      if (cluster.path) {
        const dir = resolve(workspace ?? process.cwd(), cluster.path)
        dirs.set(cluster, dir)
        await checkClusterFiles(inputs, { targets, names, dir, where, env: deps.env })
      }
      if (deps.client) continue
      try {
        const log = cluster.name ? prefixedLogger(deps.log, cluster.name) : deps.log
        clients.set(
          cluster,
          await clientFor({ kubeconfig, tlsInsecure: inputs.tlsInsecure }, { ...deps, log })
        )
      } catch (err) {
        throw new Error(
          `${cluster.name ? `${where} (${cluster.name})` : 'kubeconfig'}: ${(err as Error).message}`,
          {
            cause: err
          }
        )
      }
    }
  }
  return { stages, start, targets, names, kubeconfigs, clients, dirs }
}

/** A cluster's `path`: each Service's file there exists, is valid and deploys that Service. */
async function checkClusterFiles(
  inputs: Inputs,
  o: {
    targets: readonly Target[]
    names: ReadonlyMap<Target, string>
    dir: string
    where: string
    env: NodeJS.ProcessEnv
  }
): Promise<void> {
  for (const target of o.targets) {
    const file = unitManifest(target, o.dir)
    if (!file) continue
    const loaded = await readManifest({ ...inputs, service: target.service }, file, o.env).catch(
      (err: Error) => {
        throw new Error(`${o.where}.path: ${err.message}`, { cause: err })
      }
    )
    const name = target.service ?? loaded.service.metadata.name
    if (name !== o.names.get(target))
      throw new Error(
        `${o.where}.path: "${file}" deploys the Service "${name}", not "${o.names.get(target)}" as ${target.manifest} does`
      )
  }
}

/**
 * A release's rolloutPercent is its first step, so pause-at may name it: run.ts checks this
 * for one Service; here it is checked for every Service in every stage before any runs.
 */
function checkPauseAt(
  stages: readonly Stage[],
  rolloutPercents: ReadonlyMap<Target, number | undefined>
) {
  for (const stage of stages) {
    for (const { inputs } of stage.clusters) {
      if (inputs.command !== 'rollout' || inputs.pauseAt === undefined) continue
      for (const [target, percent] of rolloutPercents) {
        const problem = pauseAtProblem(inputs.pauseAt, stepPlan(inputs.steps, percent))
        if (problem)
          throw new Error(
            `pause-at: "${inputs.pauseAt}"${stage.name ? ` (stage ${stage.name})` : ''} ${problem} of ${target.manifest}`
          )
      }
    }
  }
}

/** Commits go to one checkout: its runs take turns (git's index is not shared safely). */
function committing(inputs: Inputs): boolean {
  return inputs.gitops.trafficOwner === 'git' || inputs.gitops.writeBack !== 'none'
}

function summarise(inputs: Inputs, ends: UnitEnd<RunOutcome>[]): PipelineOutcome {
  const ran: PipelineOutcome['ran'] = []
  const results = ends.map((end) => {
    const where = { wave: end.unit.stage.name, cluster: end.unit.cluster.name }
    const report = { ...(end.ran ?? {}), service: end.service, namespace: inputs.namespace }
    const row = resultRow(where, { ...report, result: end.result, reason: end.reason })
    if (end.ran) ran.push({ row, outcome: { ...end.ran, result: end.result, reason: end.reason } })
    return row
  })
  const result = worstResult(results.map((r) => r.result))
  const counts = new Map<string, number>()
  for (const r of results) counts.set(r.result, (counts.get(r.result) ?? 0) + 1)
  const tally = [...counts].map(([k, n]) => `${n} ${k}`).join(', ')
  const bad = results.filter((r) => r.result === result && result !== 'promoted')
  const reason =
    bad.length && result !== 'unchanged'
      ? bad.map((r) => `${unitLabel(r.service, r.cluster || undefined)}: ${r.reason}`).join('; ')
      : undefined
  const outcome: RunOutcome = {
    command: inputs.command,
    namespace: inputs.namespace,
    service: '',
    result,
    traffic: [],
    steps: [],
    message: `${result}: ${tally} (${results.length} rollouts)`,
    ...(reason ? { reason: escapeUntrusted(reason, 4_000) } : {})
  }
  return {
    outcome,
    single: false,
    results,
    ran,
    reports: ran.length ? ran.map((r) => r.outcome) : [outcome]
  }
}

function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined
  return () => (p ??= f())
}
