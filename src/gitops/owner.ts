// Detects a GitOps controller (Flux's kustomize-controller, Argo CD) that manages a Service and
// decides whether its next sync would undo a rollout's traffic split. Pure: the caller reads the
// Service and acts on the verdict (`gitops-check: refuse | warn | off`).

export const FLUX_MANAGER = 'kustomize-controller'
export const ARGOCD_MANAGER = 'argocd-controller'
export const FLUX_NAME_LABEL = 'kustomize.toolkit.fluxcd.io/name'
export const FLUX_NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace'
export const FLUX_SSA_ANNOTATION = 'kustomize.toolkit.fluxcd.io/ssa'
export const FLUX_RECONCILE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/reconcile'
export const ARGOCD_TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id'
export const ARGOCD_INSTANCE_LABEL = 'app.kubernetes.io/instance'

/** One metadata.managedFields entry, as the API server writes it. */
export interface ManagedFieldsEntry {
  manager?: string
  operation?: string
  subresource?: string
  fieldsType?: string
  fieldsV1?: Record<string, unknown>
}

export interface ServiceMetadata {
  name?: string
  namespace?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  managedFields?: ManagedFieldsEntry[]
}

export type GitopsOwner =
  | { kind: 'none' }
  | { kind: 'flux'; kustomization?: string; namespace?: string }
  | { kind: 'argocd'; application?: string }

export type OwnerVerdict = 'ok' | 'warn' | 'refuse'

export interface OwnerCheck {
  verdict: OwnerVerdict
  owner: GitopsOwner
  /** One line for the log: who owns the Service and why the rollout is (not) safe. */
  message: string
  /** What to add so that the sync leaves the traffic alone; present when verdict is not ok. */
  fix?: string
}

const quote = (text: string): string => JSON.stringify(text)

