// Server-side apply of one configuration by one manager, as the API server's field manager
// does it (structured-merge-diff's Apply):
// 1. merge the configuration into the live object: maps by key, lists (atomic) and scalars
//    replaced whole, an explicit null removes the field;
// 2. a changed field another manager owns is a conflict: 409 unless `force`, which moves the
//    field to the applier;
// 3. the applier now owns exactly what its configuration sets;
// 4. a field it set last time and omits now is removed, unless someone else owns it.
// Pure: it returns the object to admit and store, with its new managedFields.

import { ApiError } from '../api-error.js'
import { isPlainObject } from '../api/http.js'
import type { KObject } from '../store.js'
import { fieldNames, FieldSet, pathString, type FieldPath } from './field-set.js'
import {
  conflictMessage,
  decodeEntries,
  encodeEntries,
  printManager,
  rfc3339,
  sameManager,
  type Conflict,
  type Managed
} from './managed-fields.js'
import { compareObjects, configFields } from './object-fields.js'

export interface ApplyRequest {
  /** The live object as the client's version shows it; undefined when the apply creates it. */
  live: KObject | undefined
  config: KObject
  manager: string
  /** The apiVersion of the configuration, recorded on the entry. */
  apiVersion: string
  force: boolean
  now: Date
}

function merge(live: unknown, config: unknown): unknown {
  if (!isPlainObject(config) || !isPlainObject(live)) return structuredClone(config)
  const out: Record<string, unknown> = { ...live }
  for (const [key, value] of Object.entries(config)) {
    if (value === null) delete out[key]
    else out[key] = merge(out[key], value)
  }
  return out
}

/** Remove a field; maps left empty by the removal go too, up to (not including) the top level. */
function removeAt(obj: Record<string, unknown>, names: string[], owned: FieldSet): void {
  const chain: Record<string, unknown>[] = [obj]
  for (const name of names.slice(0, -1)) {
    const next = chain[chain.length - 1][name]
    if (!isPlainObject(next)) return
    chain.push(next)
  }
  delete chain[chain.length - 1][names[names.length - 1]]
  for (let depth = chain.length - 1; depth >= 2; depth--) {
    const parentNames = names.slice(0, depth)
    const isOwned = owned.has(parentNames.map((n) => `f:${n}`))
    if (Object.keys(chain[depth]).length > 0 || isOwned) return
    delete chain[depth - 1][names[depth - 1]]
  }
}

export function conflictError(conflicts: Conflict[]): ApiError {
  return new ApiError(409, 'Conflict', conflictMessage(conflicts), {
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${printManager(c.owner)}`,
      field: pathString(c.path)
    }))
  })
}

export function serverSideApply(req: ApplyRequest): KObject {
  const { live, config, manager, apiVersion, force, now } = req
  const entries = decodeEntries(live?.metadata.managedFields)
  const base = structuredClone(live ?? ({ metadata: {} } as KObject))
  delete base.metadata.managedFields
  const merged = merge(base, config) as KObject
  merged.metadata = { ...merged.metadata }
  delete merged.metadata.managedFields

  const { added, modified, removed } = compareObjects(base, merged)
  const changed = added.union(modified).union(removed)
  const me = { manager, operation: 'Apply' as const, apiVersion }
  const mine = entries.find((e) => sameManager(e, me))
  const conflicts: Conflict[] = entries
    .filter((e) => e !== mine)
    .flatMap((owner) =>
      owner.fields
        .intersection(changed)
        .paths()
        .map((path) => ({ owner, path }))
    )
  if (conflicts.length > 0 && !force) throw conflictError(conflicts)

  const applied = configFields(config)
  // Forced (or conflict-free) changes leave their previous owners.
  let others = new Map<Managed, Managed>(
    entries
      .filter((e) => e !== mine)
      .map((e) => {
        const fields = e.fields.difference(changed)
        return [e, fields.equals(e.fields) ? e : { ...e, fields, time: rfc3339(now) }]
      })
  )

  // Prune what the applier gave up and nobody else holds.
  const held = [...others.values()].reduce((acc, e) => acc.union(e.fields), applied)
  const gone = (mine?.fields ?? new FieldSet()).difference(held)
  const pruned: FieldPath[] = []
  for (const path of gone.paths().reverse()) {
    const names = fieldNames(path)
    // A map the applier added stays while anyone holds something inside it.
    if (!names || held.under(path).size > 0) continue
    removeAt(merged, names, held)
    pruned.push(path)
  }
  if (pruned.length > 0) {
    const prunedSet = new FieldSet(pruned)
    others = new Map(
      [...others].map(([k, e]) => [k, { ...e, fields: e.fields.difference(prunedSet) }])
    )
  }

  const next: Managed =
    mine && mine.fields.equals(applied) && mine.apiVersion === apiVersion
      ? mine
      : { ...me, time: rfc3339(now), fields: applied }
  const order = entries.map((e) => (e === mine ? next : others.get(e)!))
  merged.metadata.managedFields = encodeEntries(mine ? order : [...order, next])
  return merged
}
