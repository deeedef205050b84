import { EventEmitter } from 'node:events'
import { cancelOnSignals } from '../../src/cancel-on-signals.js'

function fakeProcess(): EventEmitter & Pick<NodeJS.Process, 'on' | 'once'> {
  return new EventEmitter() as EventEmitter & Pick<NodeJS.Process, 'on' | 'once'>
}

test.each([
  { name: 'no signal', signals: [], code: undefined, aborted: false },
  { name: 'SIGINT', signals: ['SIGINT'], code: 130, aborted: true },
  { name: 'SIGTERM', signals: ['SIGTERM'], code: 143, aborted: true },
  {
    name: 'the first signal names the code',
    signals: ['SIGINT', 'SIGTERM'],
    code: 130,
    aborted: true
  },
  { name: 'SIGTERM then SIGINT', signals: ['SIGTERM', 'SIGINT'], code: 143, aborted: true }
])('$name → exit $code', ({ signals, code, aborted }) => {
  const proc = fakeProcess()
  const cancel = cancelOnSignals('every', proc)
  for (const s of signals) proc.emit(s)
  expect({ code: cancel.exitCode(), aborted: cancel.signal.aborted }).toEqual({ code, aborted })
  if (aborted) expect(String(cancel.signal.reason)).toContain(`${signals[0]} received`)
})

test.each([
  { repeat: 'every' as const, listenersAfterTwoSigints: 1 },
  // A second Ctrl-C on a terminal falls through to Node's default: the process ends.
  { repeat: 'first' as const, listenersAfterTwoSigints: 0 }
])('$repeat: $listenersAfterTwoSigints SIGINT listener left after two', (row) => {
  const proc = fakeProcess()
  cancelOnSignals(row.repeat, proc)
  proc.emit('SIGINT')
  proc.emit('SIGINT')
  expect(proc.listenerCount('SIGINT')).toBe(row.listenersAfterTwoSigints)
})
