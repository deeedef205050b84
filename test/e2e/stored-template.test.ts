// Templates compared as the API server stores them, asked with a dry-run write (as `kubectl
// diff` does): a manifest that drops a setting rolls out, a field the schema prunes or a
// default the webhook fills in is no change, and what the webhook refuses is refused before
// any write, in the webhook's own words. Through run() with the real client, on the emulator.

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { auditLog, writesIn } from '../helpers/dist-run.js'
import { withEmulator } from '../helpers/emulator.js'
import { rolloutRig, type RolloutRig } from '../helpers/rollout-e2e.js'

const emulator = withEmulator()
let rig: RolloutRig
let dir: string
beforeAll(async () => {
  rig = await rolloutRig(emulator())
  dir = await mkdtemp(join(tmpdir(), 'stored-template-'))
})
afterAll(async () => {
  await rig.cleanup()
  await rm(dir, { recursive: true, force: true })
})

/** A v1 manifest with `extra` YAML lines under the container (indented 10). */
async function manifest(
  service: string,
  file: string,
  extra: string[] = [],
  image = 'v1'
): Promise<string> {
  const path = join(dir, `${file}.yaml`)
  await writeFile(
    path,
    [
      'apiVersion: serving.knative.dev/v1',
      'kind: Service',
      'metadata:',
      `  name: ${service}`,
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      `        - image: docker.io/acme/${service}:${image}`,
      ...extra.map((l) => `          ${l}`),
      ''
    ].join('\n')
  )
  return path
}

const envOf = async (service: string) =>
  (await rig.service(service)).spec.template.spec.containers[0].env

test('a manifest that drops its env block is a change: rolled out, and the setting is gone', async () => {
  const first = await rig.rollout({
    manifest: await manifest('dropenv', 'dropenv-v1', ['env:', '  - {name: DEBUG, value: "1"}']),
    'revision-name': 'dropenv-v1'
  })
  expect(first.result).toBe('promoted')
  expect(await envOf('dropenv')).toEqual([{ name: 'DEBUG', value: '1' }])

  const second = await rig.rollout({
    manifest: await manifest('dropenv', 'dropenv-v2'),
    'revision-name': 'dropenv-v2',
    steps: '100'
  })
  expect(second.result).toBe('promoted')
  expect(await envOf('dropenv')).toBeUndefined()
})

test('an unknown field and a zero timeoutSeconds: unchanged on a re-run, and no false drift pause', async () => {
  // `bogus` is pruned by the schema; timeoutSeconds 0 is stored as 300 by the webhook.
  const quirks = ['bogus: pruned-by-the-schema']
  const spec = (file: string, image = 'v1') =>
    manifest('quirks', file, quirks, image).then(async (path) => {
      const text = (await import('node:fs/promises')).readFile
      const yaml = (await text(path, 'utf8')).replace(
        '    spec:\n',
        '    spec:\n      timeoutSeconds: 0\n'
      )
      await writeFile(path, yaml)
      return path
    })
  const v1 = await rig.rollout({ manifest: await spec('quirks-v1'), 'revision-name': 'quirks-v1' })
  expect(v1.result).toBe('promoted')
  expect((await rig.service('quirks')).spec.template.spec.timeoutSeconds).toBe(300)

  const again = await rig.rollout({
    manifest: await spec('quirks-v1'),
    'revision-name': 'quirks-v1'
  })
  expect(again.result).toBe('unchanged')

  // A new candidate with the same quirks walks its steps: the live template it wrote is
  // its stored form, so the drift check never sees "changed outside this rollout".
  const v2 = await rig.rollout({
    manifest: await spec('quirks-v2', 'v2'),
    'revision-name': 'quirks-v2',
    steps: '50,100'
  })
  expect(v2.message).not.toMatch(/changed outside this rollout/)
  expect(v2.result).toBe('promoted')
})

describe('what the webhook refuses', () => {
  beforeAll(() => rig.deployV1('refused'))

  test.each([
    {
      name: 'a port named http (Knative allows only h2c and http1)',
      extra: ['ports:', '  - {name: http, containerPort: 8080}'],
      field: /Port name http is not allowed: spec\.template\.spec\.containers\[0\]\.ports\b/
    },
    {
      name: 'a reserved env var (PORT)',
      extra: ['env:', '  - {name: PORT, value: "9000"}'],
      field:
        /"PORT" is a reserved environment variable: spec\.template\.spec\.containers\[0\]\.env\[0\]\.name/
    },
    {
      name: 'a port name that carries a workflow command (escaped)',
      extra: ['ports:', '  - {name: "x\\n::error::owned", containerPort: 8080}'],
      field: /Port name x\\n::error::owned is not allowed/
    }
  ])('refused before any write: $name', async ({ extra, field }) => {
    const before = (await auditLog(emulator().apiUrl)).length
    const out = await rig.rollout({
      manifest: await manifest('refused', `refused-${before}`, extra),
      'revision-name': `refused-x${before}`
    })
    expect(out.result).toBe('failed')
    expect(out.message).toMatch(
      /would be refused by the Kubernetes API server, so nothing was written/
    )
    expect(out.message).toMatch(field)
    // One line: the webhook's several lines are escaped, never printed as they are.
    expect(out.message).not.toMatch(/\n/)
    const audit = (await auditLog(emulator().apiUrl)).slice(before)
    expect(writesIn(audit)).toEqual([])
    // The dry run itself was asked: one PUT with dryRun=All.
    expect(audit.filter((e) => e.method === 'PUT' && e.query?.dryRun === 'All')).toHaveLength(1)
  })
})
