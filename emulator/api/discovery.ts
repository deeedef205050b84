// Legacy (non-aggregated) discovery: /api, /api/v1, /apis, /apis/<g>, /apis/<g>/<v>, and
// /version. kubectl asks for aggregated discovery first and falls back to these when the
// answer is plain application/json.

import type { EmulatorSettings } from '../settings.js'
import { groupVersions } from './routing.js'

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-knative-emulator',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64'
}

/** The namespace pseudo-resource: served for kubectl, backed by the namespaces objects use. */
const NAMESPACES = {
  name: 'namespaces',
  singularName: 'namespace',
  namespaced: false,
  kind: 'Namespace',
  verbs: ['create', 'get', 'list'],
  shortNames: ['ns']
}

function resourceList(settings: EmulatorSettings, group: string, version: string) {
  const gv = groupVersions(settings).find((x) => x.group === group && x.version === version)
  if (!gv) return undefined
  const resources: unknown[] = group === '' ? [NAMESPACES] : []
  for (const t of gv.types) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      shortNames: t.shortNames,
      categories: t.categories
    })
    if (t.hasStatus) {
      resources.push({
        name: `${t.plural}/status`,
        singularName: '',
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ['get', 'patch', 'update']
      })
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources
  }
}

function apiGroup(settings: EmulatorSettings, group: string) {
  const versions = groupVersions(settings)
    .filter((gv) => gv.group === group)
    .map((gv) => ({ groupVersion: `${group}/${gv.version}`, version: gv.version }))
  if (versions.length === 0) return undefined
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: group,
    versions,
    preferredVersion: versions[0]
  }
}

/** The discovery document for `path`, or undefined when `path` is not a discovery path. */
export function discovery(path: string, settings: EmulatorSettings, host: string): unknown {
  if (path === '/version') return SERVER_VERSION
  if (path === '/api') {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }]
    }
  }
  if (path === '/api/v1') return resourceList(settings, '', 'v1')
  if (path === '/apis') {
    const groups = [
      ...new Set(
        groupVersions(settings)
          .map((gv) => gv.group)
          .filter(Boolean)
      )
    ]
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups.map((g) => apiGroup(settings, g))
    }
  }
  const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path)
  if (m) return m[2] ? resourceList(settings, m[1], m[2]) : apiGroup(settings, m[1])
  return undefined
}
