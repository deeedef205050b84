// STAND-IN for Flux's kustomize-controller: its few API calls, over plain HTTP with a bearer
// token: read an object, the managedFields take-over (JSON patch), the server-side apply.

import { parse } from 'yaml'
import type { KObject } from '../store.js'
import { CONTROLLER } from './policy.js'

export interface KubeTarget {
  apiUrl: string
  token?: string
}

/** The server and token of a kubeconfig's current context (its content, not a path). */
export function targetFromKubeconfig(kubeconfig: string): KubeTarget {
  const kc = parse(kubeconfig) as any
  const context = kc.contexts?.find((c: any) => c.name === kc['current-context'])?.context
  const cluster = kc.clusters?.find((c: any) => c.name === context?.cluster)?.cluster
  const user = kc.users?.find((u: any) => u.name === context?.user)?.user
  if (!cluster?.server) throw new Error('the kubeconfig has no server for its current context')
  return { apiUrl: cluster.server, token: user?.token }
}

export class ApplyError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message)
  }
}

export class KubeWriter {
  constructor(private readonly target: KubeTarget) {}

  private async call(method: string, path: string, contentType?: string, body?: unknown) {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': `${CONTROLLER}/stand-in`
    }
    if (contentType) headers['Content-Type'] = contentType
    if (this.target.token) headers.Authorization = `Bearer ${this.target.token}`
    const res = await fetch(this.target.apiUrl.replace(/\/+$/, '') + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const json = (await res.json().catch(() => undefined)) as any
    return { status: res.status, json }
  }

  async get(path: string): Promise<KObject | undefined> {
    const res = await this.call('GET', path)
    if (res.status === 404) return undefined
    if (res.status !== 200)
      throw new ApplyError(`GET ${path}: ${res.json?.message ?? res.status}`, res.status)
    return res.json as KObject
  }

  async jsonPatch(path: string, ops: object[]): Promise<void> {
    const res = await this.call(
      'PATCH',
      `${path}?fieldManager=${CONTROLLER}`,
      'application/json-patch+json',
      ops
    )
    if (res.status !== 200)
      throw new ApplyError(`PATCH ${path}: ${res.json?.message ?? res.status}`, res.status)
  }

  /** Server-side apply with force, as Flux applies every object. */
  async apply(path: string, obj: KObject): Promise<KObject> {
    const res = await this.call(
      'PATCH',
      `${path}?fieldManager=${CONTROLLER}&force=true`,
      'application/apply-patch+yaml',
      obj
    )
    if (res.status !== 200 && res.status !== 201) {
      throw new ApplyError(`apply ${path}: ${res.json?.message ?? res.status}`, res.status)
    }
    return res.json as KObject
  }
}
