// The pipeline's reads before its first write, on real files: globs expanded under the
// workspace, and each cluster's kubeconfig from a variable, a file or a context.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { clusterKubeconfig, expandManifests } from '../../../src/pipeline/sources.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipeline-sources-'))
  await mkdir(join(dir, 'deploy', 'nested'), { recursive: true })
  for (const f of ['deploy/b.yaml', 'deploy/a.yaml', 'deploy/notes.txt', 'deploy/nested/c.yaml'])
    await writeFile(join(dir, f), 'x')
  await writeFile(join(dir, 'kube.yaml'), KUBECONFIG)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - {name: eu, cluster: {server: "https://eu.example:6443"}}
  - {name: us, cluster: {server: "https://us.example:6443"}}
users:
  - {name: deployer, user: {token: not-a-real-token}}
contexts:
  - {name: eu, context: {cluster: eu, user: deployer}}
  - {name: us, context: {cluster: us, user: deployer}}
current-context: eu
`

describe('expandManifests', () => {
  test.each([
    {
      name: 'a glob: its matches, sorted',
      line: 'deploy/*.yaml',
      files: ['deploy/a.yaml', 'deploy/b.yaml']
    },
    {
      name: '** reaches into directories',
      line: 'deploy/**/*.yaml',
      files: ['deploy/a.yaml', 'deploy/b.yaml', 'deploy/nested/c.yaml']
    },
    {
      name: 'a plain path is kept as given (read-file.ts checks it)',
      line: 'deploy/missing.yaml',
      files: ['deploy/missing.yaml']
    },
    { name: 'a glob that matches nothing', line: 'other/*.yaml', files: [] }
  ])('$name', async ({ line, files }) => {
    expect((await expandManifests([line], dir)).get(line)).toEqual(files)
  })
})

describe('clusterKubeconfig', () => {
  const where = 'waves[0].clusters[0]'
  test('from a variable', async () => {
    expect(await clusterKubeconfig({ env: 'KC' }, { where, env: { KC: KUBECONFIG } })).toBe(
      KUBECONFIG
    )
  })
  test('an unset variable names the field, not a value', async () => {
    await expect(clusterKubeconfig({ env: 'KC' }, { where, env: {} })).rejects.toThrow(
      'waves[0].clusters[0].kubeconfig-env: the variable KC is not set or empty'
    )
  })
  test('from a file, relative to the workspace', async () => {
    expect(await clusterKubeconfig({ file: 'kube.yaml' }, { where, env: {}, workspace: dir })).toBe(
      KUBECONFIG
    )
  })
  test('a missing file', async () => {
    await expect(
      clusterKubeconfig({ file: 'nope.yaml' }, { where, env: {}, workspace: dir })
    ).rejects.toThrow('waves[0].clusters[0].kubeconfig-file: cannot read "nope.yaml" (ENOENT)')
  })
  test('a context of the kubeconfig input becomes the current one', async () => {
    const out = await clusterKubeconfig({ context: 'us' }, { where, env: {}, base: KUBECONFIG })
    expect((parse(out!) as { 'current-context': string })['current-context']).toBe('us')
  })
  test('a context the kubeconfig does not have', async () => {
    await expect(
      clusterKubeconfig({ context: 'asia' }, { where, env: {}, base: KUBECONFIG })
    ).rejects.toThrow(
      'waves[0].clusters[0].context: "asia" is not a context of the kubeconfig (it has eu, us)'
    )
  })
  test('an invalid kubeconfig: its content is not quoted', async () => {
    const err = await clusterKubeconfig(
      { context: 'eu' },
      { where, env: {}, base: 'token: s3cr3t: [' }
    ).catch((e: Error) => e)
    expect(String(err)).toMatch(/is not a valid kubeconfig/)
    expect(String(err)).not.toContain('s3cr3t')
  })
})
