// The read verbs: list (with selectors) and get, as plain objects or as a Table.

import type { KObject } from '../store.js'
import { apiVersionOf } from './routing.js'
import { keyOf, live, show, type Reply, type ResourceContext, type VerbRequest } from './request.js'
import { selectorsOf } from './selectors.js'
import { includeObjectOf, toTable, wantsTable } from './table.js'

function asTableOr(
  ctx: ResourceContext,
  req: VerbRequest,
  objects: KObject[],
  plain: unknown
): unknown {
  if (!wantsTable(req.accept)) return plain
  return toTable(
    req.target.type,
    objects,
    ctx.now(),
    includeObjectOf(req.query),
    ctx.store.resourceVersion
  )
}

export function list(ctx: ResourceContext, req: VerbRequest): Reply {
  const { type, version, namespace } = req.target
  const matches = selectorsOf(req.query)
  const items = ctx.store
    .list(keyOf(req), namespace)
    .filter(matches)
    .map((o) => show(ctx, req, o))
  const plain = {
    apiVersion: apiVersionOf(type, version),
    kind: `${type.kind}List`,
    metadata: { resourceVersion: ctx.store.resourceVersion },
    items
  }
  return { status: 200, body: asTableOr(ctx, req, items, plain) }
}

export function get(ctx: ResourceContext, req: VerbRequest): Reply {
  const obj = show(ctx, req, live(ctx, req))
  return { status: 200, body: asTableOr(ctx, req, [obj], obj) }
}
