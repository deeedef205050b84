// Kubernetes and Knative names, checked as the API server and Knative's webhook would check
// them, so a bad one fails before the lease is taken.

import { MAX_SERVICE_NAME } from '../manifest/names.js'
import type { Problems } from './fields.js'

export function checkServiceName(p: Problems, name: string): void {
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    p.add(
      'service',
      name,
      "is not a Knative Service name; use lowercase letters, digits and '-', starting with a letter and ending with a letter or digit (a DNS-1035 label)"
    )
  } else if (name.length > MAX_SERVICE_NAME) {
    p.add(
      'service',
      name,
      `has ${name.length} characters; at most ${MAX_SERVICE_NAME}, so the tag host "candidate-${name}" fits a 63-character DNS label`
    )
  }
}

export function checkRevisionName(p: Problems, name: string, service: string | undefined): void {
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) {
    p.add(
      'revision-name',
      name,
      "is not a revision name; use lowercase letters, digits and '-', starting with a letter, at most 63 characters (a DNS-1035 label)"
    )
  } else if (service && (!name.startsWith(`${service}-`) || name.length === service.length + 1)) {
    p.add(
      'revision-name',
      name,
      `must be "${service}-<suffix>": Knative requires a revision name to start with its Service's name and "-"`
    )
  }
}

export function checkNamespace(p: Problems, namespace: string): void {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace) || namespace.length > 63) {
    p.add(
      'namespace',
      namespace,
      "is not a namespace name; use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters (a DNS-1123 label)"
    )
  }
}
