// The action's inputs, typed. This file mirrors action.yml: every input is read and
// validated here, once, before anything touches the cluster; the rest of the program takes
// the typed `Inputs` object. Every bad value is reported at once, one line each, naming the
// input, what is wrong and what is allowed. Pure: inputs arrive through a reader.

import { parseMetricChecks, type MetricCheck } from './analysis/metric-checks.js'
import { basicAuthToken } from './build/auth-file.js'
import { parseBuilder, parseBuildOptions, type BuildOptions } from './build/options.js'
import { parseWebhooks, type Webhook } from './analysis/webhooks.js'
import { durationProblem, formatDuration, parseDuration } from './duration.js'
import { imageReferenceProblem, parseImageReference } from './manifest/image-ref.js'
import { MAX_SERVICE_NAME } from './manifest/names.js'
import { MAX_STEP_ROUNDS, analysisBounds } from './rollout/timing.js'
import { planSteps } from './traffic.js'
import { InputError } from './input-error.js'

export { InputError }
import { DEFAULT_AUTHOR, type GitAuthor } from './gitops/git.js'
import { branchNameProblem } from './gitops/branch-name.js'
import { parsePipeline, serviceNames, type PipelineInputs } from './inputs/pipeline.js'

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

export interface Inputs {
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
  probe: { path: string; rps: number; ingressAddress?: string }
  thresholds: Thresholds
  prometheusUrl?: string
  /** Prometheus bearer token (secret); or basic auth with username and password (secret). */
  prometheusToken?: string
  prometheusUsername?: string
  prometheusPassword?: string
  metrics: MetricCheck[]
  webhooks: Webhook[]
  /** Kubeconfig content (secret). */
  kubeconfig?: string
  /** Skip TLS verification of the API server (`tls-insecure`). */
  tlsInsecure?: boolean
  githubToken?: string
  environment?: string
  timeoutMs: number
  dryRun: boolean
  waitForLock: boolean
  /** abort only: break another run's lease (the holder is named in a warning). */
  force?: boolean
  /** Read a manifest that resolves outside GITHUB_WORKSPACE (manifest/read-file.ts). */
  allowOutsideWorkspace?: boolean
  gitops: GitopsInputs
  /** Several manifests or services, waves of clusters (inputs/pipeline.ts). */
  pipeline?: PipelineInputs
}

/** Who moves the traffic, and how git learns of it (docs/gitops.md). */
export interface GitopsInputs {
  /** `action` writes the Service; `git` commits the manifest for a GitOps controller to apply. */
  trafficOwner: 'action' | 'git'
  /** action mode: make git match what was promoted (or rolled back) afterwards. */
  writeBack: 'none' | 'commit' | 'pull-request'
  /** The branch commits go to; undefined: the checked-out branch. */
  branch?: string
  author: GitAuthor
  /** git mode: how long a pushed commit may take to show on the cluster. */
  syncTimeoutMs: number
  /** action mode, on a Service a GitOps controller manages whose sync would undo the rollout. */
  check: 'refuse' | 'warn' | 'off'
}

// ---------------------------------------------------------------------------------------
// The inputs table: names and defaults exactly as in action.yml (a test holds them equal).

export interface InputSpec {
  name: string
  /** action.yml's default; `${{ … }}` expressions only mean something on a runner. */
  default: string
  /** Never echoed in a message, log or output. */
  secret?: boolean
}

