import { parseInputs, type Inputs } from '../../../src/inputs.js'
import {
  gated,
  stagesOf,
  startIndex,
  targetsOf,
  unitInputs,
  unitManifest,
  unitsOf,
  waitsBefore
} from '../../../src/pipeline/plan.js'

const parse = (values: Record<string, string>): Inputs => parseInputs((n) => values[n])
const WAVES = `
- name: staging
  clusters: [{name: stg, kubeconfig-env: KC_STG}]
- name: production
  pause-before: true
  steps: 50,100
  clusters:
    - {name: eu, kubeconfig-env: KC_EU, ingress-address: "http://10.0.0.2:31080"}
    - {name: us, kubeconfig-file: us.yaml}
`

describe('targetsOf: one target per file, in the order of the lines', () => {
  const inputs = parse({ manifest: 'deploy/*.yaml\nextra/b.yaml\n# a comment\ndeploy/a.yaml' })
  test.each([
    {
      name: 'a glob expands to its sorted matches; a file matched twice runs once',
      matches: {
        'deploy/*.yaml': ['deploy/a.yaml', 'deploy/c.yaml'],
        'extra/b.yaml': ['extra/b.yaml'],
        'deploy/a.yaml': ['deploy/a.yaml']
      },
      targets: ['deploy/a.yaml', 'deploy/c.yaml', 'extra/b.yaml']
    }
  ])('$name', ({ matches, targets }) => {
    const got = targetsOf(inputs, new Map(Object.entries(matches)))
    expect(got.map((t) => t.manifest)).toEqual(targets)
  })
  test('a line that matches nothing is an error naming it', () => {
    expect(() =>
      targetsOf(
        inputs,
        new Map([
          ['deploy/*.yaml', []],
          ['extra/b.yaml', ['extra/b.yaml']]
        ])
      )
    ).toThrow('manifest: "deploy/*.yaml" matches no file')
  })
  test('a line missing from the matches is an error naming it too', () => {
    expect(() => targetsOf(inputs, new Map([['deploy/*.yaml', ['deploy/a.yaml']]]))).toThrow(
      'manifest: "extra/b.yaml" matches no file'
    )
  })
  test('without manifests, the service names are the targets', () => {
    const byName = parse({ command: 'status', service: 'a, b\nc' })
    expect(targetsOf(byName, new Map())).toEqual([
      { service: 'a' },
      { service: 'b' },
      { service: 'c' }
    ])
  })
})

