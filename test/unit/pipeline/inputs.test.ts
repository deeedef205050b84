// The pipeline inputs (src/inputs/pipeline.ts) as parseInputs reads them: every bad value of
// `waves`, `wave`, `manifest` lines, `service` names, max-parallel and fail-fast is refused
// before anything runs, with the field named.

import { InputError, parseInputs } from '../../../src/inputs.js'

const parse = (values: Record<string, string | undefined>) => parseInputs((n) => values[n])
function problemsOf(values: Record<string, string | undefined>): string[] {
  try {
    parse(values)
  } catch (e) {
    if (e instanceof InputError) return e.problems
    throw e
  }
  throw new Error('expected an InputError')
}
const cluster = (name: string, more = '') =>
  `{name: ${name}, kubeconfig-env: KC_${name.toUpperCase()}${more}}`
const wave = (name: string, clusters: string, more = '') =>
  `- name: ${name}\n  clusters: [${clusters}]\n${more}`

test('defaults: one manifest, one cluster, ten at once, no fail-fast', () => {
  expect(parse({ manifest: 'a.yaml' }).pipeline).toEqual({
    manifests: ['a.yaml'],
    services: [],
    maxParallel: 10,
    failFast: false,
    waves: undefined,
    wave: undefined
  })
})

test('several manifests, globs and comments; several services for status', () => {
  const p = parse({
    manifest: 'deploy/*.yaml\n\n# not this\nother/b.yaml',
    'max-parallel': '3',
    'fail-fast': 'true'
  })
  expect(p.pipeline).toMatchObject({
    manifests: ['deploy/*.yaml', 'other/b.yaml'],
    maxParallel: 3,
    failFast: true
  })
  const s = parse({ command: 'status', service: 'shop, cart\nusers' })
  expect(s.pipeline!.services).toEqual(['shop', 'cart', 'users'])
  expect(s.service).toBeUndefined()
})

test('a full waves document: schedules per stage, addresses per cluster', () => {
  const p = parse({
    manifest: 'a.yaml',
    'pause-at': '25',
    waves: [
      wave('staging', cluster('stg', ', ingress-address: "http://10.0.0.1:31080"')),
      wave(
        'prod',
        `${cluster('eu')}, {name: us, context: us-east}`,
        '  pause-before: true\n  steps: [5, 50, 100]\n  pause-at: 50\n  step-interval: 30s\n'
      )
    ].join('')
  })
  const [stg, prod] = p.pipeline!.waves!
  expect(stg).toMatchObject({ name: 'staging', pauseBefore: false })
  expect(stg.clusters[0].kubeconfig).toEqual({ env: 'KC_STG', file: undefined, context: undefined })
  expect(stg.clusters[0].inputs).toMatchObject({
    steps: [10, 25, 50, 100],
    pauseAt: 25,
    probe: { ingressAddress: 'http://10.0.0.1:31080' }
  })
  expect(prod).toMatchObject({ name: 'prod', pauseBefore: true })
  expect(prod.clusters[1].kubeconfig.context).toBe('us-east')
  expect(prod.clusters[0].inputs).toMatchObject({
    steps: [5, 50, 100],
    pauseAt: 50,
    stepIntervalMs: 30_000
  })
})

