// `preview`: the pull request's revision at 0% under its own tag `pr-<number>`, beside
// production and beside any rollout in progress: no lease, no `candidate` tag, no state
// annotations. Every write is the newest Service with its resourceVersion and changes only
// the preview's own traffic entry (and, for a moment, the template: preview-revision.ts);
// the rollout's writes keep tags they do not own (traffic.ts mergeUserTags). With
// `cleanup` the tag goes; the revisions are left to Knative's revision GC.

import type { KService, RevisionTemplate } from '../../knative/types.js'
import { outcome, type RunContext } from '../context.js'
import { candidateName, sameTemplate, servingRevision } from '../decide.js'
import { afterPreviewTemplate, makeRevision, revisionReady } from '../preview-revision.js'
import {
  PREVIEW_ANNOTATION,
  followsLatest,
  isPreviewTemplate,
  previewProblem,
  previewTag,
  taggedRevision,
  withPreviewTag,
  withoutTag
} from '../preview-traffic.js'
import { digestOf } from '../readiness.js'
import type { Stop } from '../ports.js'
import type { RunOutcome } from '../result.js'
import { probeTarget } from '../step-loop.js'

/** Probe rounds (5 requests over a second each) before a preview that never answers is failed. */
const READY_ROUNDS = 10

export async function preview(ctx: RunContext): Promise<RunOutcome> {
  const pr = ctx.inputs.preview?.pullRequest
  if (pr === undefined)
    throw new Error(
      'pull-request: a preview needs its pull request; run it on a pull_request event or give pull-request'
    )
  if (ctx.inputs.gitops.trafficOwner === 'git')
    throw new Error(
      'traffic-owner: a preview writes its tag to the Service itself; with traffic-owner: git the GitOps controller would remove it'
    )
  const update = ctx.executor.updateOutsideLease?.bind(ctx.executor)
  if (!update) throw new Error('preview: this executor cannot write the Service')
  const tag = previewTag(pr)
  const early = previewProblem(ctx.name, pr)
  if (early) throw new Error(`pull-request: ${early}`)
  const live = await ctx.executor.read()
  if (ctx.inputs.preview?.cleanup) return cleanup(ctx, live, tag)
  if (!live)
    throw new Error(
      `service "${ctx.name}" does not exist in namespace "${ctx.ns}": a preview adds a revision to a live Service; deploy it with a rollout first`
    )
  if (followsLatest(live.spec.traffic))
    throw new Error(
      `the traffic of "${ctx.name}" follows its latest revision, so a preview's revision would take production traffic; pin it to a revision first (a rollout does)`
    )
  const template = await previewTemplate(ctx, live, pr)
  const name = template.metadata!.name!
  const problem = previewProblem(ctx.name, pr, name)
  if (problem) throw new Error(`revision-name: ${problem}`)
  if (ctx.inputs.dryRun) return dryRun(ctx, live, template, tag)

  let revision = await ctx.executor.revision(name)
  if (!revision) {
    ctx.log.info(`making the preview revision ${name} for ${tag}`)
    const made = await makeRevision(ctx, (m) => update(m), template)
    if ('stop' in made) return stopped(ctx, made.stop)
  }
  const ready = await revisionReady(ctx, name)
  if ('stop' in ready) return stopped(ctx, ready.stop)
  const extra = { candidateRevision: name, image: template.spec.containers[0]?.image }
  if ('failure' in ready)
    return outcome(
      ctx,
      'failed',
      `preview ${tag}: ${name} did not become ready: ${ready.failure}`,
      live,
      extra
    )
  revision = ready.revision

  const shown = await publish(ctx, update, tag, name)
  if (!shown.ok) return stopped(ctx, shown.stop)
  const url = shown.service.status!.traffic!.find((t) => t.tag === tag)!.url!
  const done = {
    ...extra,
    candidateUrl: url,
    currentRevision: servingRevision(shown.service),
    digest: digestOf(revision.status?.containerStatuses?.[0]?.imageDigest)
  }
  const answer = await answers(ctx, url)
  if (answer)
    return outcome(
      ctx,
      'failed',
      `preview ${tag}: ${name} is on ${url} but ${answer}`,
      shown.service,
      done
    )
  return outcome(
    ctx,
    'previewed',
    `preview ${tag}: ${name} is ready at 0% on ${url}; production traffic is unchanged`,
    shown.service,
    done
  )
}

/** The tag written (only its own entry), then shown by the Route with its URL. */
async function publish(
  ctx: RunContext,
  update: NonNullable<RunContext['executor']['updateOutsideLease']>,
  tag: string,
  name: string
) {
  await update((s) =>
    taggedRevision(s.spec.traffic, tag) === name
      ? undefined
      : { ...s, spec: { ...s.spec, traffic: withPreviewTag(s.spec.traffic ?? [], tag, name) } }
  )
  return ctx.executor.waitFor(
    (s) => !!s.status?.traffic?.some((t) => t.tag === tag && t.revisionName === name && t.url),
    `the ${tag} tag on ${name}`
  )
}

/**
 * The template to preview: the manifest's (or production's) with the `image` input, named
 * `<service>-pr-<number>-<short sha>` (the template's hash when that name is taken by
 * another template, or there is no commit), marked as a preview's.
 */
