// The pipeline's inputs (docs/pipelines.md): several manifests or services, how many roll out
// at once, and `waves` — stages of clusters, each cluster with its own kubeconfig and
// addresses, each stage with its own schedule. Pure: inputs arrive through a reader. A
// stage's steps and a cluster's addresses are checked by parsing the inputs again with them
// in place (`reparse`, given by inputs.ts), so they obey exactly the rules of the top-level
// inputs and every problem names the field, e.g. `waves[1].clusters[0].ingress-address`.

import { isAbsolute } from 'node:path'
import type { Command, Inputs } from '../inputs.js'
import { InputError } from '../input-error.js'
import { parseYamlInput } from '../yaml-input.js'
import { escapeUntrusted } from '../report/untrusted.js'
import { branchNameProblem } from '../gitops/branch-name.js'

export interface PipelineInputs {
  /** The `manifest` input's lines: paths or globs (`deploy/*.yaml`). */
  manifests: string[]
  /** The `service` input's names (comma or newline separated). */
  services: string[]
  maxParallel: number
  failFast: boolean
  /** Undefined: one stage on the `kubeconfig` cluster. */
  waves?: WaveSpec[]
  /** Start at this stage (`command: promote` or `rollout`). */
  wave?: string
}

export interface WaveSpec {
  name: string
  /** The run ends `paused` before this stage unless `wave` names it. */
  pauseBefore: boolean
  clusters: ClusterSpec[]
}

/** Where a cluster's kubeconfig comes from; `context` alone picks one in the `kubeconfig` input's. */
export interface KubeconfigSource {
  env?: string
  file?: string
  context?: string
}

export interface ClusterSpec {
  name: string
  kubeconfig: KubeconfigSource
  /**
   * traffic-owner git: the directory of the repository this cluster's GitOps controller
   * syncs; each Service's file of the same name there is the one committed.
   */
  path?: string
  /**
   * traffic-owner git: the branch of the repository this cluster's GitOps controller follows;
   * this cluster's commits are made on it (else on `git-branch`).
   */
  branch?: string
  /** The inputs with this stage's schedule and this cluster's addresses in place. */
  inputs: Inputs
}

/** Re-reads every input with `given` in place of the top-level values. */
export type Reparse = (given: Record<string, string>) => Inputs

export const MAX_PARALLEL = 1000
const WAVE_FIELDS = ['name', 'clusters', 'steps', 'step-interval', 'pause-at', 'pause-before']
const SCHEDULE_FIELDS = ['steps', 'step-interval', 'pause-at']
const CLUSTER_FIELDS = [
  'name',
  'kubeconfig-env',
  'kubeconfig-file',
  'context',
  'ingress-address',
  'prometheus-url',
  'path',
  'branch'
]
const ADDRESS_FIELDS = ['ingress-address', 'prometheus-url']
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The pipeline inputs of `inputs` (one Service in one cluster when parseInputs did not set them). */
export function pipelineOf(inputs: Inputs): PipelineInputs {
  return (
    inputs.pipeline ?? {
      manifests: inputs.manifest ? [inputs.manifest] : [],
      services: inputs.service ? [inputs.service] : [],
      maxParallel: 10,
      failFast: false
    }
  )
}

