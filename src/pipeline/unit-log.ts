// One unit's log: every line starts with its label (`[shop@eu] `), so the lines of rollouts
// running at once can be told apart. Groups are not opened per unit: on a runner a group
// spans whatever is printed until it closes, the other units' lines too.

import type { Logger } from '../log.js'

export function prefixedLogger(log: Logger, label: string): Logger {
  const p = `[${label}] `
  return {
    debug: (m) => log.debug(p + m),
    info: (m) => log.info(p + m),
    warn: (m) => log.warn(p + m),
    error: (m) => log.error(p + m),
    group: async (name, fn) => {
      log.info(`${p}== ${name}`)
      return fn()
    }
  }
}
