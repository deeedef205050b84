import { spawnCommand } from '../../../src/build/command.js'

describe('spawnCommand', () => {
  test('arguments reach the program verbatim: no shell re-parses them', async () => {
    const tricky = ['$(echo pwned)', 'a b', '"q"', '; rm -rf /', '*']
    const result = await spawnCommand('printf', ['%s\\n', ...tricky])
    expect(result).toEqual({ code: 0, stdout: tricky.map((a) => `${a}\n`).join(''), stderr: '' })
  })

  test.each([
    ['a failing program reports its exit code', 'sh', ['-c', 'echo oops >&2; exit 3'], 3, /oops/],
    ['a missing program reports 127', 'knative-rollout-no-such-program', [], 127, /ENOENT/]
  ])('%s', async (_name, file, args, code, stderr) => {
    const result = await spawnCommand(file, args)
    expect(result.code).toBe(code)
    expect(result.stderr).toMatch(stderr)
  })

  test('streams every line, including a last one without a newline, and passes env', async () => {
    const lines: string[] = []
    const result = await spawnCommand('sh', ['-c', 'echo one; echo two >&2; printf "$GREETING"'], {
      env: { PATH: process.env.PATH, GREETING: 'three' },
      onLine: (line) => lines.push(line)
    })
    expect(result.code).toBe(0)
    expect(lines.sort()).toEqual(['one', 'three', 'two'])
  })
})