/** `service`'s names: comma or newline separated, blanks dropped. */
export function serviceNames(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** `manifest`'s lines: one path or glob each, blanks and `#` comments dropped. */
export function manifestLines(text: string | undefined): string[] {
  return (text ?? '')
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'))
}

/**
 * The pipeline inputs, or the problems found (one line each). `raw` reads an input with its
 * default; `reparse` checks a stage's or a cluster's values as top-level inputs.
 */
export function parsePipeline(
  raw: (name: string) => string,
  command: Command | undefined,
  reparse: Reparse,
  /** Problems the top-level inputs already have: not repeated for every stage. */
  known: readonly string[]
): { value?: PipelineInputs; problems: string[] } {
  const problems: string[] = []
  const manifests = manifestLines(raw('manifest'))
  const services = serviceNames(raw('service'))
  const several = manifests.length > 1 || manifests.some(isGlob)
  if (services.length > 1 && (command === 'rollout' || command === 'preview'))
    problems.push(
      `service: several names apply to promote, abort and status; a ${command} takes one manifest per Service (manifest: one path or glob per line)`
    )
  if (several && services.length === 1)
    problems.push(
      'service: renames the one Service of a manifest; with several manifests each names its own Service (metadata.name)'
    )
  if (several && raw('revision-name'))
    problems.push(
      'revision-name: names one Service’s candidate; with several manifests each gets <service>-<short sha>'
    )
  const maxText = raw('max-parallel')
  const maxParallel = Number(maxText)
  if (!/^\d+$/.test(maxText) || maxParallel < 1 || maxParallel > MAX_PARALLEL)
    problems.push(
      `max-parallel: ${JSON.stringify(maxText)} must be a whole number from 1 to ${MAX_PARALLEL}`
    )
  const failFastText = raw('fail-fast')
  const failFast = /^(true|True|TRUE)$/.test(failFastText)
  if (!failFast && !/^(false|False|FALSE)$/.test(failFastText))
    problems.push(`fail-fast: ${JSON.stringify(failFastText)} is not a boolean; use true or false`)

  let waves: WaveSpec[] | undefined
  const wavesText = raw('waves')
  if (wavesText) {
    try {
      waves = parseWaves(wavesText, reparse, known, problems, raw('traffic-owner') === 'git')
    } catch (err) {
      problems.push((err as Error).message)
    }
  }
  const wave = raw('wave') || undefined
  if (wave) {
    if (command !== 'promote' && command !== 'rollout')
      problems.push(`wave: starts a pipeline at a stage; it applies to command promote or rollout`)
    else if (!wavesText) problems.push('wave: needs waves (the stages to start among)')
    else if (waves && !waves.some((w) => w.name === wave))
      problems.push(
        `wave: ${JSON.stringify(escapeUntrusted(wave, 80))} is not a stage of waves; use one of ${waves.map((w) => w.name).join(', ')}`
      )
    if (command === 'promote' && manifests.length === 0)
      problems.push(
        'manifest: promote with wave rolls the manifests out to the stages from there on; give them'
      )
  }
  if (problems.length) return { problems }
  return { value: { manifests, services, maxParallel, failFast, waves, wave }, problems }
}

export function isGlob(path: string): boolean {
  return /[*?[\]{}]/.test(path)
}

function parseWaves(
  text: string,
  reparse: Reparse,
  known: readonly string[],
  problems: string[],
  gitMode: boolean
): WaveSpec[] {
  const doc = parseYamlInput(text, 'waves')
  if (!Array.isArray(doc) || doc.length === 0)
    throw new Error('waves: must be a YAML list of stages, each with a name and clusters')
  const waveNames = new Set<string>()
  const clusterNames = new Set<string>()
  const waves: WaveSpec[] = []
  doc.forEach((entry: unknown, i) => {
    const where = `waves[${i}]`
    const w = mapping(entry, where, WAVE_FIELDS, problems)
    if (!w) return
    const name = label(w.name, `${where}.name`, problems)
    if (name && waveNames.has(name)) problems.push(`${where}.name: "${name}" is used twice`)
    if (name) waveNames.add(name)
    const pauseBefore = w['pause-before'] === undefined ? false : w['pause-before']
    if (typeof pauseBefore !== 'boolean')
      problems.push(`${where}.pause-before: must be true or false`)
    const schedule: Record<string, string> = {}
    for (const field of SCHEDULE_FIELDS) {
      const value = w[field]
      if (value === undefined || value === null) continue
      if (Array.isArray(value)) schedule[field] = value.map(String).join(',')
      else if (typeof value === 'string' || typeof value === 'number')
        schedule[field] = String(value)
      else problems.push(`${where}.${field}: must be a string or a number`)
    }
    if (!Array.isArray(w.clusters) || w.clusters.length === 0) {
      problems.push(`${where}.clusters: required, a list of clusters (name and kubeconfig)`)
      return
    }
    const clusters: ClusterSpec[] = []
    w.clusters.forEach((c: unknown, j) => {
      const at = `${where}.clusters[${j}]`
      const cluster = parseCluster(c, at, schedule, { where, reparse, known, problems, gitMode })
      if (!cluster) return
      if (clusterNames.has(cluster.name))
        problems.push(`${at}.name: "${cluster.name}" is used twice (cluster names name results)`)
      clusterNames.add(cluster.name)
      clusters.push(cluster)
    })
    if (name && typeof pauseBefore === 'boolean') waves.push({ name, pauseBefore, clusters })
  })
  return waves
}

function parseCluster(
  entry: unknown,
  at: string,
  schedule: Record<string, string>,
  o: {
    where: string
    reparse: Reparse
    known: readonly string[]
    problems: string[]
    gitMode: boolean
  }
): ClusterSpec | undefined {
  const { problems } = o
  const c = mapping(entry, at, CLUSTER_FIELDS, problems)
  if (!c) return undefined
  const name = label(c.name, `${at}.name`, problems)
  const text = (field: string): string | undefined => {
    const v = c[field]
    if (v === undefined || v === null) return undefined
    if (typeof v !== 'string' || !v.trim()) {
      problems.push(`${at}.${field}: must be a non-empty string`)
      return undefined
    }
    return v.trim()
  }
  const kubeconfig: KubeconfigSource = {
    env: text('kubeconfig-env'),
    file: text('kubeconfig-file'),
    context: text('context')
  }
  const path = text('path')
  if (path && !o.gitMode)
    problems.push(
      `${at}.path: a directory of the repository per cluster is for traffic-owner: git; with traffic-owner: action the cluster's kubeconfig is all it needs`
    )
  else if (path && (isAbsolute(path) || path.split(/[/\\]/).includes('..')))
    problems.push(
      `${at}.path: "${escapeUntrusted(path, 80)}" must be a directory of the repository, relative and without "..", e.g. clusters/eu`
    )
  const branch = text('branch')
  const branchProblem = branch && branchNameProblem(branch)
  if (branch && !o.gitMode)
    problems.push(
      `${at}.branch: a branch of the repository per cluster is for traffic-owner: git; with traffic-owner: action the cluster's kubeconfig is all it needs`
    )
  else if (branchProblem)
    problems.push(
      `${at}.branch: "${escapeUntrusted(branch, 80)}" is not a branch name git accepts: it ${branchProblem} (git check-ref-format), e.g. clusters/eu`
    )
  if (kubeconfig.env && !ENV_NAME.test(kubeconfig.env))
    problems.push(
      `${at}.kubeconfig-env: "${escapeUntrusted(kubeconfig.env, 80)}" is not an environment variable name`
    )
  if (kubeconfig.env && kubeconfig.file)
    problems.push(`${at}: give kubeconfig-env or kubeconfig-file, not both`)
  if (!kubeconfig.env && !kubeconfig.file && !kubeconfig.context)
    problems.push(
      `${at}: needs its kubeconfig: kubeconfig-env (a variable holding it), kubeconfig-file or context${o.gitMode ? ' (read-only is enough with traffic-owner: git)' : ''}`
    )
  const given: Record<string, string> = { ...schedule }
  for (const field of ADDRESS_FIELDS) {
    const value = text(field)
    if (value) given[field] = value
  }
  let inputs: Inputs | undefined
  try {
    inputs = o.reparse(given)
  } catch (err) {
    if (!(err instanceof InputError)) throw err
    for (const problem of err.problems) {
      if (o.known.includes(problem)) continue
      const field = problem.slice(0, problem.indexOf(':'))
      const line = `${ADDRESS_FIELDS.includes(field) ? at : o.where}.${problem}`
      if (!problems.includes(line)) problems.push(line)
    }
  }
  if (!name || !inputs) return undefined
  return { name, kubeconfig, path, branch, inputs }
}

function mapping(
  entry: unknown,
  where: string,
  fields: readonly string[],
  problems: string[]
): Record<string, unknown> | undefined {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    problems.push(`${where}: must be a mapping`)
    return undefined
  }
  const e = entry as Record<string, unknown>
  for (const key of Object.keys(e)) {
    if (!fields.includes(key))
      problems.push(`${where}.${escapeUntrusted(key, 60)}: not a field; use ${fields.join(', ')}`)
  }
  return e
}

function label(value: unknown, where: string, problems: string[]): string | undefined {
  if (typeof value === 'string' && NAME.test(value) && value.length <= 63) return value
  problems.push(
    value === undefined
      ? `${where}: required`
      : `${where}: ${JSON.stringify(escapeUntrusted(String(value), 80))} must be lowercase letters, digits and '-' (a DNS-1123 label)`
  )
  return undefined
}