export const INPUTS: readonly InputSpec[] = [
  { name: 'command', default: 'rollout' },
  { name: 'service', default: '' },
  { name: 'namespace', default: 'default' },
  { name: 'manifest', default: '' },
  { name: 'allow-outside-workspace', default: 'false' },
  { name: 'image', default: '' },
  { name: 'build-context', default: '' },
  { name: 'dockerfile', default: '' },
  // Read and checked by build/options.ts (parseBuildOptions), which the build uses.
  { name: 'build-args', default: '' },
  { name: 'target', default: '' },
  { name: 'platforms', default: '' },
  { name: 'tags', default: '' },
  { name: 'labels', default: '' },
  { name: 'cache-from', default: '' },
  { name: 'cache-to', default: '' },
  { name: 'builder', default: 'auto' },
  { name: 'registry', default: '' },
  { name: 'registry-username', default: '' },
  { name: 'registry-password', default: '', secret: true },
  { name: 'registry-insecure', default: 'false' },
  { name: 'revision-name', default: '' },
  { name: 'steps', default: '10,25,50,100' },
  { name: 'step-interval', default: '1m' },
  { name: 'pause-at', default: '' },
  { name: 'probe-path', default: '/' },
  { name: 'probe-rps', default: '10' },
  { name: 'ingress-address', default: '' },
  { name: 'min-success-rate', default: '0.99' },
  { name: 'max-latency-p99', default: '1000ms' },
  { name: 'min-requests', default: '20' },
  { name: 'failure-threshold', default: '1' },
  { name: 'prometheus-url', default: '' },
  { name: 'prometheus-token', default: '', secret: true },
  { name: 'prometheus-username', default: '' },
  { name: 'prometheus-password', default: '', secret: true },
  { name: 'metrics', default: '' },
  { name: 'webhooks', default: '' },
  { name: 'kubeconfig', default: '', secret: true },
  { name: 'tls-insecure', default: 'false' },
  { name: 'github-token', default: '${{ github.token }}', secret: true },
  { name: 'environment', default: '' },
  { name: 'timeout', default: '30m' },
  { name: 'dry-run', default: 'false' },
  { name: 'wait-for-lock', default: 'false' },
  { name: 'force', default: 'false' },
  { name: 'traffic-owner', default: 'action' },
  { name: 'write-back', default: 'none' },
  { name: 'git-branch', default: '' },
  { name: 'git-author', default: `${DEFAULT_AUTHOR.name} <${DEFAULT_AUTHOR.email}>` },
  { name: 'sync-timeout', default: '5m' },
  { name: 'gitops-check', default: 'refuse' },
  { name: 'max-parallel', default: '10' },
  { name: 'fail-fast', default: 'false' },
  { name: 'waves', default: '' },
  { name: 'wave', default: '' }
]

export const INPUT_NAMES: readonly string[] = INPUTS.map((i) => i.name)
export const SECRET_INPUTS: readonly string[] = INPUTS.filter((i) => i.secret).map((i) => i.name)

/**
 * Every secret value to mask (the action) or redact (the CLI) before the first line is
 * printed: the secret inputs, and the forms libraries derive from them, which an error may
 * quote: basic auth's base64 of `user:password` (registry and Prometheus; an empty registry
 * user is the GitHub actor) and a password as percent-encoded in a URL.
 */
export function secretValues(get: InputReader, env: NodeJS.ProcessEnv = {}): string[] {
  const value = (name: string) => get(name)?.trim() ?? ''
  // As given and trimmed: the runner masks exact text, and parseInputs uses the trimmed one.
  const out = [...SECRET_INPUTS.map((name) => get(name) ?? ''), ...SECRET_INPUTS.map(value)]
  const pairs: [string, string][] = [
    [value('registry-username') || (env.GITHUB_ACTOR ?? ''), value('registry-password')],
    [value('prometheus-username'), value('prometheus-password')]
  ]
  for (const [username, password] of pairs) {
    if (!password) continue
    out.push(basicAuthToken({ username, password }))
    if (encodeURIComponent(password) !== password) out.push(encodeURIComponent(password))
  }
  return [...new Set(out.filter((v) => v.trim()))]
}

export const COMMANDS: readonly Command[] = ['rollout', 'promote', 'abort', 'status', 'preview']
// @actions/core getBooleanInput: YAML 1.2 core schema booleans, nothing else.
const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']
const MAX_PROBE_RPS = 1000

/** Reads one input by its action.yml name; undefined or '' means "not given". */
export type InputReader = (name: string) => string | undefined

/** All the input problems found, one per line. */
/**
 * A reader over the runner's `INPUT_*` variables: GitHub upper-cases the name and turns
 * spaces into `_`, keeping dashes (`step-interval` → `INPUT_STEP-INTERVAL`).
 */
export function readActionInputs(env: NodeJS.ProcessEnv = process.env): InputReader {
  return (name) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]
}

const DEFAULTS = new Map(INPUTS.map((i) => [i.name, i.default.includes('${{') ? '' : i.default]))

