// Content digests as builders write them and registries report them. Pure.

const DIGEST = /^sha256:[a-f0-9]{64}$/

/** `text` trimmed, when it is a sha256 digest; otherwise an error saying where it came from. */
export function parseDigest(text: string, source: string): string {
  const digest = text.trim()
  if (!DIGEST.test(digest))
    throw new Error(`${source} did not give a sha256 digest (got '${digest.slice(0, 80)}')`)
  return digest
}

/** The digest of what `docker buildx build --push --metadata-file` pushed. */
export function digestFromBuildxMetadata(json: string): string {
  let metadata: unknown
  try {
    metadata = JSON.parse(json)
  } catch {
    throw new Error('docker buildx wrote a metadata file that is not JSON')
  }
  const digest = (metadata as Record<string, unknown> | null)?.['containerimage.digest']
  return parseDigest(
    typeof digest === 'string' ? digest : '',
    'docker buildx metadata (containerimage.digest)'
  )
}
