// The read verbs: list (with selectors) and get, as plain objects or as a Table.

import type { KObject } from '../store.js'
import { apiVersionOf } from './routing.js'
import { keyOf, live, show, type Reply, type ResourceContext, type VerbRequest } from './request.js'
import { expiredToken, pageOf, pageRequestOf } from './paging.js'
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
  const paging = pageRequestOf(req.query)
  const tokenRv = paging.token?.rv
  const rv = tokenRv !== undefined && tokenRv > 0 ? tokenRv : Number(ctx.store.resourceVersion)
  const objects = ctx.store.listAt(keyOf(req), namespace, rv)
  if (!objects) throw expiredToken(rv, paging.token!.start)
  const filtered = req.query.has('labelSelector') || req.query.has('fieldSelector')
  const page = pageOf(objects.filter(matches), paging, rv, filtered)
  const items = page.items.map((o) => show(ctx, req, o))
  const metadata = {
    resourceVersion: String(rv),
    ...(page.continue ? { continue: page.continue } : {}),
    ...(page.remainingItemCount !== undefined
      ? { remainingItemCount: page.remainingItemCount }
      : {})
  }
  const plain = {
    apiVersion: apiVersionOf(type, version),
    kind: `${type.kind}List`,
    metadata,
    items
  }
  const body = asTableOr(ctx, req, items, plain)
  if (body !== plain) Object.assign((body as { metadata: object }).metadata, metadata)
  return { status: 200, body }
}

export function get(ctx: ResourceContext, req: VerbRequest): Reply {
  const obj = show(ctx, req, live(ctx, req))
  return { status: 200, body: asTableOr(ctx, req, [obj], obj) }
}