describe('refused, naming the field', () => {
  test.each([
    { name: 'not YAML', waves: '- [', problem: /^waves: not valid YAML/ },
    { name: 'not a list', waves: 'name: x', problem: /^waves: must be a YAML list of stages/ },
    {
      name: 'a stage without a name',
      waves: '- clusters: [{name: a, context: a}]',
      problem: /^waves\[0\]\.name: required$/
    },
    {
      name: 'a stage name that is no label',
      waves: wave('Prod EU', cluster('a')),
      problem: /^waves\[0\]\.name: "Prod EU" must be lowercase/
    },
    {
      name: 'two stages of one name',
      waves: wave('x', cluster('a')) + wave('x', cluster('b')),
      problem: /^waves\[1\]\.name: "x" is used twice/
    },
    {
      name: 'an unknown stage field',
      waves: wave('x', cluster('a'), '  pause: true\n'),
      problem: /^waves\[0\]\.pause: not a field; use name, clusters/
    },
    { name: 'no clusters', waves: '- name: x\n', problem: /^waves\[0\]\.clusters: required/ },
    {
      name: 'pause-before not a boolean',
      waves: wave('x', cluster('a'), '  pause-before: "yes"\n'),
      problem: /^waves\[0\]\.pause-before: must be true or false/
    },
    {
      name: 'bad steps of a stage',
      waves: wave('x', cluster('a'), '  steps: 50,20,100\n'),
      problem: /^waves\[0\]\.steps: "50,20,100" must be strictly increasing/
    },
    {
      name: 'a stage pause-at that is not one of its steps',
      waves: wave('x', cluster('a'), '  steps: 20,100\n  pause-at: 50\n'),
      problem: /^waves\[0\]\.pause-at: "50" is not one of the steps/
    },
    {
      name: 'a bad step-interval',
      waves: wave('x', cluster('a'), '  step-interval: soon\n'),
      problem: /^waves\[0\]\.step-interval: "soon" is not a duration/
    },
    {
      name: 'a cluster without a kubeconfig',
      waves: wave('x', '{name: a}'),
      problem: /^waves\[0\]\.clusters\[0\]: needs its kubeconfig/
    },
    {
      name: 'a cluster with two kubeconfigs',
      waves: wave('x', '{name: a, kubeconfig-env: A, kubeconfig-file: a.yaml}'),
      problem: /^waves\[0\]\.clusters\[0\]: give kubeconfig-env or kubeconfig-file, not both/
    },
    {
      name: 'a bad variable name',
      waves: wave('x', '{name: a, kubeconfig-env: "A-B"}'),
      problem:
        /^waves\[0\]\.clusters\[0\]\.kubeconfig-env: "A-B" is not an environment variable name/
    },
    {
      name: 'an unknown cluster field',
      waves: wave('x', '{name: a, context: a, kubeconfig: x}'),
      problem: /^waves\[0\]\.clusters\[0\]\.kubeconfig: not a field/
    },
    {
      name: 'a bad ingress-address',
      waves: wave('x', cluster('a', ', ingress-address: "10.0.0.1"')),
      problem: /^waves\[0\]\.clusters\[0\]\.ingress-address: "10.0.0.1" must be an http\(s\) URL/
    },
    {
      name: 'credentials in prometheus-url',
      waves: wave('x', cluster('a', ', prometheus-url: "http://u:p@prom:9090"')),
      problem: /^waves\[0\]\.clusters\[0\]\.prometheus-url: must not carry credentials/
    },
    {
      name: 'a cluster name used twice',
      waves: wave('x', cluster('a')) + wave('y', cluster('a')),
      problem: /^waves\[1\]\.clusters\[0\]\.name: "a" is used twice/
    },
    {
      name: 'a git path with traffic-owner action',
      waves: wave('x', cluster('a', ', path: clusters/a')),
      problem:
        /^waves\[0\]\.clusters\[0\]\.path: a directory of the repository per cluster is for traffic-owner: git/
    }
  ])('$name', ({ waves, problem }) => {
    // An image rather than a manifest: pause-at is then checked against the steps here.
    expect(problemsOf({ service: 'shop', image: 'ghcr.io/acme/shop:1', waves })).toEqual(
      expect.arrayContaining([expect.stringMatching(problem)])
    )
  })

  test.each([
    {
      name: 'max-parallel 0',
      values: { 'max-parallel': '0' },
      problem: /^max-parallel: "0" must be a whole number from 1/
    },
    {
      name: 'fail-fast not a boolean',
      values: { 'fail-fast': 'maybe' },
      problem: /^fail-fast: "maybe" is not a boolean/
    },
    { name: 'wave without waves', values: { wave: 'prod' }, problem: /^wave: needs waves/ },
    {
      name: 'wave naming no stage',
      values: { wave: 'prod', waves: wave('stg', cluster('a')) },
      problem: /^wave: "prod" is not a stage of waves; use one of stg/
    },
    {
      name: 'wave with status',
      values: { command: 'status', wave: 'stg', waves: wave('stg', cluster('a')) },
      problem: /^wave: .*applies to command promote or rollout/
    },
    {
      name: 'several services for a rollout',
      values: { service: 'a,b', image: 'ghcr.io/a/b:1' },
      problem: /^service: several names apply to promote, abort and status/
    },
    {
      name: 'service with several manifests',
      values: { manifest: 'a.yaml\nb.yaml', service: 'shop' },
      problem: /^service: renames the one Service of a manifest/
    },
    {
      name: 'revision-name with a glob',
      values: { manifest: 'deploy/*.yaml', 'revision-name': 'shop-v2' },
      problem: /^revision-name: names one Service/
    },
    {
      name: 'a bad name among several',
      values: { command: 'abort', service: 'shop,Cart' },
      problem: /^service: "Cart" is not a Knative Service name/
    }
  ])('$name', ({ values, problem }) => {
    expect(problemsOf({ manifest: 'a.yaml', ...values })).toEqual(
      expect.arrayContaining([expect.stringMatching(problem)])
    )
  })

  test('a top-level problem is reported once, not again for every stage', () => {
    const problems = problemsOf({
      manifest: 'a.yaml',
      'probe-path': 'x',
      waves: wave('a', cluster('a')) + wave('b', cluster('b'))
    })
    expect(problems.filter((p) => p.includes('probe-path'))).toHaveLength(1)
  })
})

