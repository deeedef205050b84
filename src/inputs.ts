// The action's inputs, typed. This file mirrors action.yml: every input is read and
// validated here, once, before anything touches the cluster; the rest of the program takes
// the typed `Inputs` object. Every bad value is reported at once, one line each, naming the
// input, what is wrong and what is allowed. Pure: inputs arrive through a reader. Each group
// of inputs has its own parser in inputs/ (spec.ts holds the table of names and defaults).

import { parseBuildOptions, type BuildOptions } from './build/options.js'
import { InputError } from './input-error.js'
import { checkImageAndBuild } from './inputs/build.js'
import { bool, duration, Problems } from './inputs/fields.js'
import { parseGitops, type GitopsInputs } from './inputs/gitops.js'
import { parseJobKey } from './inputs/job-key.js'
import { parseJudgeInputs, type JudgeInputs } from './inputs/judge.js'
import { checkNamespace, checkRevisionName, checkServiceName } from './inputs/names.js'
import { parsePipeline, serviceNames, type PipelineInputs } from './inputs/pipeline.js'
import { parsePreviewInputs, type PreviewInputs } from './inputs/preview.js'
import { checkTimeout, parsePauseAt, parseSteps } from './inputs/schedule.js'
import { INPUT_DEFAULTS, type InputReader } from './inputs/spec.js'

export { InputError }
export type { GitopsInputs, InputReader }
export {
  INPUTS,
  INPUT_NAMES,
  SECRET_INPUTS,
  readActionInputs,
  secretValues,
  type InputSpec
} from './inputs/spec.js'
export { MAX_DURATION_MS } from './inputs/fields.js'
export { pauseAtProblem, timeoutProblem } from './inputs/schedule.js'

export type Command = 'rollout' | 'promote' | 'abort' | 'status' | 'preview'

export interface Thresholds {
  /** 0..1: a revision answering a smaller share of probes with non-5xx fails the step. */
  minSuccessRate: number
  /** ms: a p99 above this fails the step. */
  maxLatencyP99Ms: number
  /** Fewer requests than this in a step is too little evidence: the step is extended. */
  minRequests: number
  /** How many failed analyses (across the rollout) roll back. */
  failureThreshold: number
}

/** The probes, thresholds and Prometheus come from inputs/judge.ts. */
export interface Inputs extends JudgeInputs {
  command: Command
  /** Undefined when it comes from the manifest. */
  service?: string
  namespace: string
  /** Path of a Service manifest (v1, or v1alpha1 runLatest / pinned / release). */
  manifest?: string
  /** Image to deploy (replaces the manifest's), or the repository to push to when building. */
  image?: string
  /** What to build and push first (build/options.ts), when `build-context` is given. */
  build?: BuildOptions
  /** The candidate's revision name; default `<service>-<short sha>`. */
  revisionName?: string
  /** Candidate percents, strictly increasing, ending at 100. */
  steps: number[]
  stepIntervalMs: number
  pauseAt?: number
  /** Every threshold given: parseInputs reports the input when one is not. */
  thresholds: Thresholds
  /** Kubeconfig content (secret). */
  kubeconfig?: string
  /** Skip TLS verification of the API server (`tls-insecure`). */
  tlsInsecure?: boolean
  githubToken?: string
  environment?: string
  timeoutMs: number
  dryRun: boolean
  waitForLock: boolean
  /** Tells this job from the run's other jobs in the lease holder (inputs/job-key.ts). */
  jobKey?: string
  /** abort only: break another run's lease (the holder is named in a warning). */
  force?: boolean
  /** Read a manifest that resolves outside GITHUB_WORKSPACE (manifest/read-file.ts). */
  allowOutsideWorkspace?: boolean
  gitops: GitopsInputs
  /** Several manifests or services, waves of clusters (inputs/pipeline.ts). */
  pipeline?: PipelineInputs
  /** command preview only: the pull request and cleanup (inputs/preview.ts). */
  preview?: PreviewInputs
}

export const COMMANDS: readonly Command[] = ['rollout', 'promote', 'abort', 'status', 'preview']

