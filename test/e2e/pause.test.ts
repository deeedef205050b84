// Pausing and finishing later, as a workflow does it: one run pauses at a step, a second
// process (a workflow_dispatch with `command: promote` or `abort`) finishes it. And the
// seed's v1alpha1 `release` manifest, which pauses at its own rolloutPercent.

import { readFile } from 'node:fs/promises'
import { runAction, type ActionResult } from '../helpers/action-runner.js'
import { e2eKit, expectEnded, serviceYaml, split } from '../helpers/e2e-kit.js'

const kit = e2eKit()

async function expectOk(run: Promise<ActionResult>, result: string): Promise<ActionResult> {
  const out = await run
  // The stdout rides along so a failure shows what the action said.
  expectEnded(out, 0, result)
  return out
}

/** v1 serving 100%, then v2 paused at 20%. */
async function pausedAt20(name: string): Promise<ActionResult> {
  await expectOk(
    runAction({
      inputs: kit.inputs({
        manifest: await kit.manifest(`${name}-v1`, serviceYaml(name, `docker.io/acme/${name}:v1`)),
        'revision-name': `${name}-v1`
      })
    }),
    'promoted'
  )
  const paused = await expectOk(
    runAction({
      inputs: kit.inputs({
        manifest: await kit.manifest(`${name}-v2`, serviceYaml(name, `docker.io/acme/${name}:v2`)),
        'revision-name': `${name}-v2`,
        'pause-at': '20'
      })
    }),
    'paused'
  )
  expect(split(await kit.service(name))).toEqual([
    `current:${name}-v1:80`,
    `candidate:${name}-v2:20`,
    `latest:${name}-v2:0`
  ])
  return paused
}

test('paused at 20%, then a second process promotes it', async () => {
  const paused = await pausedAt20('later')
  expect(paused.outputs).toMatchObject({ revision: 'later-v2', 'previous-revision': 'later-v1' })
  expect(paused.summary).toContain('⏸️ Paused')

  const promoted = await expectOk(
    runAction({
      inputs: kit.inputs({ command: 'promote', service: 'later' }),
      env: { GITHUB_RUN_ID: '2002', GITHUB_EVENT_NAME: 'workflow_dispatch' }
    }),
    'promoted'
  )
  expect(promoted.outputs).toMatchObject({ revision: 'later-v2', 'previous-revision': 'later-v1' })
  expect(split(await kit.service('later'))).toEqual(['current:later-v2:100', 'latest:later-v2:0'])
})

test('paused at 20%, then `command: abort`: result aborted, exit 0, the current back on 100%', async () => {
  await pausedAt20('undo')
  const out = await expectOk(
    runAction({
      inputs: kit.inputs({ command: 'abort', service: 'undo' }),
      env: { GITHUB_RUN_ID: '2003', GITHUB_EVENT_NAME: 'workflow_dispatch' }
    }),
    'aborted'
  )
  expect(out.annotations.filter((a) => a.level === 'error')).toEqual([])
  expect(JSON.parse(out.outputs.traffic)).toEqual([
    { revisionName: 'undo-v1', percent: 100, tag: 'current' },
    { revisionName: 'undo-v2', percent: 0, tag: 'candidate' },
    { revisionName: 'undo-v2', percent: 0, tag: 'latest' }
  ])
})

test('the seed’s release manifest with the default steps pauses at its rolloutPercent: 00001:80 / 00004:20', async () => {
  await expectOk(
    runAction({
      inputs: kit.inputs({
        manifest: await kit.manifest(
          'hello-v1',
          serviceYaml('helloworld-csharp', 'docker.io/acme/helloworld-csharp:v1')
        ),
        'revision-name': 'helloworld-csharp-00001'
      })
    }),
    'promoted'
  )
  const fixture = new URL('../fixtures/manifests/release-helloworld-csharp.yaml', import.meta.url)
  const out = await expectOk(
    runAction({
      inputs: {
        ...kit.inputs({
          manifest: await kit.manifest('seed', await readFile(fixture, 'utf8')),
          // The seed's image has a {username} placeholder to replace.
          image: 'docker.io/acme/helloworld-csharp:v4',
          'pause-at': '20'
        }),
        steps: '10,25,50,100' // action.yml's default, said out loud
      }
    }),
    'paused'
  )
  expect(out.outputs).toMatchObject({
    revision: 'helloworld-csharp-00004',
    'previous-revision': 'helloworld-csharp-00001'
  })
  expect(split(await kit.service('helloworld-csharp'))).toEqual([
    'current:helloworld-csharp-00001:80',
    'candidate:helloworld-csharp-00004:20',
    'latest:helloworld-csharp-00004:0'
  ])
})

test('pause-at outside the plan with a manifest fails before any write, naming pause-at', async () => {
  const { apiUrl } = kit.emulator()
  await fetch(`${apiUrl}/emulator/requests`, { method: 'DELETE' })
  const out = await runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest('nopause', serviceYaml('nopause', 'docker.io/acme/np:v1')),
      'pause-at': '30'
    })
  })
  expectEnded(out, 1, 'failed')
  expect(out.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
    'pause-at: "30" is not one of the steps (20,100); the rollout can only pause at a step'
  ])
  const requests = (await (await fetch(`${apiUrl}/emulator/requests`)).json()) as {
    method: string
  }[]
  expect(requests.filter((r) => r.method !== 'GET')).toEqual([])
})
