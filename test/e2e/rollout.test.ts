// The built action (dist/index.js) run as GitHub's runner runs it, against the emulator
// over real HTTP: what a workflow sees in its outputs, annotations, summary and exit code.

import { tmpdir } from 'node:os'
import { relative } from 'node:path'
import { runAction, type ActionResult } from '../helpers/action-runner.js'
import { e2eKit, expectEnded, logGroups, serviceYaml, split } from '../helpers/e2e-kit.js'
import { expectWellFormed } from '../helpers/summary-checks.js'

const kit = e2eKit()

/** The first deploy of `name` (v1), so the next run has a current to compare with. */
async function firstDeploy(name: string): Promise<ActionResult> {
  const out = await runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest(`${name}-v1`, serviceYaml(name, `docker.io/acme/${name}:v1`)),
      'revision-name': `${name}-v1`
    })
  })
  expectEnded(out, 0, 'promoted')
  return out
}

async function rolloutV2(name: string, env: Record<string, string> = {}, image = 'v2') {
  return runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest(
        `${name}-v2`,
        serviceYaml(name, `docker.io/acme/${name}:${image}`, env)
      ),
      'revision-name': `${name}-v2`
    })
  })
}

/** The summary's step-table rows (`| 1 | 20% | …`). */
const stepRows = (summary: string) => summary.split('\n').filter((l) => /^\| \d+ \| \d+%/.test(l))

test('first deploy: no canary, promoted, exit 0, no previous revision', async () => {
  const out = await firstDeploy('first')
  expect(out.outputs).toMatchObject({
    revision: 'first-v1',
    'previous-revision': '',
    url: 'http://first.default.example.com',
    image: expect.stringMatching(/^docker\.io\/acme\/first@sha256:[0-9a-f]{64}$/)
  })
  expect(JSON.parse(out.outputs.traffic)).toEqual([
    { revisionName: 'first-v1', percent: 100, tag: 'current' },
    { revisionName: 'first-v1', percent: 0, tag: 'latest' }
  ])
  expect(out.annotations.filter((a) => a.level === 'error')).toEqual([])
})

test('a healthy candidate is promoted: outputs, traffic and one summary row per step', async () => {
  await firstDeploy('healthy')
  const out = await runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest(
        'healthy-v2',
        serviceYaml('healthy', 'docker.io/acme/healthy:v2')
      ),
      'revision-name': 'healthy-v2',
      steps: '20,50,100'
    })
  })
  expectEnded(out, 0, 'promoted')
  expect(out.outputs).toEqual({
    result: 'promoted',
    revision: 'healthy-v2',
    'previous-revision': 'healthy-v1',
    url: 'http://healthy.default.example.com',
    'candidate-url': '',
    image: expect.stringMatching(/^docker\.io\/acme\/healthy@sha256:[0-9a-f]{64}$/),
    digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    commit: '', // action mode without write-back pushes nothing
    traffic: expect.any(String),
    results: expect.any(String)
  })
  // One Service in one cluster: `results` has its one entry.
  expect(JSON.parse(out.outputs.results)).toEqual([
    {
      service: 'healthy',
      namespace: 'default',
      wave: '',
      cluster: '',
      result: 'promoted',
      revision: 'healthy-v2',
      previousRevision: 'healthy-v1',
      reason: ''
    }
  ])
  expect(JSON.parse(out.outputs.traffic)).toEqual([
    { revisionName: 'healthy-v2', percent: 100, tag: 'current' },
    { revisionName: 'healthy-v2', percent: 0, tag: 'latest' }
  ])
  // steps 20,50,100: two analysed steps; 100 is the promotion.
  const rows = stepRows(out.summary)
  expect(rows).toEqual([
    expect.stringMatching(/^\| 1 \| 20% \| [\d:]+ → [\d:]+ \| \d+s \| 0 of \d+ \(0%\) \|.*✅ pass/),
    expect.stringMatching(/^\| 2 \| 50% \| [\d:]+ → [\d:]+ \| \d+s \| 0 of \d+ \(0%\) \|.*✅ pass/)
  ])
  expect(out.summary).toContain('✅ Promoted')
  // A group per phase: the candidate, each step, the promotion, the result.
  expect(logGroups(out.stdout)).toEqual([
    'Candidate revision: default/healthy',
    'Step 1/2 at 20%',
    'Step 2/2 at 50%',
    'Promote',
    'Result: promoted'
  ])
  expect(out.stdout).toMatch(
    /^::notice title=knative-rollout%3A default\/healthy promoted::promoted default\/healthy \(healthy-v1 → healthy-v2\)$/m
  )
  expect(split(await kit.service('healthy'))).toEqual([
    'current:healthy-v2:100',
    'latest:healthy-v2:0'
  ])
})

test('the candidate URL is its tag URL while it runs', async () => {
  await firstDeploy('tagged')
  const out = await runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest('tagged-v2', serviceYaml('tagged', 'docker.io/acme/t:v2')),
      'revision-name': 'tagged-v2',
      'pause-at': '20'
    })
  })
  expect(out.outputs).toMatchObject({
    result: 'paused',
    'candidate-url': 'http://candidate-tagged.default.example.com'
  })
})

