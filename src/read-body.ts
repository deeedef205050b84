// Response bodies read with a byte limit: a server (a webhook, Prometheus, a registry, GitHub)
// may answer with gigabytes or never stop, and response.text() would hold all of it.
// Counts the bytes actually received, not the Content-Length the server claims.

/** What any one answer may hold before the rest is dropped; a Prometheus result is far less. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024

export interface BoundedBody {
  text: string
  /** More bytes were sent than `maxBytes`; the rest was not read. */
  truncated: boolean
}

/** The body's first `maxBytes` bytes as UTF-8; the stream is cancelled past them. */
export async function readBody(
  response: Response,
  maxBytes = MAX_BODY_BYTES
): Promise<BoundedBody> {
  const { bytes, truncated } = await readBodyBytes(response, maxBytes)
  return { text: bytes.toString('utf8'), truncated }
}

/** The body's first `maxBytes` bytes as they came (a digest is taken of them). */
export async function readBodyBytes(
  response: Response,
  maxBytes = MAX_BODY_BYTES
): Promise<{ bytes: Buffer; truncated: boolean }> {
  if (!response.body) return { bytes: Buffer.alloc(0), truncated: false }
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let truncated = false
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    const room = maxBytes - size
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room))
      truncated = true
      await reader.cancel().catch(() => undefined)
      break
    }
    chunks.push(value)
    size += value.byteLength
  }
  return { bytes: Buffer.concat(chunks), truncated }
}
