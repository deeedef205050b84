// SIGINT and SIGTERM cancel a run instead of killing it: the engine then puts the traffic
// back on the current revision. The exit status afterwards says which signal it was
// (128 + its number, as a shell reports it), so `rollout ... && next` stops there and a
// runner sees a cancelled step, not a success.

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const

export interface SignalCancel {
  signal: AbortSignal
  /** 130 or 143 once a signal came, else undefined. */
  exitCode(): number | undefined
}

/**
 * `repeat: 'every'` keeps catching (GitHub's runner sends SIGINT, then SIGTERM 7.5 s later,
 * and both must wait for the safe split); `'first'` lets a second Ctrl-C on a terminal kill
 * the process as a person expects.
 */
export function cancelOnSignals(
  repeat: 'every' | 'first',
  proc: Pick<NodeJS.Process, 'on' | 'once'> = process
): SignalCancel {
  const cancel = new AbortController()
  let code: number | undefined
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    const handler = (): void => {
      code ??= EXIT_CODES[name]
      cancel.abort(new Error(`${name} received`))
    }
    if (repeat === 'every') proc.on(name, handler)
    else proc.once(name, handler)
  }
  return { signal: cancel.signal, exitCode: () => code }
}
