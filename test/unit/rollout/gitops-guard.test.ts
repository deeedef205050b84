// action mode on a Service a GitOps controller manages: the gitops-check before the first write.

import type { KService } from '../../../src/knative/types.js'
import { inputs, manifest, World } from '../../helpers/engine-harness.js'

const FLUX_LABELS = {
  'kustomize.toolkit.fluxcd.io/name': 'apps',
  'kustomize.toolkit.fluxcd.io/namespace': 'flux-system'
}
/** kustomize-controller applied spec.traffic: git declares the split. */
const FLUX_OWNS_TRAFFIC = [
  {
    manager: 'kustomize-controller',
    operation: 'Apply',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:spec': { 'f:template': {}, 'f:traffic': {} } }
  }
]
const FLUX_OWNS_TEMPLATE_ONLY = [
  { ...FLUX_OWNS_TRAFFIC[0], fieldsV1: { 'f:spec': { 'f:template': {} } } }
]

async function managedWorld(meta: Partial<KService['metadata']> & Record<string, unknown>) {
  const world = new World()
  await world.deployed()
  await world.knative.updateService('default', 'shop', (s) => ({
    ...s,
    metadata: {
      ...s.metadata,
      ...meta,
      annotations: { ...s.metadata.annotations, ...(meta.annotations ?? {}) }
    }
  }))
  return world
}

describe('gitops-check: refuse, warn or go on before the first write', () => {
  test.each<
    [string, Record<string, unknown>, 'refuse' | 'warn' | 'off', string, RegExp | undefined]
  >([
    [
      'Flux owns spec.traffic: refused with the fix',
      { labels: FLUX_LABELS, managedFields: FLUX_OWNS_TRAFFIC },
      'refuse',
      'failed',
      /kustomize\.toolkit\.fluxcd\.io\/ssa: IfNotPresent|ssa/
    ],
    [
      'Flux owns spec.traffic and ssa: Merge does not protect it',
      {
        labels: FLUX_LABELS,
        managedFields: FLUX_OWNS_TRAFFIC,
        annotations: { 'kustomize.toolkit.fluxcd.io/ssa': 'Merge' }
      },
      'refuse',
      'failed',
      /Merge does not protect/
    ],
    [
      'Flux with ssa: IfNotPresent leaves the Service alone',
      {
        labels: FLUX_LABELS,
        managedFields: FLUX_OWNS_TRAFFIC,
        annotations: { 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' }
      },
      'refuse',
      'promoted',
      undefined
    ],
    [
      'Flux manages only the template: the split is ours',
      { labels: FLUX_LABELS, managedFields: FLUX_OWNS_TEMPLATE_ONLY },
      'refuse',
      'promoted',
      undefined
    ],
    [
      'gitops-check warn goes ahead with a warning',
      { labels: FLUX_LABELS, managedFields: FLUX_OWNS_TRAFFIC },
      'warn',
      'promoted',
      /owns spec\.traffic/
    ],
    [
      'gitops-check off does not look',
      { labels: FLUX_LABELS, managedFields: FLUX_OWNS_TRAFFIC },
      'off',
      'promoted',
      undefined
    ]
  ])('%s', async (_name, meta, check, result, said) => {
    const world = await managedWorld(meta)
    const writesBefore = world.knative.writes.length
    const base = inputs({ revisionName: 'shop-v2', steps: [50, 100] })
    // A refusal is thrown before any write; run.ts reports it as `failed`.
    const out = await world
      .run({
        inputs: { ...base, gitops: { ...base.gitops, check } },
        manifest: manifest('registry.local/shop:v2')
      })
      .catch((err: Error) => ({ result: 'failed', message: err.message, log: [] as string[] }))
    expect(out.result).toBe(result)
    if (result === 'failed') {
      expect(out.message).toMatch(/^gitops-check: .*to fix: .*Nothing was written/)
      expect(world.knative.writes.length).toBe(writesBefore)
    }
    if (said) expect([out.message, ...out.log].join('\n')).toMatch(said)
  })
})
