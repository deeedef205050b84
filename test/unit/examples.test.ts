// The workflows to copy (examples/) and the project's own CI (.github/workflows/): every
// input they give the action exists in action.yml, each asks for the least permissions it
// needs, takes a concurrency group, and sets `environment` once. And action.yml's own
// metadata as the Marketplace takes it.

import { readdirSync, readFileSync } from 'node:fs'
import { parse } from 'yaml'

const action = parse(readFileSync('action.yml', 'utf8'))
const INPUTS = new Set(Object.keys(action.inputs))

interface Step {
  uses?: string
  with?: Record<string, unknown>
}
interface Job {
  if?: string
  environment?: unknown
  permissions?: Record<string, string>
  steps: Step[]
}
interface Workflow {
  on: Record<string, unknown>
  permissions?: Record<string, string>
  concurrency?: { group?: string }
  jobs: Record<string, Job>
}

const files = [
  ...readdirSync('examples')
    .filter((f) => f.endsWith('.yml'))
    .map((f) => `examples/${f}`),
  '.github/workflows/ci.yml'
]
const workflows = files.map(
  (file) => [file, parse(readFileSync(file, 'utf8')) as Workflow] as const
)
const isOurs = (step: Step) => step.uses === './' || /^acme\/knative-rollout@/.test(step.uses ?? '')
const ourSteps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps.filter(isOurs))

test('the examples are the workflows to copy, and CI', () => {
  expect(files.sort()).toEqual(
    [
      'examples/canary-on-merge.yml',
      'examples/pause-and-promote.yml',
      'examples/pr-preview.yml',
      'examples/pipeline-waves.yml',
      'examples/pipeline-matrix.yml',
      '.github/workflows/ci.yml'
    ].sort()
  )
})

describe.each(workflows)('%s', (file, workflow) => {
  test('runs the action and gives it only inputs action.yml has', () => {
    const steps = ourSteps(workflow)
    expect(steps.length).toBeGreaterThan(0)
    const unknown = steps.flatMap((s) => Object.keys(s.with ?? {})).filter((n) => !INPUTS.has(n))
    expect(unknown).toEqual([])
  })

  test('asks for the least permissions: nothing at all by default, each scope with a use', () => {
    const permissions = workflow.permissions ?? {}
    expect(Object.keys(workflow.permissions ?? {}).length).toBeGreaterThan(0)
    const given = ourSteps(workflow)
    const uses = (pred: (w: Record<string, unknown>) => boolean) =>
      given.some((s) => pred(s.with ?? {}))
    const needs: Record<string, string> = { contents: 'read' }
    if (uses((w) => Boolean(w['build-context']) && String(w.registry).includes('ghcr.io')))
      needs.packages = 'write'
    if (uses((w) => Boolean(w.environment))) needs.deployments = 'write'
    // A run on a pull request comments on it, unless its token is turned off.
    if ('pull_request' in workflow.on && uses((w) => w['github-token'] !== ''))
      needs['pull-requests'] = 'write'
    expect(permissions).toEqual(needs)
    for (const job of Object.values(workflow.jobs)) expect(job.permissions).toBeUndefined()
  })

  test('takes a concurrency group', () => {
    expect(workflow.concurrency?.group).toMatch(/\S/)
  })

  test('sets environment once: the action’s input or the job’s, never both', () => {
    for (const job of Object.values(workflow.jobs)) {
      const inInputs = job.steps.filter(isOurs).some((s) => s.with?.environment)
      expect(inInputs && job.environment !== undefined).toBe(false)
    }
  })
})

test('the workflows that change one Service share its concurrency group', () => {
  const group = (file: string) => workflows.find(([f]) => f === file)![1].concurrency!.group
  expect(group('examples/canary-on-merge.yml')).toBe(group('examples/pause-and-promote.yml'))
  expect(group('examples/pr-preview.yml')).toContain(group('examples/canary-on-merge.yml')!)
})

test('the PR preview cleans up when the pull request closes', () => {
  const preview = workflows.find(([f]) => f === 'examples/pr-preview.yml')![1]
  expect(preview.on.pull_request).toMatchObject({ types: expect.arrayContaining(['closed']) })
  const cleanup = Object.values(preview.jobs).find((j) =>
    j.steps.some((s) => isOurs(s) && s.with?.cleanup === true)
  )
  expect(cleanup?.if).toContain("github.event.action == 'closed'")
  expect(cleanup?.steps.find(isOurs)?.with?.command).toBe('preview')
})

test('CI runs the action from the checkout against the emulator, and checks dist/', () => {
  const ci = workflows.find(([f]) => f === '.github/workflows/ci.yml')![1]
  const runs = Object.values(ci.jobs).flatMap((j) =>
    j.steps.map((s) => (s as { run?: string }).run ?? '')
  )
  expect(runs.some((r) => r.includes('node dist/emulator.js'))).toBe(true)
  expect(runs.some((r) => r.includes('npm run check-dist'))).toBe(true)
  expect(runs.some((r) => r.includes('.ci/run'))).toBe(true)
  expect(ourSteps(ci).every((s) => s.uses === './')).toBe(true)
})

test('action.yml: a description the Marketplace takes (under 125 characters), every output described', () => {
  expect(action.description.length).toBeLessThan(125)
  for (const [name, output] of Object.entries(
    action.outputs as Record<string, { description: string }>
  ))
    expect([name, output.description.length > 10]).toEqual([name, true])
  expect(action.outputs.image.description).toContain('repository@sha256:')
})
