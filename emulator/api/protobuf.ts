// Just enough of Kubernetes' protobuf encoding to read what kubectl sends for built-in
// kinds (it writes `application/vnd.kubernetes.protobuf` for a Namespace): the `k8s\0`
// envelope (runtime.Unknown: typeMeta = 1, raw = 2) and, in the object, metadata = 1 with
// name = 1 and generateName = 2. Other fields are skipped.

const MAGIC = [0x6b, 0x38, 0x73, 0x00] // "k8s\0"

/** Length-delimited fields (wire type 2) by number; other wire types are skipped. */
function fields(buf: Uint8Array): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>()
  let i = 0
  const varint = () => {
    let value = 0
    let shift = 0
    for (;;) {
      if (i >= buf.length) throw new Error('truncated protobuf')
      const b = buf[i++]
      value += (b & 0x7f) * 2 ** shift
      if (!(b & 0x80)) return value
      shift += 7
    }
  }
  while (i < buf.length) {
    const tag = varint()
    const wire = tag & 7
    if (wire === 0) varint()
    else if (wire === 1) i += 8
    else if (wire === 5) i += 4
    else if (wire === 2) {
      const len = varint()
      if (i + len > buf.length) throw new Error('truncated protobuf')
      out.set(Math.floor(tag / 8), buf.subarray(i, i + len))
      i += len
    } else throw new Error(`unsupported protobuf wire type ${wire}`)
  }
  return out
}

const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined)

/** The object's `metadata.name` / `generateName` from a protobuf body, as plain JSON. */
export function decodeProtobufMetadata(body: Buffer): {
  metadata: { name?: string; generateName?: string }
} {
  if (!MAGIC.every((b, i) => body[i] === b)) throw new Error('not a Kubernetes protobuf envelope')
  const raw = fields(body.subarray(MAGIC.length)).get(2) ?? new Uint8Array()
  const meta = fields(fields(raw).get(1) ?? new Uint8Array())
  return { metadata: { name: text(meta.get(1)), generateName: text(meta.get(2)) } }
}
