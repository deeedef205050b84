import { escapeForComment, escapeUntrusted, revisionOutput } from '../../../src/report/untrusted.js'

/** The runner reads a command only at a line start: no line of the output may start with `::`. */
function runnerWouldReadCommand(text: string): boolean {
  return text.split(/\r?\n|\r/).some((line) => line.trimStart().startsWith('::'))
}

describe('escapeUntrusted', () => {
  const rows: [string, string][] = [
    ['termination message with a command line', 'crashed\n::error title=Deployed OK::fine'],
    ['stop-commands at the start', '::stop-commands::x'],
    ['add-mask after CRLF', 'ok\r\n::add-mask::secret'],
    ['bare CR', 'ok\r::warning::x'],
    ['unicode line separator', 'ok\u2028::notice::x'],
    ['Prometheus error field', '{"error":"bad\\n::error::x"}\n::error::y']
  ]
  it.each(rows)('%s never yields a workflow command', (_name, input) => {
    const out = escapeUntrusted(input)
    expect(runnerWouldReadCommand(out)).toBe(false)
    expect(out).not.toMatch(/[\r\n\u2028]/)
  })
  it('keeps ordinary text unchanged', () => {
    expect(escapeUntrusted('connection refused (ECONNREFUSED)')).toBe(
      'connection refused (ECONNREFUSED)'
    )
  })
  it('bounds long text and says how much was cut', () => {
    expect(escapeUntrusted('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}… (40 more characters)`)
  })
})

describe('escapeForComment', () => {
  it('defuses mentions and links', () => {
    const out = escapeForComment('ping @org/admins see https://evil.example [x](https://e)')
    expect(out).not.toMatch(/@org/)
    expect(out).not.toMatch(/https:\/\//)
    expect(out).toContain('\\[x\\]')
  })
})

describe('revisionOutput', () => {
  it('passes a DNS-1035 label', () => {
    expect(revisionOutput('hello-00002')).toBe('hello-00002')
  })
  it.each([
    ['two lines', 'hello-00002\nEVIL=1'],
    ['shell expansion', '$(curl x)'],
    ['upper case', 'Hello'],
    ['too long', 'a'.repeat(64)]
  ])('refuses %s', (_name, value) => {
    expect(() => revisionOutput(value)).toThrow(/refusing to set an output/)
  })
})
