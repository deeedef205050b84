// STAND-IN for Flux's kustomize-controller: what it applies from a source path. Without a
// kustomization.yaml, kustomize-controller generates one listing every YAML file under the
// path (recursively); here each file's documents are the objects, in path order. Pure.

import { parseAllDocuments } from 'yaml'
import { SERVING_GROUP } from '../resources.js'
import type { KObject } from '../store.js'

export interface SourceFile {
  path: string
  content: string
}

export const isManifestFile = (path: string) => /\.ya?ml$/i.test(path)

export function objectsOf(files: SourceFile[]): KObject[] {
  const out: KObject[] = []
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    for (const doc of parseAllDocuments(file.content)) {
      if (doc.errors.length > 0) throw new Error(`${file.path}: ${doc.errors[0].message}`)
      const value = doc.toJS() as unknown
      if (value === null || value === undefined) continue
      const obj = value as KObject
      if (typeof obj !== 'object' || !obj.apiVersion || !obj.kind || !obj.metadata?.name) {
        throw new Error(`${file.path}: a document without apiVersion, kind and metadata.name`)
      }
      out.push(obj)
    }
  }
  return out
}

const PLURALS: Record<string, string> = {
  Service: 'services',
  Configuration: 'configurations',
  Route: 'routes'
}

/** `/apis/serving.knative.dev/v1/namespaces/<ns>/services/<name>` for the kinds it can apply. */
export function objectPath(obj: KObject, namespace: string): string {
  const [group, version] = obj.apiVersion.split('/')
  const plural = PLURALS[obj.kind]
  if (group !== SERVING_GROUP || !version || !plural) {
    throw new Error(`${obj.apiVersion} ${obj.kind} is not a kind this stand-in applies`)
  }
  return `/apis/${group}/${version}/namespaces/${encodeURIComponent(namespace)}/${plural}/${encodeURIComponent(obj.metadata.name)}`
}
