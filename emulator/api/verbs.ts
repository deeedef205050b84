// The object verbs for one resource request: list, get, create, update, patch (merge /
// JSON / apply), delete and deletecollection. Writes go through admission (`admit`, in
// the client's version, returning the v1 object to store); reads through `present`.

import { remove, removeCollection } from './delete.js'
import { get, list } from './read.js'
import { parseObject, type Reply, type ResourceContext, type VerbRequest } from './request.js'
import type { Verb } from './routing.js'
import { createFromBody, patch, update } from './write.js'

export { GC_ACTOR } from './delete.js'
export type { Reply, ResourceContext, VerbRequest } from './request.js'

export function serveVerb(
  verb: Exclude<Verb, 'watch'>,
  ctx: ResourceContext,
  req: VerbRequest
): Reply {
  switch (verb) {
    case 'list':
      return list(ctx, req)
    case 'get':
      return get(ctx, req)
    case 'create':
      return createFromBody(ctx, req, parseObject(req))
    case 'update':
      return update(ctx, req)
    case 'patch':
      return patch(ctx, req)
    case 'delete':
      return remove(ctx, req)
    case 'deletecollection':
      return removeCollection(ctx, req)
  }
}