test('examples/pipeline-waves.yml: its inputs, as a push gives them, are valid', async () => {
  const { readFileSync } = await import('node:fs')
  const { parse: yaml } = await import('yaml')
  const workflow = yaml(
    readFileSync(new URL('../../../examples/pipeline-waves.yml', import.meta.url), 'utf8')
  ) as { jobs: { pipeline: { steps: { uses?: string; with?: Record<string, unknown> }[] } } }
  const step = workflow.jobs.pipeline.steps.find((s) => s.uses?.startsWith('acme/knative-rollout'))!
  // On a push the expressions give `rollout` and no wave.
  const push: Record<string, string> = { command: 'rollout', wave: '' }
  const given = Object.fromEntries(
    Object.entries(step.with!).map(([k, v]) => [k, push[k] ?? String(v)])
  )
  const p = parse(given).pipeline!
  expect(p.manifests).toEqual(['deploy/*.yaml'])
  expect(p.waves!.map((w) => [w.name, w.pauseBefore, w.clusters.map((c) => c.name)])).toEqual([
    ['staging', false, ['staging']],
    ['production', true, ['eu', 'us']]
  ])
  expect(p.waves![1].clusters[0].inputs.steps).toEqual([5, 25, 50, 100])
})

describe('traffic-owner git: a cluster may name its directory of the repository', () => {
  const git = (clusters: string) => ({
    'traffic-owner': 'git',
    manifest: 'clusters/stg/shop.yaml',
    waves: wave('x', clusters)
  })
  test('kept with the cluster, beside its (read-only) kubeconfig', () => {
    const p = parse(git(cluster('eu', ', path: clusters/eu'))).pipeline!
    expect(p.waves![0].clusters[0]).toMatchObject({ name: 'eu', path: 'clusters/eu' })
  })
  test.each([
    {
      name: 'an absolute path',
      path: '/etc',
      problem:
        /^waves\[0\]\.clusters\[0\]\.path: "\/etc" must be a directory of the repository, relative/
    },
    {
      name: 'a path out of the repository',
      path: 'clusters/../..',
      problem: /^waves\[0\]\.clusters\[0\]\.path: "clusters\/\.\.\/\.\." must be/
    }
  ])('$name', ({ path, problem }) => {
    expect(problemsOf(git(cluster('eu', `, path: "${path}"`)))).toEqual(
      expect.arrayContaining([expect.stringMatching(problem)])
    )
  })
  test('a branch per cluster, kept with it (beside a path or alone)', () => {
    const p = parse(
      git(`${cluster('eu', ', branch: clusters/eu, path: apps')}, ${cluster('us', ', branch: us')}`)
    ).pipeline!
    expect(p.waves![0].clusters.map((c) => [c.name, c.branch, c.path])).toEqual([
      ['eu', 'clusters/eu', 'apps'],
      ['us', 'us', undefined]
    ])
  })
  test.each([
    { name: 'two dots', branch: 'eu..us', why: 'has ".."' },
    { name: 'a leading dash', branch: '-eu', why: 'starts with "-"' },
    {
      name: 'a lock file',
      branch: 'clusters/eu.lock',
      why: 'has a part "eu.lock" that ends with ".lock"'
    },
    { name: 'a space', branch: 'clusters eu', why: 'has a space, a control character or one of' }
  ])('a branch name git refuses: $name', ({ branch, why }) => {
    expect(problemsOf(git(cluster('eu', `, branch: "${branch}"`)))).toContainEqual(
      expect.stringContaining(
        `waves[0].clusters[0].branch: "${branch}" is not a branch name git accepts: it ${why}`
      )
    )
  })
  test('a branch with traffic-owner action is refused: the action writes the cluster itself', () => {
    expect(
      problemsOf({ manifest: 'a.yaml', waves: wave('x', cluster('eu', ', branch: clusters/eu')) })
    ).toContainEqual(
      expect.stringMatching(
        /^waves\[0\]\.clusters\[0\]\.branch: a branch of the repository per cluster is for traffic-owner: git/
      )
    )
  })
  test('a path alone is not enough: the cluster is read to see each commit applied', () => {
    expect(problemsOf(git('{name: eu, path: clusters/eu}'))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^waves\[0\]\.clusters\[0\]: needs its kubeconfig.*read-only is enough/
        )
      ])
    )
  })
})
