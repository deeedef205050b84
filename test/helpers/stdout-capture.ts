// What code wrote to this process's stdout while `fn` ran: where @actions/core writes the
// log lines and workflow commands of the in-process tests.

import { jest } from '@jest/globals'

export async function stdoutOf(fn: () => unknown): Promise<string> {
  const written: string[] = []
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk))
    return true
  })
  try {
    await fn()
  } finally {
    spy.mockRestore()
  }
  return written.join('')
}
