// Every timestamp a client reads is RFC 3339 with whole seconds, as metav1.Time writes it:
// creationTimestamp, conditions' lastTransitionTime, annotations the controller stamps.

import { rfc3339 } from '../../../emulator/time.js'
import { eventually, withEmulator } from '../../helpers/emulator.js'

describe('rfc3339', () => {
  const rows: [string, Date | number, string][] = [
    [
      'milliseconds are dropped, not rounded',
      new Date('2026-12-03T12:00:00.999Z'),
      '2026-12-03T12:00:00Z'
    ],
    ['an epoch number', Date.UTC(2026, 0, 1, 0, 0, 5), '2026-01-01T00:00:05Z'],
    ['a whole second stays', new Date('2026-12-03T23:59:59Z'), '2026-12-03T23:59:59Z']
  ]
  test.each(rows)('%s', (_name, at, want) => expect(rfc3339(at)).toBe(want))
})

describe('what the API serves', () => {
  const emulator = withEmulator({ statusDelayMs: 5 })
  const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/

  /** Every string value under a key that names a time. */
  function times(value: unknown, path = ''): [string, string][] {
    if (Array.isArray(value)) return value.flatMap((v, i) => times(v, `${path}[${i}]`))
    if (value && typeof value === 'object')
      return Object.entries(value).flatMap(([k, v]) =>
        /Timestamp$|Time$|Modified$/.test(k) && typeof v === 'string'
          ? [[`${path}.${k}`, v] as [string, string]]
          : times(v, `${path}.${k}`)
      )
    return []
  }

  test('a Ready Service, its Configuration, Revision and Route carry seconds-precision times', async () => {
    const e = emulator()
    const token = /token: (\S+)/.exec(
      await import('node:fs/promises').then((fs) => fs.readFile(e.kubeconfigPath, 'utf8'))
    )![1]
    const base = `${e.apiUrl}/apis/serving.knative.dev/v1/namespaces/default`
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }
    const created = await fetch(`${base}/services`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Service',
        metadata: { name: 'ts' },
        spec: { template: { spec: { containers: [{ image: 'docker.io/acme/hello:v1' }] } } }
      })
    })
    expect(created.status).toBe(201)
    await eventually(
      () =>
        e.store
          .get('services.serving.knative.dev', 'default', 'ts')
          ?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
      'the Service to be Ready'
    )
    const found: [string, string][] = []
    for (const path of ['services/ts', 'configurations/ts', 'routes/ts', 'revisions/ts-00001']) {
      const body = await (await fetch(`${base}/${path}`, { headers })).json()
      found.push(...times(body, path))
    }
    expect(found.map(([p]) => p)).toEqual(
      expect.arrayContaining([
        'services/ts.metadata.creationTimestamp',
        'services/ts.status.conditions[0].lastTransitionTime',
        'revisions/ts-00001.status.conditions[0].lastTransitionTime'
      ])
    )
    expect(found.filter(([, v]) => !STAMP.test(v))).toEqual([])
  })
})
