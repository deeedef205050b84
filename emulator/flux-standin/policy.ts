// STAND-IN for Flux's kustomize-controller (not Flux): the per-object apply policy of
// kustomize-controller v1.x, which hands these options to the ssa ResourceManager of Flux's
// shared library (its exclusion, if-not-present and cleanup selectors):
// - `kustomize.toolkit.fluxcd.io/reconcile: disabled` or `kustomize.toolkit.fluxcd.io/ssa:
//   Ignore`, on the object in git or on the live one: not applied at all;
// - `ssa: IfNotPresent` in git: created when absent, never updated afterwards;
// - otherwise applied with server-side apply, manager `kustomize-controller`, force;
//   beforehand the fields of `kubectl*` managers (Apply and Update, matched by prefix),
//   `before-first-apply` and `kustomize-controller` (Update) are handed to the
//   kustomize-controller Apply entry, and kubectl's last-applied annotation removed, so
//   kubectl edits are reverted;
// - `ssa: Merge` (in git or live) skips that take-over: fields other managers own stay
//   theirs, but fields git declares are still forced back to git's values.
// Values compare case-insensitively, as Flux's selectors do. Pure.

import { FieldSet, fromFieldsV1, toFieldsV1 } from '../ssa/field-set.js'
import type { KObject } from '../store.js'

export const CONTROLLER = 'kustomize-controller'
export const NAME_LABEL = 'kustomize.toolkit.fluxcd.io/name'
export const NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace'
export const SSA_ANNOTATION = 'kustomize.toolkit.fluxcd.io/ssa'
export const RECONCILE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/reconcile'
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

export type Decision = { action: 'apply'; takeOver: boolean } | { action: 'skip'; reason: string }

/** Whether a label or annotation `key` of `obj` equals `value`, ignoring case. */
function marked(obj: KObject | undefined, key: string, value: string): boolean {
  const meta = obj?.metadata
  const found = [meta?.labels?.[key], meta?.annotations?.[key]]
  return found.some(
    (v) => typeof v === 'string' && v !== '' && v.toLowerCase() === value.toLowerCase()
  )
}

export function decide(desired: KObject, live: KObject | undefined): Decision {
  for (const obj of [desired, live]) {
    if (marked(obj, RECONCILE_ANNOTATION, 'disabled'))
      return { action: 'skip', reason: `${RECONCILE_ANNOTATION}: disabled` }
    if (marked(obj, SSA_ANNOTATION, 'Ignore'))
      return { action: 'skip', reason: `${SSA_ANNOTATION}: Ignore` }
  }
  if (live && marked(desired, SSA_ANNOTATION, 'IfNotPresent')) {
    return { action: 'skip', reason: `${SSA_ANNOTATION}: IfNotPresent, and it exists` }
  }
  const merge = marked(desired, SSA_ANNOTATION, 'Merge') || marked(live, SSA_ANNOTATION, 'Merge')
  return { action: 'apply', takeOver: live !== undefined && !merge }
}

/** The object as applied: git's, with the Kustomization's owner labels. */
export function withOwnerLabels(desired: KObject, name: string, namespace: string): KObject {
  const out = structuredClone(desired)
  out.metadata.labels = { ...out.metadata.labels, [NAME_LABEL]: name, [NAMESPACE_LABEL]: namespace }
  return out
}

interface Entry {
  manager?: string
  operation?: string
  subresource?: string
  fieldsV1?: unknown
  [key: string]: unknown
}

const TAKEN_OVER: { prefix: string; operation: 'Apply' | 'Update' }[] = [
  { prefix: 'kubectl', operation: 'Apply' },
  { prefix: 'kubectl', operation: 'Update' },
  { prefix: 'before-first-apply', operation: 'Update' },
  { prefix: CONTROLLER, operation: 'Update' }
]

const takenOver = (e: Entry) =>
  !e.subresource &&
  TAKEN_OVER.some((m) => e.operation === m.operation && (e.manager ?? '').startsWith(m.prefix))

/**
 * The JSON patch that hands the taken-over managers' fields to the controller's Apply entry
 * (and drops kubectl's last-applied annotation); undefined when there is nothing to do.
 */
export function takeOverPatch(live: KObject): object[] | undefined {
  const ops: object[] = []
  const annotations = live.metadata.annotations ?? {}
  if (LAST_APPLIED in annotations) {
    ops.push({
      op: 'remove',
      path: `/metadata/annotations/${LAST_APPLIED.replace(/~/g, '~0').replace(/\//g, '~1')}`
    })
  }
  const entries = (live.metadata.managedFields ?? []) as Entry[]
  const isOurs = (e: Entry) => e.manager === CONTROLLER && e.operation === 'Apply' && !e.subresource
  const moved = entries.filter((e) => !isOurs(e) && takenOver(e))
  if (moved.length > 0) {
    const ours = entries.find(isOurs)
    const fields = [ours, ...moved].reduce(
      (acc, e) => acc.union(fromFieldsV1(e?.fieldsV1)),
      new FieldSet()
    )
    const template = ours ?? moved[0]
    const merged: Entry = {
      ...template,
      manager: CONTROLLER,
      operation: 'Apply',
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(fields)
    }
    const kept = entries.filter((e) => e !== ours && !moved.includes(e))
    ops.push({ op: 'replace', path: '/metadata/managedFields', value: [...kept, merged] })
  }
  return ops.length > 0 ? ops : undefined
}
