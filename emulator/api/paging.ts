// List paging (`limit` / `continue`) as the API server pages from etcd: a page is the
// next `limit` objects in key order (`<namespace>/<name>`) after the token's start key,
// all pages are read at the first page's resourceVersion (one consistent list), and the
// token is base64 JSON `{"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}`. Pure; the
// store's history supplies the objects as of `rv`. docs/knative-semantics.md ("Lists").

import { ApiError } from '../api-error.js'
import type { KObject } from '../store.js'

export interface ContinueToken {
  rv: number
  /** The first key of the next page. */
  start: string
}

export interface PageRequest {
  /** 0 or absent: no limit. */
  limit: number
  token?: ContinueToken
}

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start })
  ).toString('base64')
}

const badToken = (why: string) => ApiError.badRequest(`invalid continue token: ${why}`)

export function decodeContinue(text: string): ContinueToken {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64').toString('utf8'))
  } catch {
    throw badToken('continue key is not valid: the token is not base64 JSON')
  }
  const t = parsed as { v?: unknown; rv?: unknown; start?: unknown }
  if (t?.v !== 'meta.k8s.io/v1')
    throw badToken(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'
    )
  // -1: the inconsistent continuation a 410 hands out (the rest, read at the newest version).
  if (typeof t.rv !== 'number' || !Number.isInteger(t.rv) || (t.rv <= 0 && t.rv !== -1))
    throw badToken(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'
    )
  if (
    typeof t.start !== 'string' ||
    t.start === '' ||
    t.start.includes('..') ||
    t.start.startsWith('/')
  )
    throw badToken('continue key is not valid: the start key is not valid')
  return { rv: t.rv, start: t.start }
}

/** `limit` and `continue` from a list query; 400 for values the API server refuses. */
export function pageRequestOf(query: URLSearchParams): PageRequest {
  const limitText = query.get('limit')
  let limit = 0
  if (limitText !== null && limitText !== '') {
    limit = Number(limitText)
    if (!Number.isInteger(limit) || limit < 0) {
      throw ApiError.badRequest(`strconv.ParseInt: parsing "${limitText}": invalid syntax`)
    }
  }
  const text = query.get('continue')
  if (!text) return { limit }
  const rv = query.get('resourceVersion')
  if (rv && rv !== '0')
    throw ApiError.badRequest('specifying resource version is not allowed when using continue')
  return { limit, token: decodeContinue(text) }
}

export const keyOfObject = (obj: KObject) => `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`

export interface Page {
  items: KObject[]
  /** The token for the next page, when there is one. */
  continue?: string
  /** How many objects follow this page (only for an unfiltered list, as the API server). */
  remainingItemCount?: number
}

/**
 * One page of `objects` (sorted by key, already filtered by `keep`) at `rv`.
 * `filtered`: a selector was given, so the remaining count is not known to the server.
 */
export function pageOf(
  objects: KObject[],
  request: PageRequest,
  rv: number,
  filtered: boolean
): Page {
  const start = request.token?.start
  const after = start === undefined ? objects : objects.filter((o) => keyOfObject(o) >= start)
  if (!request.limit || after.length <= request.limit) return { items: after }
  const items = after.slice(0, request.limit)
  const last = keyOfObject(items[items.length - 1])
  return {
    items,
    continue: encodeContinue({ rv, start: `${last}\u0000` }),
    ...(filtered ? {} : { remainingItemCount: after.length - items.length })
  }
}

/** The 410 for a token whose resourceVersion has been compacted away. */
export function expiredToken(rv: number, startKey: string): ApiError {
  return new ApiError(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
    undefined,
    { continue: encodeContinue({ rv: -1, start: startKey }) }
  )
}
