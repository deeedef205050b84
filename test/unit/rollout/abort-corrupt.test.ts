// The emergency path does not depend on the state annotations: anyone with `patch` on the
// Service can garble them, and `abort` must still take the candidate to 0% (issue 11). The
// split this action wrote (its `current` and `candidate` tags) names the revisions then.

import { STATE_PREFIX } from '../../../src/rollout/state.js'
import { inputs, split, World } from '../../helpers/engine-harness.js'

async function pausedAt25(): Promise<World> {
  const w = new World()
  await w.pausedAt25()
  return w
}

const annotate = (w: World, extra: Record<string, string>) =>
  w.knative.updateService('default', 'shop', (s) => ({
    ...s,
    metadata: { ...s.metadata, annotations: { ...s.metadata.annotations, ...extra } }
  }))

test.each([
  ['a candidate that is no revision name', { candidate: 'shop-v2\n::error::x' }],
  ['an unknown phase', { phase: 'exploded' }],
  ['a phase that says it is over', { phase: 'promoted' }],
  ['a current that is no revision name', { current: 'Not A Name' }],
  ['no state at all', { phase: '', current: '', candidate: '' }]
])('abort with %s still takes the candidate to 0%%', async (_name, garbled) => {
  const w = await pausedAt25()
  await annotate(
    w,
    Object.fromEntries(Object.entries(garbled).map(([k, v]) => [STATE_PREFIX + k, v]))
  )
  const out = await w.run({ inputs: inputs({ command: 'abort' }) })
  expect(out.result).toBe('aborted')
  expect(out.log.join('\n')).toMatch(/its traffic gives shop-v2 25%: aborting that split/)
  expect(split(await w.service()).filter((s) => !s.endsWith(':0'))).toEqual(['current:shop-v1:100'])
  // The state written is whole again: a later status reads it.
  const a = (await w.service()).metadata.annotations!
  expect([a[`${STATE_PREFIX}phase`], a[`${STATE_PREFIX}candidate`]]).toEqual(['aborted', 'shop-v2'])
})

test('with no split to undo, abort changes nothing', async () => {
  const w = new World()
  await w.deployed()
  await annotate(w, { [`${STATE_PREFIX}phase`]: 'exploded' })
  const out = await w.run({ inputs: inputs({ command: 'abort' }) })
  expect(out.result).toBe('unchanged')
})
