// The action's post step (dist/post.js): the safety net. GitHub runs it after the main step
// whatever happened to it; when the main step did not finish and its run still holds the
// lease, the candidate's traffic goes back to 0%. Otherwise it does nothing.

import * as core from '@actions/core'
import { readActionInputs } from './inputs.js'
import { actionsLogger, maskSecrets } from './report/actions-log.js'
import { wallClock } from './clock.js'
import { clientFor } from './knative/client-for.js'
import { POST_STATE, safetyNet, type SafetyNetTarget } from './rollout/safety-net.js'

async function post(): Promise<void> {
  const target = core.getState(POST_STATE.target)
  if (!target || core.getState(POST_STATE.finished) === 'true') return
  const log = actionsLogger()
  // Only what reaching the cluster needs: the main step already validated the rest.
  const get = readActionInputs(process.env)
  const client = await clientFor(
    { kubeconfig: get('kubeconfig'), tlsInsecure: get('tls-insecure') === 'true' },
    { clock: wallClock, log, onSecret: (secret) => maskSecrets([secret]) }
  )
  await safetyNet(client, wallClock, log, JSON.parse(target) as SafetyNetTarget)
}

// The safety net must never fail the job on its own account: it only warns.
post().catch((err: unknown) =>
  core.warning(`post step: ${err instanceof Error ? err.message : String(err)}`)
)
