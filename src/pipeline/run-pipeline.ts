// A run of many rollouts, beside run.ts's one: the manifests' globs expanded and every
// Service named, each cluster's kubeconfig loaded (all before the first write), then the
// driver (driver.ts) runs run.ts's run() once per Service and cluster, with its own log
// prefix, signal and inputs. One Service in one cluster is exactly run().

import { relative } from 'node:path'
import type { StepReport } from '../report/types.js'
import type { StepProgress } from '../report/progress.js'
import type { RunOutcome } from '../rollout/result.js'
import type { ServingClient } from '../rollout/ports.js'
import { pauseAtProblem, type Inputs } from '../inputs.js'
import { stepPlan } from '../rollout/decide.js'
import { isGlob, pipelineOf } from '../inputs/pipeline.js'
import { clientFor } from '../knative/client-for.js'
import { readManifest, run, type RunDeps } from '../run.js'
import { escapeUntrusted } from '../report/untrusted.js'
import { recordedCommit } from '../github/recorded-commit.js'
import { drive, type UnitEnd } from './driver.js'
import type { PostTargets } from '../rollout/post-state.js'
import {
  stagesOf,
  startIndex,
  targetsOf,
  unitInputs,
  unitLabel,
  unitManifest,
  type Stage,
  type StageCluster,
  type Target,
  type Unit,
  type UnitFiles,
  unitEnv
} from './plan.js'
import { resultRow, type ResultRow } from './results.js'
import type { BranchCheckouts } from '../gitops/branch-checkout.js'
import { prefixedLogger } from './unit-log.js'
import { worstResult } from './worst.js'
import { UnitWarnings } from './unit-warnings.js'

export interface PipelineDeps extends Omit<RunDeps, 'onStep' | 'onProgress'> {
  /** Each analysed step; `unit` names the Service (and cluster) when there are several. */
  onStep?: (step: StepReport, unit?: string) => void
  /** Progress within a step; `unit` as for onStep. */
  onProgress?: (progress: StepProgress, unit?: string) => void
  /** Told as each unit of a pipeline starts (its Service known, before any write) and ends. */
  onUnit?: UnitObserver
  /** Told each unit's Service and cluster for the post step (one Service alone: onTarget). */
  postStep?: PostTargets
}

/** One Service in one cluster of a pipeline, as an observer is told of it. */
export interface UnitRef {
  wave?: string
  cluster?: string
  namespace: string
  service: string
}

export interface UnitObserver {
  /** `recorded` reads the commit the Service's state records, in the unit's own cluster. */
  started(unit: UnitRef, recorded: () => Promise<string | undefined>): void
  ended(unit: UnitRef, outcome: RunOutcome): void
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
  const pipeline = pipelineOf(inputs)
  if (!isPipeline(inputs)) {
    const one = { ...inputs, manifest: pipeline.manifests[0] ?? inputs.manifest }
    const outcome = await run(one, deps)
    const row = resultRow({}, outcome)
    return { outcome, single: true, results: [row], ran: [{ row, outcome }], reports: [outcome] }
  }
  const branches = usesBranches(inputs)
    ? (await import('../gitops/branch-checkout.js')).branchCheckouts({
        workspace: deps.env.GITHUB_WORKSPACE || process.cwd(),
        author: inputs.gitops.author,
        temp: deps.env.RUNNER_TEMP
      })
    : undefined
  try {
    return await runStages(inputs, deps, branches)
  } finally {
    await branches?.remove()
  }
}

async function runStages(
  inputs: Inputs,
  deps: PipelineDeps,
  branches: BranchCheckouts | undefined
): Promise<PipelineOutcome> {
  const pipeline = pipelineOf(inputs)
  const base = { command: inputs.command, namespace: inputs.namespace, traffic: [], steps: [] }
  let prepared: Prepared
  try {
    prepared = await prepare(inputs, deps, branches)
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
  const { stages, start, targets, names } = prepared
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
    runUnit: (unit, signal) => runUnit(unit, signal, { inputs, deps, prepared, build }),
    onEnd(end) {
      if (!end.ran) return
      const unit = { ...where(end.unit), namespace: inputs.namespace, service: end.service }
      deps.onUnit?.ended(unit, { ...end.ran, result: end.result, reason: end.reason })
    }
  })
  return summarise(inputs, ends)
}

type Prepared = Awaited<ReturnType<typeof prepare>>

