// Watch: a chunked `application/json` stream, one `{"type","object"}` per line, as the
// API server sends it. Without a resourceVersion (or with "0") the current objects come
// first as ADDED; with one, the events after it are replayed from the store's log, and a
// version that has rolled out of the log is an ERROR event carrying a 410 Expired Status.

import type { ServerResponse } from 'node:http'
import { ApiError } from '../api-error.js'
import { storeKey } from '../resources.js'
import type { KObject, StoreEvent } from '../store.js'
import { selectorsOf } from './selectors.js'
import { toTable, wantsTable } from './table.js'
import type { ResourceContext, VerbRequest } from './request.js'

export interface WatchOptions {
  /** Close the stream abruptly after this many ms (the `watchDropAfterMs` fault); 0 = never. */
  dropAfterMs: number
}

export function serveWatch(
  res: ServerResponse,
  ctx: ResourceContext,
  req: VerbRequest,
  opts: WatchOptions
): void {
  const { type, version, namespace } = req.target
  const key = storeKey(type)
  const matches = selectorsOf(req.query) // parsed before the 200 so a bad selector is a 400
  const rvParam = req.query.get('resourceVersion')
  const since = rvParam && rvParam !== '0' ? Number(rvParam) : undefined
  if (since !== undefined && !Number.isInteger(since)) {
    throw ApiError.badRequest(`invalid resource version: ${rvParam}`)
  }
  const asTable = wantsTable(req.accept)
  const render = (obj: KObject): unknown => {
    const shown = ctx.present(type, version, obj)
    return asTable ? toTable(type, [shown], ctx.now(), 'PartialObjectMetadata') : shown
  }

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' })
  res.flushHeaders()

  const timers: NodeJS.Timeout[] = []
  let unsubscribe: () => void = () => {}
  const stop = () => {
    unsubscribe()
    timers.forEach(clearTimeout)
  }
  const close = (how: 'end' | 'destroy') => {
    stop()
    if (how === 'end') res.end()
    else res.destroy()
  }
  res.on('close', stop)
  const send = (eventType: string, object: unknown) => {
    if (!res.writableEnded && !res.destroyed)
      res.write(JSON.stringify({ type: eventType, object }) + '\n')
  }

  if (since === undefined) {
    for (const obj of ctx.store.list(key, namespace)) if (matches(obj)) send('ADDED', render(obj))
  }
  try {
    unsubscribe = ctx.store.watch(key, namespace, since, (event: StoreEvent) => {
      // This runs inside the writer's commit: a failure here must end this watch, not the write.
      try {
        if (matches(event.object)) send(event.type, render(event.object))
      } catch {
        close('destroy')
      }
    })
  } catch (err) {
    if (!(err instanceof ApiError)) throw err
    send('ERROR', err.toStatus())
    close('end')
    return
  }

  const timeoutSeconds = Number(req.query.get('timeoutSeconds') ?? 0)
  if (timeoutSeconds > 0) timers.push(setTimeout(() => close('end'), timeoutSeconds * 1000))
  if (opts.dropAfterMs > 0) timers.push(setTimeout(() => close('destroy'), opts.dropAfterMs))
}