function managers(meta: ServiceMetadata): ManagedFieldsEntry[] {
  // The status subresource is written by Knative's controllers, never by a GitOps sync.
  // Stryker disable next-line ArrayDeclaration: an entry that is no object names no manager, so it matches none
  return (meta.managedFields ?? []).filter(
    (entry) => entry.subresource === undefined || entry.subresource === ''
  )
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Whether the manager's entries claim spec.traffic (fieldsV1 `f:spec` → `f:traffic`). */
export function ownsTraffic(meta: ServiceMetadata, manager: string): boolean {
  return managers(meta).some((entry) => {
    if (entry.manager !== manager) return false
    const spec = entry.fieldsV1?.['f:spec']
    return isRecord(spec) && 'f:traffic' in spec
  })
}

function hasManager(meta: ServiceMetadata, manager: string): boolean {
  return managers(meta).some((entry) => entry.manager === manager)
}

export function detectOwner(meta: ServiceMetadata): GitopsOwner {
  const labels = meta.labels ?? {}
  const annotations = meta.annotations ?? {}
  if (labels[FLUX_NAME_LABEL] !== undefined || hasManager(meta, FLUX_MANAGER)) {
    return {
      kind: 'flux',
      kustomization: labels[FLUX_NAME_LABEL],
      namespace: labels[FLUX_NAMESPACE_LABEL]
    }
  }
  const tracking = annotations[ARGOCD_TRACKING_ANNOTATION]
  if (tracking !== undefined || hasManager(meta, ARGOCD_MANAGER)) {
    // tracking-id is `<app>:<group>/<kind>:<namespace>/<name>`.
    const application = tracking?.split(':')[0] ?? labels[ARGOCD_INSTANCE_LABEL]
    return { kind: 'argocd', application }
  }
  const instance = labels[ARGOCD_INSTANCE_LABEL]
  if (instance !== undefined) return { kind: 'argocd', application: instance }
  return { kind: 'none' }
}

function describe(owner: GitopsOwner): string {
  if (owner.kind === 'flux') {
    const ks =
      owner.kustomization === undefined
        ? 'an unnamed Kustomization'
        : `Kustomization ${quote(`${owner.namespace ?? '?'}/${owner.kustomization}`)}`
    return `Flux (${ks})`
  }
  // Stryker disable next-line ConditionalExpression: kind 'none' is answered before its description is used
  if (owner.kind === 'argocd') {
    return owner.application === undefined
      ? 'Argo CD'
      : `Argo CD (Application ${quote(owner.application)})`
  }
  // Stryker disable next-line StringLiteral: kind 'none' is answered before its description is used
  return 'no GitOps controller'
}

const FLUX_FIX =
  `remove spec.traffic from the manifest in git, or annotate the Service in git with ` +
  `"${FLUX_RECONCILE_ANNOTATION}: disabled" for the rollout (or "${FLUX_SSA_ANNOTATION}: IfNotPresent"), ` +
  `or use traffic-owner: git`
const ARGOCD_FIX =
  `add to the Application spec.ignoreDifferences: [{group: serving.knative.dev, kind: Service, ` +
  `jsonPointers: [/spec/traffic]}] with syncOptions: [RespectIgnoreDifferences=true], then set ` +
  `gitops-check: warn (ignoreDifferences is not visible from the cluster), or use traffic-owner: git`

export function checkGitopsOwner(meta: ServiceMetadata): OwnerCheck {
  const owner = detectOwner(meta)
  const who = describe(owner)
  if (owner.kind === 'none')
    return { verdict: 'ok', owner, message: 'no GitOps controller manages this Service' }
  const annotations = meta.annotations ?? {}
  const managedFieldsKnown = (meta.managedFields ?? []).length > 0

  if (owner.kind === 'flux') {
    const reconcile = annotations[FLUX_RECONCILE_ANNOTATION]?.toLowerCase()
    const ssa = annotations[FLUX_SSA_ANNOTATION]?.toLowerCase()
    if (reconcile === 'disabled') {
      return {
        verdict: 'ok',
        owner,
        message: `${who} manages this Service; ${FLUX_RECONCILE_ANNOTATION}: disabled stops its sync`
      }
    }
    if (ssa === 'ignore' || ssa === 'ifnotpresent') {
      const value = ssa === 'ignore' ? 'Ignore' : 'IfNotPresent'
      return {
        verdict: 'ok',
        owner,
        message: `${who} manages this Service; ${FLUX_SSA_ANNOTATION}: ${value} stops it from updating it`
      }
    }
    if (!managedFieldsKnown) {
      return {
        verdict: 'warn',
        owner,
        message: `${who} manages this Service, and it has no managedFields to tell whether git declares spec.traffic`,
        fix: FLUX_FIX
      }
    }
    if (ownsTraffic(meta, FLUX_MANAGER)) {
      const merge =
        ssa === 'merge'
          ? ` (${FLUX_SSA_ANNOTATION}: Merge does not protect a field git declares)`
          : ''
      return {
        verdict: 'refuse',
        owner,
        message: `${who} owns spec.traffic (git declares it): its next sync would put git's split back mid-step${merge}`,
        fix: FLUX_FIX
      }
    }
    return { verdict: 'ok', owner, message: `${who} manages this Service but not its spec.traffic` }
  }

  // Argo CD: ignoreDifferences lives in the Application, so the cluster cannot show it.
  const invisible = 'Argo CD ignoreDifferences is not visible from the cluster'
  if (ownsTraffic(meta, ARGOCD_MANAGER)) {
    return {
      verdict: 'refuse',
      owner,
      message: `${who} owns spec.traffic (git declares it): its next sync would put git's split back mid-step, unless spec.traffic is in the Application's ignoreDifferences (${invisible})`,
      fix: ARGOCD_FIX
    }
  }
  if (hasManager(meta, ARGOCD_MANAGER)) {
    return { verdict: 'ok', owner, message: `${who} manages this Service but not its spec.traffic` }
  }
  return {
    verdict: 'warn',
    owner,
    message: `${who} manages this Service; its client-side sync leaves no field ownership to check and ${invisible}: make sure git does not declare spec.traffic or that it is ignored`,
    fix: ARGOCD_FIX
  }
}