/** One Service in one cluster: run.ts's run() with the unit's inputs, client, log and signal. */
async function runUnit(
  unit: Unit,
  signal: AbortSignal,
  o: { inputs: Inputs; deps: PipelineDeps; prepared: Prepared; build?: RunDeps['build'] }
): Promise<RunOutcome> {
  const { deps, prepared, build } = o
  const { kubeconfigs, clients, files, names, stages } = prepared
  const label = unitLabel(names.get(unit.target)!, unit.cluster.name)
  const own = unitInputs(unit, kubeconfigs.get(unit.cluster), files.get(unit.cluster))
  const client = deps.client ?? clients.get(unit.cluster)
  const { onStep, onProgress } = deps
  // The post step takes back what a unit left mid-rollout when the main step is killed; it
  // finds the unit's cluster by its place in `waves`.
  const at = pipelineOf(o.inputs).waves && {
    wave: stages.indexOf(unit.stage),
    cluster: unit.stage.clusters.indexOf(unit.cluster)
  }
  let ended: (() => void) | undefined
  const unitDeps: RunDeps = {
    ...deps,
    env: unitEnv(deps.env, files.get(unit.cluster)),
    log: prefixedLogger(deps.log, label),
    signal,
    build,
    client,
    onStep: onStep && ((s) => onStep(s, label)),
    onProgress: onProgress && ((p) => onProgress(p, label)),
    onTarget: ({ namespace, service, holder }) => {
      ended?.()
      ended = deps.postStep?.started({ namespace, service, holder, ...at })
      deps.onUnit?.started({ ...where(unit), namespace, service }, () =>
        recordedCommit(async () => client?.getService(namespace, service))
      )
    }
  }
  try {
    const outcome = await runOrRollOut(own, unitDeps)
    const service = { namespace: own.namespace, name: names.get(unit.target)! }
    return prepared.warnings.get(unit.cluster)?.take(outcome, service) ?? outcome
  } finally {
    ended?.()
  }
}

/**
 * run(); except that promote walks a paused rollout on, and where there is none (a stage not
 * reached yet), the stage is rolled out from the manifest.
 */
async function runOrRollOut(own: Inputs, deps: RunDeps): Promise<RunOutcome> {
  if (own.command !== 'promote' || !own.manifest) return run(own, deps)
  const promoted = await run(own, deps)
  if (promoted.result !== 'unchanged') return promoted
  deps.log.info('no paused rollout here: rolling the manifest out')
  return run({ ...own, command: 'rollout' }, deps)
}

/** Everything that can be wrong before the first write: files, names, kubeconfigs. */
async function prepare(inputs: Inputs, deps: PipelineDeps, branches?: BranchCheckouts) {
  const workspace = deps.env.GITHUB_WORKSPACE || undefined
  const pipeline = pipelineOf(inputs)
  // Loaded for a pipeline only: sources.ts loads client-node (start-up, issue 10).
  const { clusterFiles, expandManifests, stageKubeconfig } = await import('./sources.js')
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
  const files = new Map<StageCluster, UnitFiles>()
  const clients = new Map<StageCluster, ServingClient>()
  // Each cluster's client tells its dry-run writes' warnings here, for the unit they were for.
  const warnings = new Map<StageCluster, UnitWarnings>()
  for (const [i, stage] of stages.entries()) {
    if (i < start) continue
    for (const [j, cluster] of stage.clusters.entries()) {
      const where = `waves[${i}].clusters[${j}]`
      const kubeconfig = await stageKubeconfig(cluster, {
        where,
        base: inputs.kubeconfig,
        env: deps.env,
        workspace
      })
      if (kubeconfig && kubeconfig !== inputs.kubeconfig) deps.onSecret?.(kubeconfig)
      kubeconfigs.set(cluster, kubeconfig)
      const own = await clusterFiles(cluster, {
        where,
        workspace: workspace ?? process.cwd(),
        branches
      })
      if (own) {
        files.set(cluster, own)
        await checkClusterFiles(inputs, { targets, names, files: own, where, env: deps.env })
      }
      if (deps.client) continue
      try {
        const log = cluster.name ? prefixedLogger(deps.log, cluster.name) : deps.log
        const heard = new UnitWarnings()
        warnings.set(cluster, heard)
        clients.set(
          cluster,
          await clientFor(
            { kubeconfig, tlsInsecure: inputs.tlsInsecure },
            { ...deps, log, onWarning: heard.onWarning }
          )
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
  return { stages, start, targets, names, kubeconfigs, clients, files, warnings }
}

/**
 * A cluster's `path` or `branch`: each Service's file there exists, is valid and deploys that
 * Service (a branch's checkout is the workspace its files must stay in).
 */
async function checkClusterFiles(
  inputs: Inputs,
  o: {
    targets: readonly Target[]
    names: ReadonlyMap<Target, string>
    files: UnitFiles
    where: string
    env: NodeJS.ProcessEnv
  }
): Promise<void> {
  const field = `${o.where}.${o.files.dir ? 'path' : 'branch'}`
  for (const target of o.targets) {
    const file = unitManifest(target, o.files)
    if (!file) continue
    if (o.files.moved && relative(o.files.moved.to, file).startsWith('..'))
      throw new Error(
        `${field}: manifest "${target.manifest}" is outside the workspace, so the branch has no copy of it`
      )
    const env = unitEnv(o.env, o.files)
    const loaded = await readManifest({ ...inputs, service: target.service }, file, env).catch(
      (err: Error) => {
        throw new Error(`${field}: ${err.message}`, { cause: err })
      }
    )
    const name = target.service ?? loaded.service.metadata.name
    if (name !== o.names.get(target))
      throw new Error(
        `${field}: "${file}" deploys the Service "${name}", not "${o.names.get(target)}" as ${target.manifest} does`
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

function where(unit: Unit): { wave?: string; cluster?: string } {
  return { wave: unit.stage.name, cluster: unit.cluster.name }
}

/** Whether a cluster follows its own branch: those are checked out (gitops/branch-checkout.ts). */
function usesBranches(inputs: Inputs): boolean {
  return !!pipelineOf(inputs).waves?.some((w) => w.clusters.some((c) => c.branch))
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
  const bad = results.filter(
    (r) => r.result === result && result !== 'promoted' && result !== 'previewed'
  )
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