export function parseInputs(get: InputReader): Inputs {
  const p = new Problems()
  const raw = (name: string): string => {
    const v = get(name)?.trim()
    return v ? v : (DEFAULTS.get(name) ?? '')
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
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace) || namespace.length > 63) {
    p.add(
      'namespace',
      namespace,
      "is not a namespace name; use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters (a DNS-1123 label)"
    )
  }
  const image = optional('image')
  const revisionName = optional('revision-name')
  if (revisionName) checkRevisionName(p, revisionName, service)

  const building = checkBuild(p, raw, image)
  if (image && !building) {
    const problem = imageReferenceProblem(image)
    if (problem)
      p.add(
        'image',
        image,
        `is not a valid image reference: it ${problem}; e.g. ghcr.io/acme/shop:1.2 or ghcr.io/acme/shop@sha256:<64 hex digits>`
      )
  }

  const steps = parseSteps(p, raw('steps'))
  const stepIntervalMs = duration(p, 'step-interval', raw('step-interval'))
  const manifest = optional('manifest')
  // A manifest's release block may add its rolloutPercent as the first step: with a
  // manifest, run.ts checks pause-at against the plan once the manifest is read.
  const pauseAt = parsePauseAt(p, optional('pause-at'), manifest ? undefined : steps)

  const probePath = raw('probe-path')
  if (!probePath.startsWith('/') || /\s/.test(probePath)) {
    p.add(
      'probe-path',
      probePath,
      'must be a URL path starting with "/" and without spaces, e.g. /healthz'
    )
  }
  const rps = Number(raw('probe-rps'))
  if (!/^\d+(\.\d+)?$/.test(raw('probe-rps')) || rps > MAX_PROBE_RPS) {
    p.add(
      'probe-rps',
      raw('probe-rps'),
      `must be a number of requests per second from 0 to ${MAX_PROBE_RPS} (0 turns synthetic probes off)`
    )
  }
  const ingressAddress = optional('ingress-address')
  if (ingressAddress) checkUrl(p, 'ingress-address', ingressAddress, true)

  const minSuccessRate = parseRate(p, raw('min-success-rate'))
  const maxLatencyP99Ms = duration(p, 'max-latency-p99', raw('max-latency-p99'))
  const minRequests = integer(p, 'min-requests', raw('min-requests'), 0)
  const failureThreshold = integer(p, 'failure-threshold', raw('failure-threshold'), 1)

  const prometheusUrl = optional('prometheus-url')
  if (prometheusUrl) checkUrl(p, 'prometheus-url', prometheusUrl, false)
  const prometheusToken = optional('prometheus-token')
  const prometheusUsername = optional('prometheus-username')
  const prometheusPassword = optional('prometheus-password')
  if (prometheusToken && (prometheusUsername || prometheusPassword))
    p.need('prometheus-token', 'give a bearer token or a username and password, not both')
  if (!prometheusUsername !== !prometheusPassword)
    p.need(
      'prometheus-username, prometheus-password',
      'basic auth needs both (keep the password in a secret)'
    )
  if ((prometheusToken || prometheusUsername) && !prometheusUrl)
    p.need('prometheus-url', 'required when Prometheus credentials are given')
  const metricsText = optional('metrics')
  const metrics = p.from(() => parseMetricChecks(metricsText)) ?? []
  const webhooks = p.from(() => parseWebhooks(optional('webhooks'))) ?? []
  if (metricsText && !prometheusUrl)
    p.need('metrics', 'needs prometheus-url to run its queries against')
  if (rps === 0 && !prometheusUrl && command === 'rollout') {
    p.need(
      'probe-rps',
      '0 turns synthetic probes off, which leaves the judge nothing to measure without prometheus-url'
    )
  }

  const timeoutMs = duration(p, 'timeout', raw('timeout'))
  const dryRun = bool(p, 'dry-run', raw('dry-run'))
  const waitForLock = bool(p, 'wait-for-lock', raw('wait-for-lock'))
  const force = bool(p, 'force', raw('force'))
  if (force && command && command !== 'abort') {
    p.add('force', 'true', 'applies only to command: abort (breaking a lease is an emergency step)')
  }
  const tlsInsecure = bool(p, 'tls-insecure', raw('tls-insecure'))
  const gitops = parseGitops(p, raw, { command, manifest })
  const allowOutsideWorkspace = bool(p, 'allow-outside-workspace', raw('allow-outside-workspace'))

  if (command === 'rollout' || command === 'preview') {
    if (!manifest && !image && !building)
      p.need(
        'manifest, image',
        `${command} needs something to deploy: give manifest (a Service YAML), image, or both`
      )
    if (!manifest && image && !service)
      p.need(
        'service',
        `required when ${command} has no manifest: the image alone does not name the Service`
      )
  } else if (command && services.length === 0 && !manifest) {
    p.need('service', `required for ${command} (or give manifest to take the name from it)`)
  }
  if (command === 'rollout' && steps && stepIntervalMs && timeoutMs) {
    const problem = timeoutProblem(steps, pauseAt, stepIntervalMs, timeoutMs)
    if (problem) p.add('timeout', raw('timeout'), problem)
  }

  // The build's own options (builder, credentials, build-args, platforms, tags, ...), parsed
  // now rather than when the build starts; only once ours pass, so no problem is reported twice.
  const build = building && p.list.length === 0 ? p.from(() => parseBuildOptions(get)) : undefined

  // A stage's schedule and a cluster's addresses: the same inputs again, with theirs in place.
  const reparse = (given: Record<string, string>) =>
    parseInputs((name) =>
      name in given ? given[name] : name === 'waves' || name === 'wave' ? '' : get(name)
    )
  const pipeline = parsePipeline(raw, command, reparse, p.list)
  p.list.push(...pipeline.problems)

  p.throwIfAny()
  return {
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
    probe: { path: probePath, rps, ingressAddress },
    thresholds: {
      minSuccessRate: minSuccessRate!,
      maxLatencyP99Ms: maxLatencyP99Ms!,
      minRequests: minRequests!,
      failureThreshold: failureThreshold!
    },
    prometheusUrl,
    prometheusToken,
    prometheusUsername,
    prometheusPassword,
    metrics,
    webhooks,
    kubeconfig: optional('kubeconfig'),
    tlsInsecure: tlsInsecure!,
    githubToken: optional('github-token'),
    environment: optional('environment'),
    timeoutMs: timeoutMs!,
    dryRun: dryRun!,
    waitForLock: waitForLock!,
    force: force!,
    allowOutsideWorkspace: allowOutsideWorkspace!,
    gitops: gitops!,
    pipeline: pipeline.value!
  }
}

