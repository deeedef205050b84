// What a client of an older API version reads: the stored v1 object under its apiVersion.
// Knative's v1alpha1 ConvertDown kept the inline template / traffic shape.

import { SERVING_GROUP, type ResourceType } from '../resources.js'
import type { KObject } from '../store.js'

export function present(resource: ResourceType, version: string, stored: KObject): KObject {
  if (resource.group !== SERVING_GROUP || version === 'v1') return stored
  return { ...structuredClone(stored), apiVersion: `${SERVING_GROUP}/${version}` }
}
