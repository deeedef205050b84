// A first deploy: no current revision, so nothing to compare a canary with. Create (or
// update) the Service, wait for Ready, and the new revision takes 100%.

import type { KService, RevisionTemplate } from '../../knative/types.js'
import { releaseToTraffic, statusShows, type Release } from '../../traffic.js'
import { event, outcome, type RunContext } from '../context.js'
import { guard, stopped } from '../finish.js'
import { waitCandidateReady } from '../readiness.js'
import type { RunOutcome } from '../result.js'
import { writeState } from '../state.js'
import { dryRun } from './dry-run.js'

export async function firstDeploy(
  ctx: RunContext,
  live: KService | undefined,
  template: RevisionTemplate
): Promise<RunOutcome> {
  const name = template.metadata!.name!
  const release: Release = { current: name, percent: 0 }
  const state = event(
    ctx,
    {
      phase: 'progressing',
      current: name,
      percent: 0,
      steps: [100],
      failures: 0,
      image: template.spec.containers[0]?.image,
      history: []
    },
    `first deploy of ${name}`
  )
  if (ctx.inputs.dryRun) return dryRun(ctx, live, template, release, [100])
  ctx.log.info(
    `first deploy of ${ctx.name}: no current revision, so no canary; ${name} takes 100% once ready`
  )
  if (!live) {
    await ctx.executor.create(writeState(newService(ctx, template, release), state))
  } else {
    await ctx.executor.acquire()
    const written = await ctx.executor.apply({ template, release, state })
    if (!written.ok) return stopped(ctx, written.stop)
  }
  ctx.progress.state = state
  return guard(ctx, async () => {
    const { failure, stop } = await waitCandidateReady(ctx, name)
    if (stop) return stopped(ctx, stop)
    if (failure) {
      const failed = event(
        ctx,
        { ...state, phase: 'rolled-back', reason: failure },
        `first deploy failed: ${failure}`
      )
      const written = await ctx.executor.apply({ state: failed, lease: 'release' })
      if (!written.ok) return stopped(ctx, written.stop)
      ctx.progress.state = failed
      return outcome(ctx, 'failed', `first deploy of ${name} failed: ${failure}`, undefined, {
        candidateRevision: name,
        reason: failure
      })
    }
    const shown = await ctx.executor.waitFor(
      (s) => statusShows(s.status?.traffic, release),
      `traffic on ${name}`
    )
    if (!shown.ok) return stopped(ctx, shown.stop)
    const done = event(ctx, { ...state, phase: 'promoted' }, `first deploy of ${name} serving 100%`)
    const written = await ctx.executor.apply({ state: done, lease: 'release' })
    if (!written.ok) return stopped(ctx, written.stop)
    ctx.progress.state = done
    return outcome(
      ctx,
      'promoted',
      `first deploy: ${name} is serving 100% (no current revision, so no canary)`,
      shown.service,
      { candidateRevision: name }
    )
  })
}

/** The Service to create: the manifest's (or a bare one), with the template and traffic. */
function newService(ctx: RunContext, template: RevisionTemplate, release: Release): KService {
  const base = ctx.request.manifest?.service ?? {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: ctx.name },
    spec: { template }
  }
  return {
    ...base,
    metadata: { ...base.metadata, name: ctx.name, namespace: ctx.ns },
    spec: { ...base.spec, template, traffic: releaseToTraffic(release) }
  } as KService
}
