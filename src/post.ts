// The action's post step (dist/post.js): the safety net. GitHub runs it after the main step
// whatever happened to it; when the main step did not finish, every Service it was still
// rolling out (one, or each unit of a pipeline in progress: rollout/post-state.ts) whose
// lease its run still holds has its candidate's traffic put back to 0%. Otherwise it does
// nothing.

import * as core from '@actions/core'
import { readActionInputs } from './inputs.js'
import { actionsLogger, maskSecrets } from './report/actions-log.js'
import { wallClock } from './clock.js'
import { safetyNet } from './rollout/safety-net.js'
import { readPostTargets } from './rollout/post-state.js'
import { postClients } from './pipeline/post-clients.js'
import { prefixedLogger } from './pipeline/unit-log.js'
import { unitLabel } from './pipeline/plan.js'
import { runBounded } from './pipeline/bounded.js'

/** Services put back at once: the job is ending, but one slow cluster must not hold the rest. */
const AT_ONCE = 10

async function post(): Promise<void> {
  const targets = readPostTargets(core.getState)
  if (!targets.length) return
  const log = actionsLogger()
  const clientOf = postClients(readActionInputs(process.env), {
    clock: wallClock,
    log,
    env: process.env,
    onSecret: (secret) => maskSecrets([secret])
  })
  await runBounded(targets, AT_ONCE, async (target) => {
    try {
      const { client, cluster } = await clientOf(target)
      const own = cluster ? prefixedLogger(log, unitLabel(target.service, cluster)) : log
      await safetyNet(client, wallClock, own, target)
    } catch (err) {
      // Each Service on its own: one that cannot be reached does not keep the others back.
      warn(`${target.namespace}/${target.service}: ${(err as Error).message}`)
    }
  })
}

// The safety net must never fail the job on its own account: it only warns.
const warn = (message: string) => core.warning(`post step: ${message}`)
post().catch((err: unknown) => warn(err instanceof Error ? err.message : String(err)))
