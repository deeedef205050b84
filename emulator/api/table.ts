// `kubectl get` output: a meta.k8s.io/v1 Table, as the API server builds it for CRDs
// (NAME, the printer columns, AGE) and for pods (NAME READY STATUS RESTARTS AGE).

import type { ResourceType } from '../resources.js'
import type { KObject } from '../store.js'
import { evaluate } from './jsonpath.js'

interface Column {
  name: string
  type: string
  format?: string
  priority: number
  description: string
  cell: (obj: KObject) => unknown
}

export interface Table {
  kind: 'Table'
  apiVersion: 'meta.k8s.io/v1'
  metadata: { resourceVersion?: string }
  columnDefinitions: Omit<Column, 'cell'>[]
  rows: { cells: unknown[]; object?: unknown }[]
}

/** True when the Accept header asks for a Table (kubectl get does). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false
  const parts = accept.split(',').map((part) => part.replace(/\s/g, ''))
  return parts.some(
    (part) =>
      part.includes('as=Table') &&
      part.includes('g=meta.k8s.io') &&
      part.startsWith('application/json')
  )
}

/** kubectl's `HumanDuration`: 45s, 2m5s, 3h10m, 5d, 2y30d. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000)
  if (s < -1) return '<invalid>'
  if (s < 0) return '0s'
  if (s < 120) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`
  if (m < 180) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`
  if (h < 48) return `${h}h`
  if (h < 24 * 8)
    return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`
  const d = Math.floor(h / 24)
  if (h < 24 * 365 * 8)
    return d % 365 === 0 ? `${Math.floor(d / 365)}y` : `${Math.floor(d / 365)}y${d % 365}d`
  return `${Math.floor(d / 365)}y`
}

const podColumns: Column[] = [
  {
    name: 'Ready',
    type: 'string',
    priority: 0,
    description: 'ready containers / containers',
    cell: (pod) => {
      const statuses: any[] = pod.status?.containerStatuses ?? []
      const total = pod.spec?.containers?.length ?? statuses.length
      return `${statuses.filter((c) => c.ready).length}/${total}`
    }
  },
  {
    name: 'Status',
    type: 'string',
    priority: 0,
    description: 'the pod phase, or why a container is not running',
    cell: (pod) => {
      if (pod.metadata.deletionTimestamp) return 'Terminating'
      for (const c of (pod.status?.containerStatuses ?? []) as any[]) {
        const reason = c.state?.waiting?.reason ?? c.state?.terminated?.reason
        if (reason) return reason
      }
      return pod.status?.phase ?? 'Pending'
    }
  },
  {
    name: 'Restarts',
    type: 'integer',
    priority: 0,
    description: 'container restarts',
    cell: (pod) =>
      ((pod.status?.containerStatuses ?? []) as any[]).reduce(
        (n, c) => n + (c.restartCount ?? 0),
        0
      )
  }
]

function columnsFor(type: ResourceType, now: Date): Column[] {
  const name: Column = {
    name: 'Name',
    type: 'string',
    format: 'name',
    priority: 0,
    description: 'Name must be unique within a namespace.',
    cell: (obj) => obj.metadata.name
  }
  const age: Column = {
    name: 'Age',
    type: 'date',
    priority: 0,
    description: 'CreationTimestamp is the time the object was created.',
    cell: (obj) =>
      obj.metadata.creationTimestamp
        ? humanDuration(now.getTime() - Date.parse(obj.metadata.creationTimestamp))
        : '<unknown>'
  }
  const custom: Column[] =
    type.group === '' && type.plural === 'pods'
      ? podColumns
      : type.printerColumns.map((c) => ({
          name: c.name,
          type: c.type,
          priority: c.priority ?? 0,
          description: c.jsonPath,
          cell: (obj) => evaluate(c.jsonPath, obj) ?? null
        }))
  return [name, ...custom, age]
}

export type IncludeObject = 'None' | 'Object' | 'PartialObjectMetadata'

export function toTable(
  type: ResourceType,
  objects: KObject[],
  now: Date,
  include: IncludeObject,
  resourceVersion?: string
): Table {
  const columns = columnsFor(type, now)
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: resourceVersion ? { resourceVersion } : {},
    columnDefinitions: columns.map(({ cell: _cell, ...def }) => def),
    rows: objects.map((obj) => ({
      cells: columns.map((c) => c.cell(obj)),
      ...(include === 'None'
        ? {}
        : {
            object:
              include === 'Object'
                ? obj
                : {
                    kind: 'PartialObjectMetadata',
                    apiVersion: 'meta.k8s.io/v1',
                    metadata: obj.metadata
                  }
          })
    }))
  }
}

export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject')
  return value === 'None' || value === 'Object' ? value : 'PartialObjectMetadata'
}
