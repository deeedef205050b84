// The emergency path: abort with force takes the candidate to 0% even while another run
// holds a live lease, and names the holder; without force the lease is respected.

import { newLease } from '../../../src/rollout/lease.js'
import { writeLease } from '../../../src/rollout/state.js'
import { inputs, split, World } from '../../helpers/engine-harness.js'

const OTHER = { id: 'acme/shop/runs/99', url: 'https://github.com/acme/shop/actions/runs/99' }

async function heldByAnotherRun(): Promise<World> {
  const w = new World()
  await w.pausedAt25()
  // Another run (a promote started elsewhere) holds the rollout now.
  await w.knative.updateService('default', 'shop', (s) =>
    writeLease(s, newLease(OTHER, w.clock.now(), 600))
  )
  return w
}

test.each<[string, boolean, string, RegExp]>([
  ['without force the live lease is respected', false, 'refused', /in progress held by .*runs\/99/],
  [
    'with force the candidate goes to 0% and the holder is named',
    true,
    'aborted',
    /force: broke the lease of .*runs\/99/
  ]
])('%s', async (_name, force, expected, said) => {
  const w = await heldByAnotherRun()
  const out = await w
    .run({ inputs: inputs({ command: 'abort', force }) })
    .catch((err: Error) => ({ result: 'refused', message: err.message, log: [] as string[] }))
  expect(out.result).toBe(expected)
  expect([out.message, ...out.log].join('\n')).toMatch(said)
  const shares = split(await w.service()).filter((s) => !s.endsWith(':0'))
  expect(shares).toEqual(
    force ? ['current:shop-v1:100'] : ['current:shop-v1:75', 'candidate:shop-v2:25']
  )
})
