// List paging as the API server pages from etcd: `limit`, the `continue` token, one
// consistent list across pages (read at the first page's resourceVersion), 410 Expired
// for a token whose version is compacted away, and kubectl's chunked get.

import {
  decodeContinue,
  encodeContinue,
  pageOf,
  pageRequestOf
} from '../../../../emulator/api/paging.js'
import { createApiServer, type ApiServer } from '../../../../emulator/server.js'
import { defaultSettings } from '../../../../emulator/settings.js'
import { Store, type KObject } from '../../../../emulator/store.js'
import { kubectl, withEmulator } from '../../../helpers/emulator.js'

const obj = (namespace: string, name: string): KObject => ({
  apiVersion: 'v1',
  kind: 'X',
  metadata: { name, namespace }
})
const names = (items: KObject[]) => items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)

describe('pageOf', () => {
  const all = [obj('a', 'x'), obj('a', 'y'), obj('b', 'x'), obj('b', 'z')]
  const rows: [string, number, string | undefined, boolean, string[], number | undefined][] = [
    ['no limit: everything', 0, undefined, false, ['a/x', 'a/y', 'b/x', 'b/z'], undefined],
    [
      'a limit above the count: no token',
      10,
      undefined,
      false,
      ['a/x', 'a/y', 'b/x', 'b/z'],
      undefined
    ],
    ['the first page, with the remaining count', 3, undefined, false, ['a/x', 'a/y', 'b/x'], 1],
    ['a page from a start key', 1, 'a/y\u0000', false, ['b/x'], 1],
    ['a filtered list gives no remaining count', 2, undefined, true, ['a/x', 'a/y'], undefined]
  ]
  test.each(rows)('%s', (_name, limit, start, filtered, want, remaining) => {
    const page = pageOf(all, { limit, token: start ? { rv: 7, start } : undefined }, 7, filtered)
    expect(names(page.items)).toEqual(want)
    expect(page.remainingItemCount).toBe(remaining)
    if (page.items.length < all.length - (start ? 2 : 0) && limit) {
      expect(decodeContinue(page.continue!)).toEqual({
        rv: 7,
        start: `${want[want.length - 1]}\u0000`
      })
    } else expect(page.continue).toBeUndefined()
  })
})

describe('pageRequestOf', () => {
  const token = encodeContinue({ rv: 3, start: 'default/a\u0000' })
  const rows: [string, string, object | string][] = [
    ['no paging', '', { limit: 0 }],
    ['a limit', 'limit=2', { limit: 2 }],
    [
      'a token',
      `limit=2&continue=${encodeURIComponent(token)}`,
      { limit: 2, token: { rv: 3, start: 'default/a\u0000' } }
    ],
    [
      'a token that is not base64 JSON',
      'continue=zz',
      'invalid continue token: continue key is not valid'
    ],
    [
      'a token of another version',
      `continue=${Buffer.from('{"v":"x","rv":3,"start":"a"}').toString('base64')}`,
      'invalid continue token'
    ],
    ['a negative limit', 'limit=-1', 'invalid syntax'],
    [
      'a token with a resourceVersion',
      `continue=${encodeURIComponent(token)}&resourceVersion=5`,
      'specifying resource version is not allowed when using continue'
    ]
  ]
  test.each(rows)('%s', (_name, query, want) => {
    const run = () => pageRequestOf(new URLSearchParams(query))
    if (typeof want === 'string')
      expect(run).toThrow(
        expect.objectContaining({ code: 400, message: expect.stringContaining(want) })
      )
    else expect(run()).toEqual(want)
  })
})

describe('over HTTP', () => {
  const PATH = '/apis/serving.knative.dev/v1/namespaces/default/services'
  let server: ApiServer
  let url: string
  let store: Store
  const ksvc = (name: string) => ({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name },
    spec: { template: { spec: { containers: [{ image: 'img' }] } } }
  })
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    return { status: res.status, json: (await res.json()) as any }
  }
  beforeEach(async () => {
    store = new Store(undefined, 8)
    server = createApiServer({ store, settings: defaultSettings() })
    url = await server.listen(0)
    for (const n of ['a', 'b', 'c', 'd', 'e']) await call('POST', PATH, ksvc(n))
  })
  afterEach(() => server.close())

  test('pages follow each other and stay one consistent list while objects change', async () => {
    const first = await call('GET', `${PATH}?limit=2`)
    expect(first.json.items.map((o: KObject) => o.metadata.name)).toEqual(['a', 'b'])
    expect(first.json.metadata).toMatchObject({ resourceVersion: '5', remainingItemCount: 3 })
    await call('DELETE', `${PATH}/c`)
    await call('POST', PATH, ksvc('bb'))
    const second = await call(
      'GET',
      `${PATH}?limit=2&continue=${encodeURIComponent(first.json.metadata.continue)}`
    )
    expect(second.json.items.map((o: KObject) => o.metadata.name)).toEqual(['c', 'd'])
    expect(second.json.metadata).toMatchObject({ resourceVersion: '5', remainingItemCount: 1 })
    const last = await call(
      'GET',
      `${PATH}?limit=2&continue=${encodeURIComponent(second.json.metadata.continue)}`
    )
    expect(last.json.items.map((o: KObject) => o.metadata.name)).toEqual(['e'])
    expect(last.json.metadata).toEqual({ resourceVersion: '5' })
  })

  test('a token whose version is compacted away is 410 Expired, with a token for the rest', async () => {
    const first = await call('GET', `${PATH}?limit=2`)
    for (let i = 0; i < 10; i++) await call('POST', PATH, ksvc(`z${i}`))
    const stale = await call(
      'GET',
      `${PATH}?limit=2&continue=${encodeURIComponent(first.json.metadata.continue)}`
    )
    expect(stale.status).toBe(410)
    expect(stale.json).toMatchObject({
      reason: 'Expired',
      message: expect.stringMatching(
        /^The provided continue parameter is too old to display a consistent list result\./
      )
    })
    const rest = await call(
      'GET',
      `${PATH}?limit=2&continue=${encodeURIComponent(stale.json.metadata.continue)}`
    )
    expect(rest.status).toBe(200)
    expect(rest.json.items.map((o: KObject) => o.metadata.name)).toEqual(['c', 'd'])
    expect(rest.json.metadata.resourceVersion).toBe(store.resourceVersion)
  })
})

describe('kubectl', () => {
  const emulator = withEmulator({ statusDelayMs: 5 })
  test('get --chunk-size=1 follows the continue tokens through every page', async () => {
    for (const n of ['pg-a', 'pg-b', 'pg-c']) {
      const res = await kubectl(
        emulator(),
        ['create', '-f', '-'],
        `apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: ${n}}
spec: {template: {spec: {containers: [{image: docker.io/acme/hello:v1}]}}}
`
      )
      expect(res.code).toBe(0)
    }
    const before = ((await (await fetch(`${emulator().apiUrl}/emulator/requests`)).json()) as any[])
      .length
    const res = await kubectl(emulator(), ['get', 'ksvc', '--chunk-size=1', '-o', 'name'])
    expect(res.stdout).toBe(
      'service.serving.knative.dev/pg-a\nservice.serving.knative.dev/pg-b\nservice.serving.knative.dev/pg-c\n'
    )
    const lists = ((await (await fetch(`${emulator().apiUrl}/emulator/requests`)).json()) as any[])
      .slice(before)
      .filter((r) => r.path.endsWith('/services'))
    expect(lists.map((r) => [r.query.limit, Boolean(r.query.continue)])).toEqual([
      ['1', false],
      ['1', true],
      ['1', true]
    ])
  })
})
