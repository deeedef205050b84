// A pipeline's main step killed outright (SIGKILL: the runner or the machine gone, a job's
// timeout-minutes) with two Services mid-step in each of two clusters: the post step takes
// every one of them back to 0%, each through its own cluster's kubeconfig (one from a
// variable, one from a file), as the main step had reached them. The built action, run as
// the runner runs it (test/helpers/action-runner.ts).

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, startAction } from '../helpers/action-runner.js'
import { eventually, withEmulator, type TestEmulator } from '../helpers/emulator.js'
import { createServingClient } from '../../src/knative/client.js'
import { wallClock } from '../../src/clock.js'
import { readState } from '../../src/rollout/state.js'
import { memoryLogger } from '../helpers/memory-logger.js'
import { expectEnded, FAST, serviceYaml, split } from '../helpers/e2e-kit.js'

const clusters: Record<string, () => TestEmulator> = { eu: withEmulator(), us: withEmulator() }
const SERVICES = ['ka', 'kb']
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'interrupt-pipeline-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

async function release(version: string): Promise<Record<string, string>> {
  const files = []
  for (const name of SERVICES) {
    const file = join(dir, `${name}.yaml`)
    await writeFile(file, serviceYaml(name, `docker.io/acme/${name}:${version}`))
    files.push(file)
  }
  const waves = `- name: production
  clusters:
    - name: eu
      kubeconfig-env: KUBECONFIG_EU
      ingress-address: ${clusters.eu().ingressUrl}
    - name: us
      kubeconfig-file: ${clusters.us().kubeconfigPath}
      ingress-address: ${clusters.us().ingressUrl}
`
  return { ...FAST, manifest: files.join('\n'), waves, 'step-interval': '30s' }
}

const live = async (cluster: string, name: string) =>
  createServingClient({
    kubeconfig: await readFile(clusters[cluster]().kubeconfigPath, 'utf8'),
    clock: wallClock,
    log: memoryLogger()
  }).getService('default', name)

/** Each release its own commit: the revisions are `<service>-<short sha>`. */
const sha = (c: string) => c.repeat(40)

test('SIGKILL with four units mid-step: the post step puts every candidate back to 0%', async () => {
  const env = {
    GITHUB_RUN_ID: '3101',
    GITHUB_JOB: 'production',
    KUBECONFIG_EU: await readFile(clusters.eu().kubeconfigPath, 'utf8')
  }
  const first = { ...env, GITHUB_SHA: sha('1') }
  expectEnded(await runAction({ inputs: await release('v1'), env: first }), 0, 'promoted')

  const inputs = await release('v2')
  const second = { ...env, GITHUB_SHA: sha('2') }
  const run = startAction({ inputs, env: second })
  const units = Object.keys(clusters).flatMap((c) => SERVICES.map((s) => [c, s] as const))
  await eventually(
    async () => {
      const states = await Promise.all(units.map(async ([c, s]) => readState(await live(c, s))))
      return states.every((st) => st?.phase === 'progressing' && st.percent === 20)
    },
    'every unit at 20%',
    60_000
  )
  run.child.kill('SIGKILL')
  const out = await run.done
  expect(out.signal).toBe('SIGKILL')
  // What the runner hands the post step: the holder once, one slot per unit running.
  expect(out.state.holder).toBe('acme/shop/runs/3101/jobs/production')
  expect(out.state.finished).toBeUndefined()
  const saved = Object.entries(out.state)
    .filter(([k]) => k.startsWith('unit-'))
    .map(([, v]) => JSON.parse(v) as Record<string, unknown>)
  expect(saved.map((u) => `${u.service}@${u.wave}/${u.cluster}`).sort()).toEqual([
    'ka@0/0',
    'ka@0/1',
    'kb@0/0',
    'kb@0/1'
  ])

  const post = await runAction({ inputs, env: second, entry: 'post', state: out.state })
  expect(post.code).toBe(0)
  expect(post.annotations.map((a) => `${a.level} ${a.message}`).sort()).toEqual(
    ['ka@eu', 'ka@us', 'kb@eu', 'kb@us'].map(
      (unit) =>
        `warning [${unit}] default/${unit.split('@')[0]}: the main step died mid-rollout; the candidate is back at 0%`
    )
  )
  for (const [cluster, name] of units) {
    const [v1, v2] = [`${name}-1111111`, `${name}-2222222`]
    const back = [`current:${v1}:100`, `candidate:${v2}:0`, `latest:${v2}:0`]
    const svc = await eventually(async () => {
      const s = await live(cluster, name)
      return split(s!).join() === back.join() && s
    }, `${name}@${cluster} back at 0%`)
    expect(readState(svc)).toMatchObject({ phase: 'aborted', percent: 0 })
  }
}, 120_000)
