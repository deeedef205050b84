// OpenAPI v3, just enough for `kubectl apply` with default validation: the index lists one
// document per group version (`serverRelativeURL`), and each document has the resources'
// paths with `x-kubernetes-group-version-kind`. kubectl looks for a PATCH operation of the
// object's kind with a `fieldValidation` query parameter; finding it, kubectl leaves
// validation to the server (fieldValidation=Strict). The PATCH request body lists no
// strategic-merge type, so client-side apply sends a JSON merge patch, as for real CRDs.
// Knative's v1 kinds publish their structural schema (schema/knative.ts), so `kubectl
// explain ksvc.spec.template` lists the fields the API server keeps; other kinds are open
// (`x-kubernetes-preserve-unknown-fields`). Validation stays the server's.

import { createHash } from 'node:crypto'
import type { ResourceType } from '../resources.js'
import type { EmulatorSettings } from '../settings.js'
import { groupVersions } from './routing.js'
import { schemaOf } from './field-validation.js'
import { openApiOf } from './schema/structural.js'

const PATCH_SCHEMA = '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch'

const queryParam = (name: string, description: string) => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string', uniqueItems: true }
})

const pathParam = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', uniqueItems: true }
})

function schemaName(type: ResourceType, version: string): string {
  const group = type.group ? type.group.split('.').reverse().join('.') : 'io.k8s.api.core'
  return `${group}.${version}.${type.kind}`
}

function operations(type: ResourceType, version: string) {
  const gvk = { group: type.group, version, kind: type.kind }
  const ref = { $ref: `#/components/schemas/${schemaName(type, version)}` }
  const json = { 'application/json': { schema: ref } }
  const ok = { '200': { description: 'OK', content: json } }
  const op = (action: string, verb: string, extra: object = {}) => ({
    operationId: `${verb}${type.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    responses: ok,
    ...extra
  })
  const writeParams = [
    queryParam('dryRun', 'When present, indicates that modifications should not be persisted.'),
    queryParam(
      'fieldManager',
      'A name associated with the actor or entity that is making these changes.'
    ),
    queryParam(
      'fieldValidation',
      'Ignore, Warn or Strict: how to handle unknown or duplicate fields.'
    )
  ]
  const patch = op('patch', 'patch', {
    parameters: [...writeParams, queryParam('force', 'Force is going to "force" Apply requests.')],
    requestBody: {
      content: Object.fromEntries(
        [
          'application/json-patch+json',
          'application/merge-patch+json',
          'application/apply-patch+yaml'
        ].map((t) => [t, { schema: { $ref: PATCH_SCHEMA } }])
      )
    }
  })
  const put = op('put', 'replace', { parameters: writeParams, requestBody: { content: json } })
  return {
    gvk,
    patch,
    put,
    get: op('get', 'read'),
    del: op('delete', 'delete'),
    list: op('list', 'list'),
    post: op('post', 'create', { parameters: writeParams, requestBody: { content: json } })
  }
}

function gvDocument(settings: EmulatorSettings, group: string, version: string) {
  const gv = groupVersions(settings).find((x) => x.group === group && x.version === version)!
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`
  const paths: Record<string, unknown> = {}
  const schemas: Record<string, unknown> = {
    'io.k8s.apimachinery.pkg.apis.meta.v1.Patch': {
      type: 'object',
      description:
        'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.'
    }
  }
  for (const type of gv.types) {
    const ops = operations(type, version)
    const collection = `${prefix}/namespaces/{namespace}/${type.plural}`
    const params = [pathParam('namespace')]
    const named = [pathParam('name'), pathParam('namespace')]
    const canWrite = type.verbs.includes('patch')
    paths[`${prefix}/${type.plural}`] = { get: ops.list }
    paths[collection] = {
      get: ops.list,
      ...(type.verbs.includes('create') ? { post: ops.post } : {}),
      parameters: params
    }
    paths[`${collection}/{name}`] = {
      get: ops.get,
      delete: ops.del,
      ...(canWrite ? { put: ops.put, patch: ops.patch } : {}),
      parameters: named
    }
    if (type.hasStatus && canWrite) {
      paths[`${collection}/{name}/status`] = {
        get: ops.get,
        put: ops.put,
        patch: ops.patch,
        parameters: named
      }
    }
    const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
    const structural = schemaOf(type, version)
    schemas[schemaName(type, version)] = {
      ...(structural
        ? openApiOf(structural)
        : {
            type: 'object',
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: open,
              spec: open,
              status: open
            }
          }),
      'x-kubernetes-group-version-kind': [ops.gvk]
    }
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas }
  }
}

const hashOf = (doc: unknown) =>
  createHash('sha256').update(JSON.stringify(doc)).digest('hex').slice(0, 32).toUpperCase()

/** The document for `/openapi/v3` or `/openapi/v3/<gv path>`, or undefined for a path not served. */
export function openapiV3(path: string, settings: EmulatorSettings): unknown {
  const docs = new Map<string, unknown>()
  for (const gv of groupVersions(settings)) {
    const key = gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`
    docs.set(key, gvDocument(settings, gv.group, gv.version))
  }
  if (path === '/openapi/v3') {
    const paths: Record<string, unknown> = {}
    for (const [key, doc] of docs)
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hashOf(doc)}` }
    return { paths }
  }
  return docs.get(path.replace(/^\/openapi\/v3\//, ''))
}
