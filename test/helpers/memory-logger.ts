// A logger that keeps its lines, for tests and benchmarks to read what a run said. It
// formats as the CLI's terminal logger does, debug lines included.

import { terminalLogger, type Logger } from '../../src/log.js'

export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const logger = terminalLogger({ write: (l) => lines.push(l), verbose: true })
  return Object.assign(logger, { lines })
}
