// What a pipeline run does, decided before anything is written: the Services (one per
// manifest file the globs matched, or the names given), the stages in order from the one
// to start at, and one unit per Service and cluster of a stage. Pure.

import { basename, join, relative, resolve } from 'node:path'
import type { Inputs } from '../inputs.js'
import { pipelineOf, type KubeconfigSource } from '../inputs/pipeline.js'

/** One Service to run: a manifest file (its Service named inside), or a name. */
export interface Target {
  manifest?: string
  service?: string
}

export interface StageCluster {
  /** Undefined without waves: the `kubeconfig` input's cluster. */
  name?: string
  kubeconfig?: KubeconfigSource
  /** traffic-owner git: where this cluster's copies of the manifests are (inputs/pipeline.ts). */
  path?: string
  /** traffic-owner git: the branch this cluster's controller follows (inputs/pipeline.ts). */
  branch?: string
  /** The inputs with the stage's schedule and the cluster's addresses in place. */
  inputs: Inputs
}

export interface Stage {
  /** Undefined without waves. */
  name?: string
  pauseBefore: boolean
  clusters: StageCluster[]
}

/** One rollout: a Service in a cluster of a stage. */
export interface Unit {
  stage: Stage
  cluster: StageCluster
  target: Target
}

/**
 * The targets, in the order given: each manifest line's matches (a glob's sorted), a file
 * matched twice once; or the service names. `matches` maps each manifest line to the files
 * it names. Throws naming a line that matches nothing.
 */
export function targetsOf(
  inputs: Inputs,
  matches: ReadonlyMap<string, readonly string[]>
): Target[] {
  const { manifests, services } = pipelineOf(inputs)
  if (manifests.length === 0) return services.map((service) => ({ service }))
  const seen = new Set<string>()
  const targets: Target[] = []
  for (const line of manifests) {
    const files = matches.get(line) ?? []
    if (files.length === 0) throw new Error(`manifest: "${line}" matches no file`)
    for (const file of files) {
      if (seen.has(file)) continue
      seen.add(file)
      // `service` renames the Service of a single manifest (inputs/pipeline.ts refuses it with several).
      targets.push({ manifest: file, service: inputs.service })
    }
  }
  return targets
}

/** The stages from `waves`, or one stage on the `kubeconfig` cluster. */
export function stagesOf(inputs: Inputs): Stage[] {
  const waves = pipelineOf(inputs).waves
  if (!waves) return [{ pauseBefore: false, clusters: [{ inputs }] }]
  return waves.map((w) => ({
    name: w.name,
    pauseBefore: w.pauseBefore,
    clusters: w.clusters.map((c) => ({
      name: c.name,
      kubeconfig: c.kubeconfig,
      path: c.path,
      branch: c.branch,
      inputs: c.inputs
    }))
  }))
}

/** Where the run starts: the stage `wave` names, else the first. */
export function startIndex(stages: readonly Stage[], wave: string | undefined): number {
  if (!wave) return 0
  const i = stages.findIndex((s) => s.name === wave)
  if (i < 0) throw new Error(`wave: "${wave}" is not a stage of waves`)
  return i
}

/** Every Service in every cluster of the stage, cluster by cluster. */
export function unitsOf(stage: Stage, targets: readonly Target[]): Unit[] {
  return stage.clusters.flatMap((cluster) => targets.map((target) => ({ stage, cluster, target })))
}

/** Whether this stage waits for a person: `pause-before`, unless the run was started there. */
export function waitsBefore(stage: Stage, wave: string | undefined): boolean {
  return stage.pauseBefore && stage.name !== wave
}

/**
 * Commands that walk a release through the stages (a stage starts only after the one before
 * promoted); status, abort and preview run in every cluster regardless.
 */
export function gated(command: Inputs['command']): boolean {
  return command === 'rollout' || command === 'promote'
}

/**
 * Where a cluster's copies of the manifests are (traffic-owner git): its `path` resolved as
 * `dir`; with its `branch`, the workspace as that branch's checkout has it (`moved.to`
 * standing for the workspace `moved.from`).
 */
export interface UnitFiles {
  dir?: string
  moved?: { from: string; to: string }
}

/**
 * The file a unit runs: the target's; with the cluster's `path`, the file of the same name in
 * that directory; with its `branch` alone, the target's path in that branch's checkout.
 */
export function unitManifest(target: Target, files: UnitFiles = {}): string | undefined {
  if (!target.manifest) return undefined
  if (files.dir !== undefined) return join(files.dir, basename(target.manifest))
  if (!files.moved) return target.manifest
  const { from, to } = files.moved
  return join(to, relative(from, resolve(from, target.manifest)))
}

/** The inputs of one unit's run of run.ts: its file or name, its cluster's kubeconfig and branch. */
export function unitInputs(unit: Unit, kubeconfig: string | undefined, files?: UnitFiles): Inputs {
  const { inputs, branch } = unit.cluster
  return {
    ...inputs,
    manifest: unitManifest(unit.target, files),
    service: unit.target.service,
    kubeconfig: kubeconfig ?? inputs.kubeconfig,
    ...(branch ? { gitops: { ...inputs.gitops, branch } } : {})
  }
}

/** `shop`, `shop@eu`: how the log and the summary name a unit. */
export function unitLabel(service: string, cluster: string | undefined): string {
  return cluster ? `${service}@${cluster}` : service
}

/** A unit of a cluster with a branch reads (and keeps inside) that branch's checkout. */
export function unitEnv(env: NodeJS.ProcessEnv, files: UnitFiles | undefined): NodeJS.ProcessEnv {
  return files?.moved ? { ...env, GITHUB_WORKSPACE: files.moved.to } : env
}