const OWNERS = ['action', 'git'] as const
const WRITE_BACKS = ['none', 'commit', 'pull-request'] as const
const CHECKS = ['refuse', 'warn', 'off'] as const

function oneOf<T extends string>(
  p: Problems,
  name: string,
  text: string,
  allowed: readonly T[]
): T | undefined {
  if ((allowed as readonly string[]).includes(text)) return text as T
  p.add(name, text, `must be one of ${allowed.join(', ')}`)
  return undefined
}

function parseGitops(
  p: Problems,
  raw: (name: string) => string,
  o: { command?: Command; manifest?: string }
): GitopsInputs | undefined {
  const trafficOwner = oneOf(p, 'traffic-owner', raw('traffic-owner'), OWNERS)
  const writeBack = oneOf(p, 'write-back', raw('write-back'), WRITE_BACKS)
  const check = oneOf(p, 'gitops-check', raw('gitops-check'), CHECKS)
  const syncTimeoutMs = duration(p, 'sync-timeout', raw('sync-timeout'))
  const branch = raw('git-branch') || undefined
  // A ref name git accepts (git check-ref-format's rules), so a push never fails late.
  if (branch && branchNameProblem(branch))
    p.add('git-branch', branch, 'is not a branch name git accepts, e.g. main or deploy/production')
  const author = parseAuthor(raw('git-author'))
  if (!author)
    p.add(
      'git-author',
      raw('git-author'),
      'must be "Name <email>", e.g. "Deploy Bot <deploy@example.com>"'
    )
  const usesGit = trafficOwner === 'git' || (writeBack !== undefined && writeBack !== 'none')
  if (usesGit && !o.manifest && o.command !== 'status')
    p.need(
      'manifest',
      `the manifest file in the repository is what ${trafficOwner === 'git' ? 'traffic-owner: git commits' : 'write-back edits'}; give its path`
    )
  if (trafficOwner === 'git' && writeBack && writeBack !== 'none')
    p.add(
      'write-back',
      writeBack,
      'applies to traffic-owner: action; with traffic-owner: git every step is already a commit'
    )
  if (!trafficOwner || !writeBack || !check || !syncTimeoutMs || !author) return undefined
  return { trafficOwner, writeBack, check, syncTimeoutMs, branch, author }
}