export function parseInputs(get: InputReader): Inputs {
  const p = new Problems()
  const raw = (name: string): string => {
    const v = get(name)?.trim()
    return v ? v : (INPUT_DEFAULTS.get(name) ?? '')
  }
  const optional = (name: string) => raw(name) || undefined

  const commandText = raw('command')
  const command = (COMMANDS as readonly string[]).includes(commandText)
    ? (commandText as Command)
    : undefined
  if (!command) p.add('command', commandText, `is not a command; use one of ${COMMANDS.join(', ')}`)

  // Several names (promote, abort, status) are checked one by one; inputs/pipeline.ts runs each.
  const services = serviceNames(optional('service'))
  for (const name of services) checkServiceName(p, name)
  const service = services.length === 1 ? services[0] : undefined
  const namespace = raw('namespace')
  checkNamespace(p, namespace)
  const image = optional('image')
  const revisionName = optional('revision-name')
  if (revisionName) checkRevisionName(p, revisionName, service)
  const building = checkImageAndBuild(p, raw, image)

  const steps = parseSteps(p, raw('steps'))
  const stepIntervalMs = duration(p, 'step-interval', raw('step-interval'))
  const manifest = optional('manifest')
  // A manifest's release block may add its rolloutPercent as the first step: with a
  // manifest, run.ts checks pause-at against the plan once the manifest is read.
  const pauseAt = parsePauseAt(p, optional('pause-at'), manifest ? undefined : steps)
  const judge = parseJudgeInputs(p, raw, command)
  const timeoutMs = duration(p, 'timeout', raw('timeout'))
  const flags = {
    dryRun: bool(p, 'dry-run', raw('dry-run')),
    waitForLock: bool(p, 'wait-for-lock', raw('wait-for-lock')),
    force: bool(p, 'force', raw('force')),
    tlsInsecure: bool(p, 'tls-insecure', raw('tls-insecure')),
    allowOutsideWorkspace: bool(p, 'allow-outside-workspace', raw('allow-outside-workspace'))
  }
  const jobKey = parseJobKey(p, raw('job-key'))
  const gitops = parseGitops(p, raw, { command, manifest })
  const preview = p.from(() => parsePreviewInputs(raw, command))
  checkCommandNeeds(p, {
    command,
    services,
    service,
    manifest,
    image,
    building,
    force: flags.force,
    cleanup: preview?.cleanup
  })
  if (command === 'rollout')
    checkTimeout(p, raw('timeout'), { steps, pauseAt, stepIntervalMs, timeoutMs })

  // The build's own options (builder, credentials, build-args, platforms, tags, ...), parsed
  // now rather than when the build starts; only once ours pass, so no problem is reported twice.
  const build = building && p.list.length === 0 ? p.from(() => parseBuildOptions(get)) : undefined

  const pipeline = parsePipelineWith(p, raw, command, get)

  p.throwIfAny()
  return {
    ...judge,
    thresholds: judge.thresholds as Thresholds,
    dryRun: flags.dryRun!,
    waitForLock: flags.waitForLock!,
    force: flags.force!,
    tlsInsecure: flags.tlsInsecure!,
    allowOutsideWorkspace: flags.allowOutsideWorkspace!,
    command: command!,
    service,
    namespace,
    manifest,
    image,
    build,
    revisionName,
    steps: steps!,
    stepIntervalMs: stepIntervalMs!,
    pauseAt,
    kubeconfig: optional('kubeconfig'),
    githubToken: optional('github-token'),
    environment: optional('environment'),
    timeoutMs: timeoutMs!,
    ...(jobKey ? { jobKey } : {}),
    gitops: gitops!,
    pipeline: pipeline.value!,
    ...(preview ? { preview } : {})
  }
}

/** Several manifests or services and waves of clusters (inputs/pipeline.ts). */
function parsePipelineWith(
  p: Problems,
  raw: (name: string) => string,
  command: Command | undefined,
  get: InputReader
): ReturnType<typeof parsePipeline> {
  // A stage's schedule and a cluster's addresses: the same inputs again, with theirs in place.
  const reparse = (given: Record<string, string>) =>
    parseInputs((name) =>
      name in given ? given[name] : name === 'waves' || name === 'wave' ? '' : get(name)
    )
  const pipeline = parsePipeline(raw, command, reparse, p.list)
  p.list.push(...pipeline.problems)
  return pipeline
}

/** What each command needs beside its own inputs: something to deploy, a Service to act on. */
function checkCommandNeeds(
  p: Problems,
  o: {
    command?: Command
    services: string[]
    service?: string
    manifest?: string
    image?: string
    building: boolean
    force?: boolean
    cleanup?: boolean
  }
): void {
  if (o.force && o.command && o.command !== 'abort') {
    p.add('force', 'true', 'applies only to command: abort (breaking a lease is an emergency step)')
  }
  // A preview's cleanup deploys nothing: it needs only the Service's name.
  if (o.command === 'rollout' || (o.command === 'preview' && !o.cleanup)) {
    if (!o.manifest && !o.image && !o.building)
      p.need(
        'manifest, image',
        `${o.command} needs something to deploy: give manifest (a Service YAML), image, or both`
      )
    if (!o.manifest && o.image && !o.service)
      p.need(
        'service',
        `required when ${o.command} has no manifest: the image alone does not name the Service`
      )
  } else if (o.command && o.services.length === 0 && !o.manifest) {
    p.need('service', `required for ${o.command} (or give manifest to take the name from it)`)
  }
}
