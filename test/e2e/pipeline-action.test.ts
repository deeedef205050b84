// The built action (dist/index.js) running a pipeline as GitHub's runner runs it, against
// the emulator: three Services from one glob, one of them bad.

import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { runAction } from '../helpers/action-runner.js'
import { e2eKit, expectEnded, serviceYaml, split } from '../helpers/e2e-kit.js'

const kit = e2eKit()

async function manifest(path: string, yaml: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, yaml)
}

test('three services, one bad: two promoted, one rolled back, exit 1, results and summary per service', async () => {
  const names = ['kilo', 'lima', 'mike']
  for (const name of names) {
    const v1 = await kit.manifest(`${name}-v1`, serviceYaml(name, `docker.io/acme/${name}:v1`))
    expectEnded(
      await runAction({ inputs: kit.inputs({ manifest: v1, 'revision-name': `${name}-v1` }) }),
      0,
      'promoted'
    )
  }
  const first = await kit.manifest('anchor', '')
  const dir = join(dirname(first), 'release')
  for (const name of names)
    await manifest(
      join(dir, `${name}.yaml`),
      serviceYaml(
        name,
        `docker.io/acme/${name}:v2`,
        name === 'lima' ? { EMULATOR_ERROR_RATE: '0.5' } : {}
      )
    )
  const out = await runAction({ inputs: kit.inputs({ manifest: `${dir}/*.yaml` }) })
  expectEnded(out, 1, 'rolled-back')
  const results = JSON.parse(out.outputs.results) as Record<string, string>[]
  expect(results.map((r) => [r.service, r.result, r.previousRevision])).toEqual([
    ['kilo', 'promoted', 'kilo-v1'],
    ['lima', 'rolled-back', 'lima-v1'],
    ['mike', 'promoted', 'mike-v1']
  ])
  expect(results[1].reason).toMatch(/^step 20%: /)
  // The single-service outputs say nothing for three Services.
  expect(out.outputs).toMatchObject({ revision: '', 'previous-revision': '', traffic: '[]' })
  const errors = out.annotations.filter((a) => a.level === 'error')
  expect(errors).toHaveLength(1)
  expect(out.stdout).toMatch(/^::error title=knative-rollout%3A default\/lima rolled-back::/m)
  expect(out.summary).toMatch(/^## ↩️ Rolled back: 3 rollouts \(1 rolled-back, 2 promoted\)/)
  expect(out.summary).toMatch(/^\| lima \(default\) \| ↩️ Rolled back \|/m)
  expect(out.stdout).toMatch(/^\[mike\] /m)
  expect(split(await kit.service('lima'))[0]).toBe('current:lima-v1:100')
  expect(split(await kit.service('kilo'))[0]).toBe(`current:${results[0].revision}:100`)
})
