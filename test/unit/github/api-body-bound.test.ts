// GitHub's answers are read with a byte bound: a server that never stops sending is refused
// once past it, and the stream is not read further.

import { GitHubApi, MAX_GITHUB_BODY_BYTES } from '../../../src/github/api.js'

function endless(): { fetch: typeof fetch; sent: () => number } {
  let sent = 0
  const chunk = new Uint8Array(1024 * 1024).fill(0x20)
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      sent += chunk.byteLength
      controller.enqueue(chunk)
    }
  })
  const fake = (async () => new Response(stream, { status: 200 })) as unknown as typeof fetch
  return { fetch: fake, sent: () => sent }
}

test('an answer past the bound is refused and not read to its end', async () => {
  const server = endless()
  const api = new GitHubApi('https://api.github.example', 'token', server.fetch)
  await expect(api.request('GET', '/repos/acme/shop/issues/1/comments')).rejects.toThrow(
    `the answer is over ${MAX_GITHUB_BODY_BYTES} bytes; not read`
  )
  expect(server.sent()).toBeLessThan(MAX_GITHUB_BODY_BYTES + 4 * 1024 * 1024)
})

test('an answer within the bound is parsed', async () => {
  const fake = (async () => new Response('[{"id":1}]', { status: 200 })) as unknown as typeof fetch
  const api = new GitHubApi('https://api.github.example', 'token', fake)
  await expect(api.request('GET', '/x')).resolves.toEqual([{ id: 1 }])
})
