// Namespaces as the API server has them: a fresh cluster's four, created ones, the 404 of
// NamespaceLifecycle for a create elsewhere, and the protobuf body kubectl sends to create one.

import { requireNamespace, serveNamespaces } from '../../../../emulator/api/namespaces.js'
import { decodeProtobufMetadata } from '../../../../emulator/api/protobuf.js'
import { defaultSettings } from '../../../../emulator/settings.js'
import { Store } from '../../../../emulator/store.js'

/** A length-delimited protobuf field. */
const field = (n: number, bytes: Uint8Array): Buffer =>
  Buffer.concat([Buffer.from([(n << 3) | 2, bytes.length]), Buffer.from(bytes)])
const str = (s: string) => new TextEncoder().encode(s)
const envelope = (objectBytes: Buffer) =>
  Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    field(1, Buffer.concat([field(1, str('v1')), field(2, str('Namespace'))])),
    field(2, objectBytes)
  ])

describe('decodeProtobufMetadata', () => {
  const rows: [string, Buffer, object][] = [
    ['a name', envelope(field(1, field(1, str('team-a')))), { name: 'team-a' }],
    [
      'a generateName, with a varint field skipped',
      envelope(field(1, Buffer.concat([Buffer.from([0x40, 0x05]), field(2, str('gen-'))]))),
      { generateName: 'gen-' }
    ],
    ['no metadata', envelope(Buffer.alloc(0)), {}]
  ]
  test.each(rows)('%s', (_name, body, metadata) => {
    expect(decodeProtobufMetadata(body).metadata).toEqual(expect.objectContaining(metadata))
  })

  test('a body without the k8s envelope is refused', () => {
    expect(() => decodeProtobufMetadata(Buffer.from('{}'))).toThrow('not a Kubernetes protobuf')
  })
})

describe('namespaces', () => {
  const created = new Date('2026-12-03T12:00:00.123Z')
  const setup = () => ({ store: new Store(), settings: defaultSettings() })
  const post = (s: ReturnType<typeof setup>, name: string) =>
    serveNamespaces(
      s.store,
      s.settings,
      'POST',
      undefined,
      Buffer.from(JSON.stringify({ metadata: { name } })),
      'application/json',
      created
    )

  test('a fresh cluster has default and the kube- namespaces; others are 404', () => {
    const s = setup()
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
      expect(() => requireNamespace(s.store, s.settings, ns)).not.toThrow()
    expect(() => requireNamespace(s.store, s.settings, 'prod')).toThrow(
      expect.objectContaining({ code: 404, message: 'namespaces "prod" not found' })
    )
  })

  test('a created namespace exists, with a seconds-precision creation time', () => {
    const s = setup()
    expect(post(s, 'prod')).toMatchObject({
      status: 201,
      body: { metadata: { name: 'prod', creationTimestamp: '2026-12-03T12:00:00Z' } }
    })
    expect(() => requireNamespace(s.store, s.settings, 'prod')).not.toThrow()
    expect(() => post(s, 'prod')).toThrow(expect.objectContaining({ code: 409 }))
  })

  const invalid: [string, string][] = [
    ['upper case', 'Prod'],
    ['too long', 'a'.repeat(64)],
    ['empty', '']
  ]
  test.each(invalid)('an invalid name is 422 (%s)', (_name, name) => {
    expect(() => post(setup(), name)).toThrow(expect.objectContaining({ code: 422 }))
  })
})