async function previewTemplate(
  ctx: RunContext,
  live: KService,
  pr: number
): Promise<RevisionTemplate> {
  const base = ctx.request.manifest?.service.spec.template ?? (await productionTemplate(ctx, live))
  const template: RevisionTemplate = structuredClone(base)
  const image = ctx.inputs.image
  if (image) template.spec.containers[0] = { ...template.spec.containers[0], image }
  if (!template.spec.containers[0]?.image)
    throw new Error('the manifest has no container image; set the image input')
  const annotations = {
    ...(template.metadata?.annotations ?? {}),
    [PREVIEW_ANNOTATION]: previewTag(pr)
  }
  template.metadata = { ...(template.metadata ?? {}), name: undefined, annotations }
  const prefix = `${ctx.name}-pr-${pr}`
  const named = (sha?: string): RevisionTemplate => ({
    ...template,
    metadata: {
      ...template.metadata,
      name: candidateName(prefix, template, { revisionName: ctx.inputs.revisionName, sha })
    }
  })
  const bySha = named(ctx.inputs.preview?.headSha ?? ctx.request.sha)
  if (await freeFor(ctx, bySha)) return bySha
  const byHash = named(undefined)
  if (!ctx.inputs.revisionName && (await freeFor(ctx, byHash))) return byHash
  throw new Error(
    `revision-name "${bySha.metadata!.name}" is already taken by a revision with a different template; Knative cannot reuse the name (RevisionNameTaken)`
  )
}

/** No revision has the template's name, or the one that has it is of this template. */
async function freeFor(ctx: RunContext, template: RevisionTemplate): Promise<boolean> {
  const taken = await ctx.executor.revision(template.metadata!.name!)
  return !taken || sameTemplate({ metadata: taken.metadata, spec: taken.spec }, template)
}

/** Production's template; another preview's, live for a moment while it makes its revision, is waited out. */
async function productionTemplate(ctx: RunContext, live: KService): Promise<RevisionTemplate> {
  const service = await afterPreviewTemplate(ctx, live)
  if (!service || isPreviewTemplate(service.spec.template))
    throw new Error(`the template of "${ctx.name}" stayed a preview's; give a manifest`)
  return service.spec.template
}

/** Undefined once the preview answers below 500 at its tag URL; else what went wrong. */
async function answers(ctx: RunContext, url: string): Promise<string | undefined> {
  if (ctx.inputs.probe.rps === 0) return undefined
  const target = probeTarget(ctx, url)
  let last = 'no probe was sent'
  for (let round = 0; round < READY_ROUNDS; round++) {
    const samples = await ctx.prober.probe(target, 5, 1000, ctx.signal)
    if (samples.some((s) => s.status > 0 && s.status < 500)) return undefined
    const failed = samples.find((s) => s.status >= 500)
    last = failed
      ? `every answer failed (HTTP ${failed.status})`
      : `no request got an answer (${samples.find((s) => s.error)?.error ?? 'no answer'})`
  }
  return `${last}${target.host ? ` at ${target.url} (Host: ${target.host})` : ''}`
}

async function cleanup(
  ctx: RunContext,
  live: KService | undefined,
  tag: string
): Promise<RunOutcome> {
  const revision = taggedRevision(live?.spec.traffic, tag)
  if (!live || !revision)
    return outcome(
      ctx,
      'unchanged',
      `no preview ${tag} on "${ctx.name}"; nothing to clean up`,
      live
    )
  if (ctx.inputs.dryRun)
    return {
      ...outcome(ctx, 'unchanged', `dry run: would remove the ${tag} tag (${revision})`, live),
      dryRun: true
    }
  let removed: string | undefined
  await ctx.executor.updateOutsideLease!((s) => {
    removed = taggedRevision(s.spec.traffic, tag)
    if (!removed) return undefined
    return { ...s, spec: { ...s.spec, traffic: withoutTag(s.spec.traffic ?? [], tag) } }
  })
  const gone = await ctx.executor.waitFor(
    (s) => !s.status?.traffic?.some((t) => t.tag === tag),
    `the ${tag} tag to go`
  )
  if (!gone.ok) return stopped(ctx, gone.stop)
  const what = removed ?? revision
  return outcome(
    ctx,
    'aborted',
    `preview ${tag} removed: ${what} no longer has a URL; Knative's revision GC collects it`,
    gone.service,
    { candidateRevision: what }
  )
}

async function dryRun(
  ctx: RunContext,
  live: KService,
  template: RevisionTemplate,
  tag: string
): Promise<RunOutcome> {
  const name = template.metadata!.name!
  ctx.log.info(`dry run: nothing is written. preview ${tag} of ${ctx.name} would write:`)
  ctx.log.info(
    JSON.stringify(
      { spec: { template, traffic: withPreviewTag(live.spec.traffic ?? [], tag, name) } },
      null,
      2
    )
  )
  ctx.log.info('then put the template back, keeping the revision pinned by its tag')
  return {
    ...outcome(ctx, 'unchanged', `dry run: would preview ${name} at 0% on the ${tag} tag`, live, {
      candidateRevision: name
    }),
    dryRun: true
  }
}

/** A preview holds no lease and moves no traffic: whatever stopped it, it just ends `failed`. */
function stopped(ctx: RunContext, stop: Stop): RunOutcome {
  return outcome(ctx, 'failed', stop.message)
}