describe('stages and units', () => {
  const inputs = parse({ manifest: 'a.yaml', waves: WAVES })
  const stages = stagesOf(inputs)
  test('stages keep their order, names, pause-before and per-cluster inputs', () => {
    // Planned here again: `stages` above is planned before any test runs, and mutation
    // testing (stryker.config.mjs, perTest) counts only what a test itself calls.
    const stages = stagesOf(inputs)
    expect(stages.map((s) => [s.name, s.pauseBefore, s.clusters.map((c) => c.name)])).toEqual([
      ['staging', false, ['stg']],
      ['production', true, ['eu', 'us']]
    ])
    expect(stages[0].clusters[0].inputs.steps).toEqual([10, 25, 50, 100])
    expect(stages[1].clusters[0].inputs.steps).toEqual([50, 100])
    expect(stages[1].clusters[0].inputs.probe.ingressAddress).toBe('http://10.0.0.2:31080')
    expect(stages[1].clusters[1].inputs.probe.ingressAddress).toBeUndefined()
    expect(stages[1].clusters[1].kubeconfig).toEqual({ file: 'us.yaml' })
  })
  test('without waves: one stage, one cluster, the inputs as given', () => {
    const one = parse({ manifest: 'a.yaml' })
    expect(stagesOf(one)).toEqual([{ pauseBefore: false, clusters: [{ inputs: one }] }])
  })
  test.each([
    { wave: undefined, index: 0 },
    { wave: 'staging', index: 0 },
    { wave: 'production', index: 1 }
  ])('startIndex($wave) = $index', ({ wave, index }) => {
    expect(startIndex(stages, wave)).toBe(index)
  })
  test('a wave that is no stage is an error naming it', () => {
    expect(() => startIndex(stages, 'canary')).toThrow('wave: "canary" is not a stage of waves')
  })
  test.each([
    { name: 'pause-before holds a stage', stage: 1, wave: undefined, waits: true },
    { name: 'naming the stage in wave releases it', stage: 1, wave: 'production', waits: false },
    { name: 'naming another stage does not', stage: 1, wave: 'staging', waits: true },
    { name: 'a stage without pause-before never waits', stage: 0, wave: undefined, waits: false }
  ])('$name', ({ stage, wave, waits }) => {
    expect(waitsBefore(stages[stage], wave)).toBe(waits)
  })
  test('units: every target in every cluster, cluster by cluster; each with its own file and kubeconfig', () => {
    const units = unitsOf(stages[1], [{ manifest: 'a.yaml' }, { manifest: 'b.yaml' }])
    expect(units.map((u) => `${u.target.manifest}@${u.cluster.name}`)).toEqual([
      'a.yaml@eu',
      'b.yaml@eu',
      'a.yaml@us',
      'b.yaml@us'
    ])
    const own = unitInputs(units[1], 'KUBECONFIG-CONTENT')
    expect(own).toMatchObject({
      manifest: 'b.yaml',
      kubeconfig: 'KUBECONFIG-CONTENT',
      steps: [50, 100]
    })
  })
  test('a cluster with its own branch: the unit commits to it, not to git-branch', () => {
    const gitMode = parse({
      manifest: 'apps/shop.yaml',
      'traffic-owner': 'git',
      'git-branch': 'main',
      waves:
        '- {name: w, clusters: [{name: eu, context: eu, branch: clusters/eu}, {name: us, context: us}]}'
    })
    const [eu, us] = unitsOf(stagesOf(gitMode)[0], [{ manifest: 'apps/shop.yaml' }])
    expect(unitInputs(eu, undefined).gitops.branch).toBe('clusters/eu')
    expect(unitInputs(us, undefined).gitops.branch).toBe('main')
  })
  test.each([
    ['rollout', true],
    ['promote', true],
    ['abort', false],
    ['status', false],
    ['preview', false]
  ] as const)('%s gates stages: %s', (command, yes) => {
    expect(gated(command)).toBe(yes)
  })
})

describe('unitManifest: a cluster path takes the file of the same name there; a branch its own copy', () => {
  test.each([
    {
      name: 'no path: the target file',
      target: { manifest: 'clusters/stg/shop.yaml' },
      files: {},
      file: 'clusters/stg/shop.yaml'
    },
    {
      name: 'a path: the same name in it',
      target: { manifest: 'clusters/stg/shop.yaml' },
      files: { dir: '/repo/clusters/eu' },
      file: '/repo/clusters/eu/shop.yaml'
    },
    {
      name: 'a branch: the same path in its checkout',
      target: { manifest: 'apps/shop.yaml' },
      files: { moved: { from: '/repo', to: '/tmp/eu-branch' } },
      file: '/tmp/eu-branch/apps/shop.yaml'
    },
    {
      name: 'a branch, the manifest given as an absolute path in the workspace',
      target: { manifest: '/repo/apps/shop.yaml' },
      files: { moved: { from: '/repo', to: '/tmp/eu-branch' } },
      file: '/tmp/eu-branch/apps/shop.yaml'
    },
    {
      name: 'a branch and a path: the same name in that directory of its checkout',
      target: { manifest: 'apps/shop.yaml' },
      files: {
        dir: '/tmp/eu-branch/clusters/eu',
        moved: { from: '/repo', to: '/tmp/eu-branch' }
      },
      file: '/tmp/eu-branch/clusters/eu/shop.yaml'
    },
    {
      name: 'a service by name has no file',
      target: { service: 'shop' },
      files: { dir: '/repo/clusters/eu' },
      file: undefined
    }
  ])('$name', ({ target, files, file }) => {
    expect(unitManifest(target, files)).toBe(file)
  })
})