function parseAuthor(text: string): GitAuthor | undefined {
  const m = /^([^<>\n]+?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(text.trim())
  return m ? { name: m[1], email: m[2] } : undefined
}

// ---------------------------------------------------------------------------------------

class Problems {
  readonly list: string[] = []
  /** `<input>: "<value>" <what is wrong; what is allowed>` (secret values are not shown). */
  add(input: string, value: string, text: string): void {
    const secret = SECRET_INPUTS.includes(input)
    this.list.push(`${input}: ${secret ? '(the given value)' : JSON.stringify(value)} ${text}`)
  }
  /** `<input>: <text>`, for missing or conflicting inputs. */
  need(input: string, text: string): void {
    this.list.push(`${input}: ${text}`)
  }
  /** Runs another module's pure parser; its error message already names the input. */
  from<T>(parse: () => T): T | undefined {
    try {
      return parse()
    } catch (e) {
      this.list.push((e as Error).message)
      return undefined
    }
  }
  throwIfAny(): void {
    if (this.list.length) throw new InputError(this.list)
  }
}

/**
 * The timeout must hold the analysis at its longest: each analysed step (the walk's steps
 * below 100%, as traffic.ts plans them up to pause-at; a blue/green switch analyses once)
 * takes one interval when it passes and up to MAX_STEP_ROUNDS when in doubt
 * (rollout/timing.ts). Shorter, a slow but healthy rollout would end `failed` on the
 * timeout instead of being judged.
 */
export function timeoutProblem(
  steps: readonly number[],
  pauseAt: number | undefined,
  stepIntervalMs: number,
  timeoutMs: number
): string | undefined {
  const walked = planSteps({ steps, startPercent: 0, pauseAt }).percents
  const analysed = Math.max(1, walked.filter((s) => s < 100).length)
  const { maxMs } = analysisBounds(analysed, stepIntervalMs)
  if (timeoutMs >= maxMs) return undefined
  const each = `${formatDuration(stepIntervalMs)} to ${formatDuration(stepIntervalMs * MAX_STEP_ROUNDS)}`
  return `is shorter than the analysis alone can take (${analysed} analysed step${analysed === 1 ? '' : 's'} × ${each} each = up to ${formatDuration(maxMs)}; a step in doubt is extended up to ${MAX_STEP_ROUNDS} intervals); raise timeout or shorten step-interval`
}

function checkServiceName(p: Problems, name: string): void {
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    p.add(
      'service',
      name,
      "is not a Knative Service name; use lowercase letters, digits and '-', starting with a letter and ending with a letter or digit (a DNS-1035 label)"
    )
  } else if (name.length > MAX_SERVICE_NAME) {
    p.add(
      'service',
      name,
      `has ${name.length} characters; at most ${MAX_SERVICE_NAME}, so the tag host "candidate-${name}" fits a 63-character DNS label`
    )
  }
}

function checkRevisionName(p: Problems, name: string, service: string | undefined): void {
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) {
    p.add(
      'revision-name',
      name,
      "is not a revision name; use lowercase letters, digits and '-', starting with a letter, at most 63 characters (a DNS-1035 label)"
    )
  } else if (service && (!name.startsWith(`${service}-`) || name.length === service.length + 1)) {
    p.add(
      'revision-name',
      name,
      `must be "${service}-<suffix>": Knative requires a revision name to start with its Service's name and "-"`
    )
  }
}

/**
 * Whether a build is asked for, and the checks that need the other inputs beside it (the
 * build's own options are build/options.ts's, parsed once the rest is good).
 */
function checkBuild(
  p: Problems,
  raw: (name: string) => string,
  image: string | undefined
): boolean {
  const context = raw('build-context')
  const dockerfile = raw('dockerfile') || undefined
  // Checked without a build too: a misspelt builder is a mistake either way.
  p.from(() => parseBuilder(raw('builder') || undefined))
  const registry = raw('registry') || undefined
  if (
    registry &&
    !/^([a-z]+:\/\/)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d+)?\/?$/.test(registry)
  ) {
    p.add(
      'registry',
      registry,
      'is not a registry host; use host[:port], e.g. ghcr.io or 127.0.0.1:5000'
    )
  }
  if (!context) {
    if (dockerfile)
      p.add(
        'dockerfile',
        dockerfile,
        'is only used with build-context; set build-context to build an image'
      )
    return false
  }
  if (!image) {
    p.need(
      'image',
      'required with build-context: it names the repository to push to, e.g. ghcr.io/acme/shop'
    )
  } else {
    const problem = imageReferenceProblem(image)
    const ref = problem ? undefined : parseImageReference(image)
    if (problem)
      p.add(
        'image',
        image,
        `is not a valid repository: it ${problem}; with build-context, image names the repository to push to, e.g. ghcr.io/acme/shop`
      )
    else if (ref?.digest || ref?.tag) {
      p.add(
        'image',
        image,
        `has a ${ref.digest ? 'digest' : 'tag'}; with build-context, image names the repository to push to (e.g. ${ref.name}) and the action tags what it builds`
      )
    }
  }
  return true
}

const STEPS_RULE = 'must be strictly increasing percents ending at 100'

