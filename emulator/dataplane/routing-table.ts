// The ingress's routing table: Host header -> weighted revision split, built from what the
// Route controller published in `status.traffic` (never from spec), as Knative's
// Ingress generation does (docs/knative-semantics.md, "Traffic and tags").

import type { KObject } from '../store.js'

/** Where one host sends its requests. */
export interface HostTarget {
  namespace: string
  route: string
  /** The tag for a tag host, `DEFAULT` for the main host (queue-proxy's `route_tag`). */
  routeTag: string
  /** One entry per revision, percents consolidated; parallel to `cumulative`. */
  revisions: string[]
  cumulative: number[]
  total: number
}

interface StatusTarget {
  revisionName?: string
  percent?: number
  tag?: string
  url?: string
}

/** Every host a Route answers on, with its target. Later entries do not shadow earlier ones. */
export function routeHosts(route: KObject, domain: string): Map<string, HostTarget> {
  const hosts = new Map<string, HostTarget>()
  const namespace = route.metadata.namespace ?? 'default'
  const name = route.metadata.name
  const traffic: StatusTarget[] = Array.isArray(route.status?.traffic) ? route.status.traffic : []

  const main = splitTarget(
    namespace,
    name,
    'DEFAULT',
    traffic.filter((t) => t.revisionName && (t.percent ?? 0) > 0)
  )
  if (main) {
    for (const host of hostForms(name, namespace, domain, route.status?.url)) add(hosts, host, main)
  }

  // A tag host sends everything to its revision, even at 0%: that is how a candidate is
  // reached before it takes any of the main host's traffic.
  for (const t of traffic) {
    if (!t.tag || !t.revisionName) continue
    const target = splitTarget(namespace, name, t.tag, [
      { revisionName: t.revisionName, percent: 100 }
    ])
    for (const host of hostForms(`${t.tag}-${name}`, namespace, domain, t.url)) {
      add(hosts, host, target!)
    }
  }
  return hosts
}

/** Picks a revision for one request; `r` is a uniform draw on [0, 1). */
export function pickRevision(target: HostTarget, r: number): string {
  const x = r * target.total
  const { cumulative, revisions } = target
  for (let i = 0; i < cumulative.length; i++) if (x < cumulative[i]) return revisions[i]
  return revisions[revisions.length - 1]
}

/** The host a request asked for: lower case, port stripped (`[::1]:80` -> `[::1]`). */
export function requestHost(header: string | undefined): string {
  if (!header) return ''
  const host = header.toLowerCase()
  const colon = host.lastIndexOf(':')
  return colon > host.lastIndexOf(']') ? host.slice(0, colon) : host
}

function splitTarget(
  namespace: string,
  route: string,
  routeTag: string,
  entries: StatusTarget[]
): HostTarget | undefined {
  const percents = new Map<string, number>()
  for (const e of entries) {
    percents.set(e.revisionName!, (percents.get(e.revisionName!) ?? 0) + (e.percent ?? 0))
  }
  if (percents.size === 0) return undefined
  const revisions = [...percents.keys()]
  let running = 0
  const cumulative = revisions.map((r) => (running += percents.get(r)!))
  return { namespace, route, routeTag, revisions, cumulative, total: running }
}

/** `<name>.<ns>.<domain>` and the cluster-local forms a pod in the cluster could use. */
function hostForms(name: string, namespace: string, domain: string, url: unknown): string[] {
  const base = `${name}.${namespace}`.toLowerCase()
  const forms = [
    `${base}.${domain.toLowerCase()}`,
    `${base}.svc.cluster.local`,
    `${base}.svc`,
    base
  ]
  if (typeof url === 'string') {
    // The published URL wins for custom domains and cluster-local visibility.
    try {
      forms.push(new URL(url).hostname.toLowerCase())
    } catch {
      // a malformed status URL only loses its own host form
    }
  }
  return forms
}

function add(hosts: Map<string, HostTarget>, host: string, target: HostTarget): void {
  if (!hosts.has(host)) hosts.set(host, target)
}

/** All Routes' hosts, kept current from store events, rebuilt when the domain changes. */
export class RoutingTable {
  private readonly routes = new Map<string, KObject>()
  private readonly hostsByRoute = new Map<string, Map<string, HostTarget>>()
  private readonly hosts = new Map<string, HostTarget>()

  constructor(private domain: string) {}

  lookup(host: string): HostTarget | undefined {
    return this.hosts.get(host)
  }

  setRoute(route: KObject): void {
    const key = `${route.metadata.namespace}/${route.metadata.name}`
    this.unindex(key)
    this.routes.set(key, route)
    const hosts = routeHosts(route, this.domain)
    this.hostsByRoute.set(key, hosts)
    for (const [host, target] of hosts) if (!this.hosts.has(host)) this.hosts.set(host, target)
  }

  deleteRoute(namespace: string | undefined, name: string): void {
    const key = `${namespace}/${name}`
    this.unindex(key)
    this.routes.delete(key)
  }

  /** Called per request with the live setting: a string compare unless it changed. */
  useDomain(domain: string): void {
    if (domain === this.domain) return
    this.domain = domain
    const all = [...this.routes.values()]
    this.routes.clear()
    this.hostsByRoute.clear()
    this.hosts.clear()
    for (const route of all) this.setRoute(route)
  }

  /** Drops a Route's hosts; a host another Route also claims goes to that Route. */
  private unindex(key: string): void {
    const old = this.hostsByRoute.get(key)
    if (!old) return
    this.hostsByRoute.delete(key)
    for (const [host, target] of old) {
      if (this.hosts.get(host) !== target) continue
      this.hosts.delete(host)
      for (const other of this.hostsByRoute.values()) {
        const claim = other.get(host)
        if (claim) {
          this.hosts.set(host, claim)
          break
        }
      }
    }
  }
}