test('a bad candidate (EMULATOR_ERROR_RATE) is rolled back: exit 1, one error annotation with the reason', async () => {
  await firstDeploy('bad')
  const out = await rolloutV2('bad', { EMULATOR_ERROR_RATE: '0.5' })
  expectEnded(out, 1, 'rolled-back')
  expect(out.outputs).toMatchObject({
    revision: 'bad-v2',
    'previous-revision': 'bad-v1'
  })
  const errors = out.annotations.filter((a) => a.level === 'error')
  expect(errors).toHaveLength(1)
  expect(errors[0].message).toMatch(/^step 20%: .*(success rate is below|fails more often)/)
  expect(out.stdout).toMatch(/^::error title=knative-rollout%3A default\/bad rolled-back::/m)
  expect(JSON.parse(out.outputs.traffic)).toEqual([
    { revisionName: 'bad-v1', percent: 100, tag: 'current' },
    { revisionName: 'bad-v2', percent: 0, tag: 'candidate' },
    { revisionName: 'bad-v2', percent: 0, tag: 'latest' }
  ])
  expect(stepRows(out.summary)[0]).toMatch(/❌ fail/)
  expect(logGroups(out.stdout)).toEqual([
    'Candidate revision: default/bad',
    'Step 1/1 at 20%',
    'Roll back',
    'Result: rolled-back'
  ])
  expect(split(await kit.service('bad'))).toEqual([
    'current:bad-v1:100',
    'candidate:bad-v2:0',
    'latest:bad-v2:0'
  ])
})

describe('a candidate that never becomes Ready: rolled back with Knative’s reason, traffic untouched', () => {
  test.each([
    {
      name: 'its container exits (EMULATOR_EXIT_CODE=1)',
      svc: 'crash',
      env: { EMULATOR_EXIT_CODE: '1' },
      image: 'v2',
      reason: /ExitCode1/
    },
    {
      name: 'its image cannot be pulled',
      svc: 'nopull',
      env: {} as Record<string, string>,
      image: 'unpullable',
      reason: /ContainerMissing.*Unable to fetch image "docker\.io\/acme\/nopull:unpullable"/
    }
  ])('$name', async ({ svc, env, image, reason }) => {
    await firstDeploy(svc)
    const out = await rolloutV2(svc, env, image)
    expectEnded(out, 1, 'rolled-back')
    const errors = out.annotations.filter((a) => a.level === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0].message).toMatch(/did not become ready/)
    expect(errors[0].message).toMatch(reason)
    expect(stepRows(out.summary)).toEqual([])
    const live = await kit.service(svc)
    expect(split(live).filter((s) => !s.endsWith(':0'))).toEqual([`current:${svc}-v1:100`])
  })
})

describe('stale status: the controller answers 500 ms late', () => {
  test('the action waits for observedGeneration and promotes', async () => {
    const admin = (body: unknown) =>
      fetch(`${kit.emulator().apiUrl}/emulator/settings`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body)
      })
    await firstDeploy('stale')
    expect((await admin({ statusDelayMs: 500 })).status).toBe(200)
    try {
      const out = await rolloutV2('stale')
      expectEnded(out, 0, 'promoted')
      expect(split(await kit.service('stale'))).toEqual([
        'current:stale-v2:100',
        'latest:stale-v2:0'
      ])
    } finally {
      await admin({ statusDelayMs: 20 })
    }
  })
})

test('a bad input fails before any request: one error naming it, result failed', async () => {
  const out = await runAction({
    inputs: kit.inputs({ service: 'x', image: 'nginx', steps: '50,10' })
  })
  expectEnded(out, 1, 'failed')
  expect(out.annotations).toEqual([
    {
      level: 'error',
      message: expect.stringMatching(/^steps: "50,10" must be strictly increasing/)
    }
  ])
  // A refused input still writes the job summary, saying why and that nothing was touched.
  expect(out.summary).toMatch(/^## ❌ Failed: the inputs were refused\n/)
  expect(out.summary).toMatch(/^> \*\*Reason:\*\* steps: "50,10" must be strictly increasing/m)
  expect(out.summary).toContain('Nothing was read from or written to the cluster.')
  await expectWellFormed(out.summary)
})

test('a bad manifest field: the error annotation is on its file and line', async () => {
  const path = await kit.manifest('badfield', serviceYaml('badfield', '[not, a, string]'))
  const out = await runAction({ inputs: kit.inputs({ manifest: path }) })
  expectEnded(out, 1, 'failed')
  // The runner's workspace is the temp dir: the annotation names the file relative to it.
  const file = relative(tmpdir(), path)
  const errors = out.stdout.split('\n').filter((l) => l.startsWith('::error '))
  expect(errors).toEqual([
    `::error title=knative-rollout failed,file=${file},line=9,col=11::manifest "${path}": invalid Service:%0Ainvalid value: ["not","a","string"]: spec.template.spec.containers[0].image`
  ])
  // The Service has no name yet: the page and the log say what failed without an empty one.
  expect(out.summary).toMatch(/^## ❌ Failed\n\n> \*\*Reason:\*\* manifest "/)
  expect(out.stdout).toContain(`\nfailed: manifest "${path}": invalid Service:`)
  await expectWellFormed(out.summary)
})