function parseSteps(p: Problems, text: string): number[] | undefined {
  const parts = text.split(/[\s,]+/).filter(Boolean)
  const bad = parts.find((s) => !/^\d+$/.test(s))
  const fail = (why: string) => {
    p.add('steps', text, `${STEPS_RULE} (${why}), e.g. 10,25,50,100`)
    return undefined
  }
  if (parts.length === 0) return fail('none given')
  if (bad !== undefined) return fail(`"${bad}" is not a whole number`)
  const steps = parts.map(Number)
  const out = steps.find((s) => s < 1 || s > 100)
  if (out !== undefined) return fail(`${out} is outside 1..100`)
  const i = steps.findIndex((s, k) => k > 0 && s <= steps[k - 1])
  if (i > 0) return fail(`${steps[i]} comes after ${steps[i - 1]}`)
  if (steps[steps.length - 1] !== 100)
    return fail(
      `the last is ${steps[steps.length - 1]}; a rollout ends promoted at 100, use pause-at to stop earlier`
    )
  return steps
}

function parsePauseAt(
  p: Problems,
  text: string | undefined,
  steps: number[] | undefined
): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!/^\d+$/.test(text) || n < 1 || n >= 100) {
    p.add('pause-at', text, 'must be a whole percent from 1 to 99, one of the steps')
    return undefined
  }
  const problem = steps && pauseAtProblem(n, steps)
  if (problem) {
    p.add('pause-at', text, problem)
    return undefined
  }
  return n
}

/** Why `pauseAt` cannot be used with this step plan, or undefined when it can. */
export function pauseAtProblem(pauseAt: number, plan: readonly number[]): string | undefined {
  return plan.includes(pauseAt)
    ? undefined
    : `is not one of the steps (${plan.join(',')}); the rollout can only pause at a step`
}

function duration(p: Problems, name: string, text: string): number | undefined {
  const problem = durationProblem(text)
  if (problem) {
    p.add(name, text, `is not a duration: it ${problem}; e.g. 30s, 2m, 1h30m, 1500ms`)
    return undefined
  }
  const ms = parseDuration(text)
  if (ms <= 0) {
    p.add(name, text, 'must be longer than 0, e.g. 30s')
    return undefined
  }
  if (ms > MAX_DURATION_MS) {
    p.add(
      name,
      text,
      `must be at most ${formatDuration(MAX_DURATION_MS)} (the longest a job can run)`
    )
    return undefined
  }
  return ms
}

/**
 * Every duration input's upper bound: a self-hosted runner's job limit (5 days). Node fires
 * a timer longer than 2^31-1 ms (24.8 days) at once, so an unbounded one would not wait.
 */
export const MAX_DURATION_MS = 5 * 24 * 3_600_000

function integer(p: Problems, name: string, text: string, min: number): number | undefined {
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    p.add(name, text, `must be a whole number ≥ ${min}`)
    return undefined
  }
  return Number(text)
}

/** `0.99` or `99%`; both mean the same share. */
function parseRate(p: Problems, text: string): number | undefined {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text)
  const value = percent
    ? Number(percent[1]) / 100
    : /^(\d+(?:\.\d+)?|\.\d+)$/.test(text)
      ? Number(text)
      : NaN
  if (!(value >= 0 && value <= 1)) {
    p.add(
      'min-success-rate',
      text,
      'must be a share from 0 to 1 (e.g. 0.99) or a percent (e.g. 99%)'
    )
    return undefined
  }
  return value
}

function bool(p: Problems, name: string, text: string): boolean | undefined {
  if (TRUE.includes(text)) return true
  if (FALSE.includes(text)) return false
  p.add(name, text, 'is not a boolean; use true or false')
  return undefined
}

function checkUrl(p: Problems, name: string, text: string, originOnly: boolean): void {
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    url = undefined
  }
  const example =
    name === 'ingress-address' ? 'http://127.0.0.1:31080' : 'http://prometheus.monitoring:9090'
  if (!url || !['http:', 'https:'].includes(url.protocol) || !url.hostname) {
    p.add(name, text, `must be an http(s) URL, e.g. ${example}`)
  } else if (url.username || url.password) {
    // Not echoed: the value holds a password.
    p.need(
      name,
      'must not carry credentials in the URL (they would reach logs); drop the user:password@ part'
    )
  } else if (originOnly && (url.pathname !== '/' || url.search || url.hash)) {
    p.add(
      name,
      text,
      `must be scheme://host[:port] only (the Host header picks the Service), e.g. ${example}`
    )
  }
}
