import {
  checkGitopsOwner,
  detectOwner,
  type ManagedFieldsEntry,
  type ServiceMetadata
} from '../../../src/gitops/owner.js'

const fluxLabels = {
  'kustomize.toolkit.fluxcd.io/name': 'apps',
  'kustomize.toolkit.fluxcd.io/namespace': 'flux-system'
}
const applyEntry = (manager: string, spec: Record<string, unknown>): ManagedFieldsEntry => ({
  manager,
  operation: 'Apply',
  fieldsType: 'FieldsV1',
  fieldsV1: { 'f:metadata': { 'f:labels': {} }, 'f:spec': spec }
})
const withTraffic = { 'f:template': {}, 'f:traffic': {} }
const withoutTraffic = { 'f:template': { 'f:spec': {} } }
const ours: ManagedFieldsEntry = applyEntry('knative-rollout', { 'f:traffic': {} })
const statusEntry: ManagedFieldsEntry = {
  manager: 'kustomize-controller',
  operation: 'Update',
  subresource: 'status',
  fieldsV1: { 'f:spec': { 'f:traffic': {} } }
}

describe('checkGitopsOwner', () => {
  test.each<[string, ServiceMetadata, 'ok' | 'warn' | 'refuse', string, string | undefined]>([
    ['no controller', { managedFields: [ours] }, 'ok', 'no GitOps controller', undefined],
    [
      'Flux owns spec.traffic',
      { labels: fluxLabels, managedFields: [applyEntry('kustomize-controller', withTraffic)] },
      'refuse',
      'Flux (Kustomization "flux-system/apps") owns spec.traffic',
      'kustomize.toolkit.fluxcd.io/reconcile: disabled'
    ],
    [
      'Flux owns spec.traffic, ssa: Merge does not protect it',
      {
        labels: fluxLabels,
        annotations: { 'kustomize.toolkit.fluxcd.io/ssa': 'Merge' },
        managedFields: [applyEntry('kustomize-controller', withTraffic)]
      },
      'refuse',
      'Merge does not protect a field git declares',
      'kustomize.toolkit.fluxcd.io/ssa: IfNotPresent'
    ],
    [
      'Flux owns spec.traffic, ssa: IfNotPresent',
      {
        labels: fluxLabels,
        annotations: { 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' },
        managedFields: [applyEntry('kustomize-controller', withTraffic)]
      },
      'ok',
      'IfNotPresent stops it',
      undefined
    ],
    [
      'Flux owns spec.traffic, ssa: ignore (lowercase, as the code compares)',
      {
        labels: fluxLabels,
        annotations: { 'kustomize.toolkit.fluxcd.io/ssa': 'ignore' },
        managedFields: [applyEntry('kustomize-controller', withTraffic)]
      },
      'ok',
      'Ignore stops it',
      undefined
    ],
    [
      'Flux owns spec.traffic, reconcile: disabled',
      {
        labels: fluxLabels,
        annotations: { 'kustomize.toolkit.fluxcd.io/reconcile': 'disabled' },
        managedFields: [applyEntry('kustomize-controller', withTraffic)]
      },
      'ok',
      'reconcile: disabled stops its sync',
      undefined
    ],
    [
      'Flux manages the Service but git omits spec.traffic',
      {
        labels: fluxLabels,
        managedFields: [applyEntry('kustomize-controller', withoutTraffic), ours]
      },
      'ok',
      'but not its spec.traffic',
      undefined
    ],
    [
      "Flux's status-subresource entry is not the sync",
      {
        labels: fluxLabels,
        managedFields: [applyEntry('kustomize-controller', withoutTraffic), statusEntry]
      },
      'ok',
      'but not its spec.traffic',
      undefined
    ],
    [
      'Flux detected by manager alone, no labels',
      { managedFields: [applyEntry('kustomize-controller', withTraffic)] },
      'refuse',
      'Flux (an unnamed Kustomization) owns spec.traffic',
      'remove spec.traffic from the manifest'
    ],
    [
      'Flux labels without managedFields',
      { labels: fluxLabels },
      'warn',
      'no managedFields to tell',
      'reconcile: disabled'
    ],
    [
      'Argo CD (SSA) owns spec.traffic',
      {
        annotations: {
          'argocd.argoproj.io/tracking-id': 'shop:serving.knative.dev/Service:prod/web'
        },
        managedFields: [applyEntry('argocd-controller', withTraffic)]
      },
      'refuse',
      'Argo CD (Application "shop") owns spec.traffic',
      'RespectIgnoreDifferences=true'
    ],
    [
      'Argo CD (SSA) without spec.traffic',
      {
        annotations: {
          'argocd.argoproj.io/tracking-id': 'shop:serving.knative.dev/Service:prod/web'
        },
        managedFields: [applyEntry('argocd-controller', withoutTraffic)]
      },
      'ok',
      'but not its spec.traffic',
      undefined
    ],
    [
      'Argo CD instance label, client-side sync',
      { labels: { 'app.kubernetes.io/instance': 'shop' }, managedFields: [ours] },
      'warn',
      'ignoreDifferences is not visible from the cluster',
      'jsonPointers: [/spec/traffic]'
    ],
    [
      'Flux owns spec.traffic among other managers',
      {
        labels: fluxLabels,
        managedFields: [ours, applyEntry('kustomize-controller', withTraffic)]
      },
      'refuse',
      'owns spec.traffic',
      'reconcile: disabled'
    ],
    [
      "Flux's entry with an empty subresource is the sync's",
      {
        labels: fluxLabels,
        managedFields: [{ ...applyEntry('kustomize-controller', withTraffic), subresource: '' }]
      },
      'refuse',
      'owns spec.traffic',
      'reconcile: disabled'
    ],
    [
      "Flux's entry without fieldsV1 claims nothing",
      {
        labels: fluxLabels,
        managedFields: [{ manager: 'kustomize-controller', operation: 'Update' }]
      },
      'ok',
      'but not its spec.traffic',
      undefined
    ],
    [
      "Flux's entry with a null f:spec claims nothing",
      {
        labels: fluxLabels,
        managedFields: [{ manager: 'kustomize-controller', fieldsV1: { 'f:spec': null } }]
      },
      'ok',
      'but not its spec.traffic',
      undefined
    ],
    [
      "Flux's entry with a text f:spec claims nothing",
      {
        labels: fluxLabels,
        managedFields: [{ manager: 'kustomize-controller', fieldsV1: { 'f:spec': 'f:traffic' } }]
      },
      'ok',
      'but not its spec.traffic',
      undefined
    ],
    [
      'Flux name label without its namespace label',
      {
        labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps' },
        managedFields: [applyEntry('kustomize-controller', withTraffic)]
      },
      'refuse',
      'Flux (Kustomization "?/apps") owns spec.traffic',
      'reconcile: disabled'
    ],
    [
      'Argo CD detected by manager alone: no Application name',
      { managedFields: [applyEntry('argocd-controller', withTraffic)] },
      'refuse',
      'Argo CD owns spec.traffic',
      'RespectIgnoreDifferences=true'
    ]
  ])('%s', (_name, meta, verdict, message, fix) => {
    const check = checkGitopsOwner(meta)
    expect(check.verdict).toBe(verdict)
    expect(check.message).toContain(message)
    if (fix === undefined) expect(check.fix).toBeUndefined()
    else expect(check.fix).toContain(fix)
  })

  test('without an ssa annotation the refusal says nothing of Merge', () => {
    const check = checkGitopsOwner({
      labels: fluxLabels,
      managedFields: [applyEntry('kustomize-controller', withTraffic)]
    })
    expect(check.message).toBe(
      'Flux (Kustomization "flux-system/apps") owns spec.traffic (git declares it): its next sync would put git\'s split back mid-step'
    )
  })

  test('names from the cluster are quoted, so control characters cannot forge log lines', () => {
    const check = checkGitopsOwner({ labels: { 'app.kubernetes.io/instance': 'a\n::error::x' } })
    expect(check.message).toContain('"a\\n::error::x"')
    expect(check.message).not.toContain('\n')
  })
})

describe('detectOwner', () => {
  test.each<[string, ServiceMetadata, ReturnType<typeof detectOwner>]>([
    [
      'Flux labels',
      { labels: fluxLabels },
      { kind: 'flux', kustomization: 'apps', namespace: 'flux-system' }
    ],
    [
      'Argo CD tracking id',
      { annotations: { 'argocd.argoproj.io/tracking-id': 'shop:apps/Deployment:default/web' } },
      { kind: 'argocd', application: 'shop' }
    ],
    [
      'Argo CD instance label',
      { labels: { 'app.kubernetes.io/instance': 'shop' } },
      { kind: 'argocd', application: 'shop' }
    ],
    [
      'Argo CD manager without a tracking id: the instance label names the Application',
      {
        labels: { 'app.kubernetes.io/instance': 'shop' },
        managedFields: [applyEntry('argocd-controller', withoutTraffic)]
      },
      { kind: 'argocd', application: 'shop' }
    ],
    ['nothing', { labels: { app: 'web' } }, { kind: 'none' }]
  ])('%s', (_name, meta, owner) => {
    expect(detectOwner(meta)).toEqual(owner)
  })
})
