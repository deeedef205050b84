// Small helpers for node:http: read a body, answer JSON, answer an error as a k8s Status.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { ApiError } from '../api-error.js'

const MAX_BODY = 3 * 1024 * 1024 // the API server's default request size limit

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readRawBody(req)).toString('utf8')
}

export async function readRawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY)
      throw new ApiError(413, 'RequestEntityTooLarge', 'the request body is too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  extraHeaders: Record<string, string | string[]> = {}
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...extraHeaders
  })
  res.end(text)
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain; charset=utf-8'
): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

/** Any thrown value becomes a Status: ApiErrors keep their code, the rest are 500s. */
export function sendError(res: ServerResponse, err: unknown): void {
  const error =
    err instanceof ApiError
      ? err
      : new ApiError(
          500,
          'InternalError',
          `Internal error occurred: ${String((err as Error)?.message ?? err)}`
        )
  if (res.headersSent) {
    res.destroy()
    return
  }
  const retry = error.details?.retryAfterSeconds
  sendJson(res, error.code, error.toStatus(), retry ? { 'Retry-After': String(retry) } : {})
}

/** Parse a JSON request body; a syntax error is the API server's 400. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw ApiError.badRequest(`error decoding request body: ${(err as Error).message}`)
  }
}

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
