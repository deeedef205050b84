// What the main step saves for the post step (rollout/post-state.ts), read back as the
// runner hands it over: the last value saved under each key.

import { postStateWriter, readPostTargets, POST_KEYS } from '../../../src/rollout/post-state.js'

const HOLDER = 'acme/shop/runs/7/jobs/production[eu]'

/** The runner's view of the state file: each key's last value, and how many lines were saved. */
function stateFile() {
  const last = new Map<string, string>()
  let saves = 0
  return {
    save: (key: string, value: string) => {
      last.set(key, value)
      saves++
    },
    get: (key: string) => last.get(key) ?? '',
    keys: () => [...last.keys()].sort(),
    saves: () => saves
  }
}

const unit = (service: string, wave?: number, cluster?: number) => ({
  namespace: 'default',
  service,
  holder: HOLDER,
  ...(wave === undefined ? {} : { wave, cluster })
})

test('one Service: read back as saved, until the main step says it finished', () => {
  const file = stateFile()
  postStateWriter(file.save).started(unit('shop'))
  expect(readPostTargets(file.get)).toEqual([unit('shop')])
  file.save(POST_KEYS.finished, 'true')
  expect(readPostTargets(file.get)).toEqual([])
})

test('a pipeline: every unit still in progress, with its place in waves; ended ones are not', () => {
  const file = stateFile()
  const post = postStateWriter(file.save)
  const endA = post.started(unit('a', 0, 0))
  post.started(unit('b', 0, 0))
  endA()
  post.started(unit('a', 1, 0))
  post.started(unit('b', 1, 1))
  expect(readPostTargets(file.get)).toEqual([unit('a', 1, 0), unit('b', 0, 0), unit('b', 1, 1)])
})

test('bounded: a freed slot is taken again, so the state holds as many slots as ran at once', () => {
  const file = stateFile()
  const post = postStateWriter(file.save)
  // 200 units, at most 3 at once.
  const running: (() => void)[] = []
  for (let i = 0; i < 200; i++) {
    if (running.length === 3) running.shift()!()
    running.push(post.started(unit(`s${i}`, 0, i % 4)))
  }
  expect(file.keys()).toEqual(['holder', 'slots', 'unit-0', 'unit-1', 'unit-2'])
  expect(readPostTargets(file.get).map((t) => t.service)).toEqual(['s198', 's199', 's197'])
  // The holder once, the slot count thrice, then two short lines per unit.
  expect(file.saves()).toBe(1 + 3 + 200 + 197)
  // Each slot is one short object; the holder is not repeated in it.
  expect(file.get('unit-0')).toBe('{"namespace":"default","service":"s198","wave":0,"cluster":2}')
  for (const end of running) end()
  expect(readPostTargets(file.get)).toEqual([])
})

test('ending twice frees the slot once (a promote that rolled out after finding no pause)', () => {
  const file = stateFile()
  const post = postStateWriter(file.save)
  const end = post.started(unit('a'))
  end()
  post.started(unit('b'))
  end()
  expect(readPostTargets(file.get)).toEqual([unit('b')])
})

test('a unit held under another id keeps its own holder', () => {
  const file = stateFile()
  const post = postStateWriter(file.save)
  post.started(unit('a'))
  post.started({ ...unit('b'), holder: 'acme/shop/runs/7/jobs/other' })
  expect(readPostTargets(file.get).map((t) => t.holder)).toEqual([
    HOLDER,
    'acme/shop/runs/7/jobs/other'
  ])
})

test.each([
  ['not JSON', '{'],
  ['no service', '{"namespace":"default"}'],
  ['a number for the namespace', '{"namespace":1,"service":"a"}']
])('a slot that is %s is skipped; the others are still read', (_name, text) => {
  const file = stateFile()
  postStateWriter(file.save).started(unit('ok'))
  file.save(POST_KEYS.slot(1), text)
  file.save(POST_KEYS.slots, '2')
  expect(readPostTargets(file.get)).toEqual([unit('ok')])
})

test('a place in waves that is not two whole numbers is dropped: the kubeconfig input reaches it', () => {
  const file = stateFile()
  file.save(POST_KEYS.holder, HOLDER)
  file.save(POST_KEYS.slots, '1')
  file.save(POST_KEYS.slot(0), '{"namespace":"default","service":"a","wave":-1,"cluster":0}')
  expect(readPostTargets(file.get)).toEqual([unit('a')])
})

test('no holder saved: nothing to take back', () => {
  const file = stateFile()
  file.save(POST_KEYS.slots, '1')
  file.save(POST_KEYS.slot(0), '{"namespace":"default","service":"a"}')
  expect(readPostTargets(file.get)).toEqual([])
})
