// The pipeline's I/O before its first write: the files each `manifest` line names (globs
// expanded under GITHUB_WORKSPACE; every file is still read through manifest/read-file.ts,
// which keeps it inside the workspace), each cluster's kubeconfig, and where a cluster's own
// copies of the files are (traffic-owner git: its `path`, its `branch`'s checkout).

import { glob, readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { KubeConfig } from '@kubernetes/client-node'
import { isGlob, type KubeconfigSource } from '../inputs/pipeline.js'
import type { BranchCheckouts } from '../gitops/branch-checkout.js'
import type { UnitFiles } from './plan.js'

/** Each manifest line → the files it names (a glob's sorted; a plain path as given). */
export async function expandManifests(
  lines: readonly string[],
  workspace: string | undefined
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  const cwd = workspace || process.cwd()
  for (const line of lines) {
    if (!isGlob(line)) {
      out.set(line, [line])
      continue
    }
    const files: string[] = []
    for await (const file of glob(line, { cwd })) files.push(file)
    out.set(line, files.sort())
  }
  return out
}

/**
 * A cluster's kubeconfig content (a secret): from the variable or file it names, else the
 * `kubeconfig` input; with `context`, that context made current. Errors name the cluster's
 * field, never the content.
 */
export async function clusterKubeconfig(
  source: KubeconfigSource,
  o: { where: string; base?: string; env: NodeJS.ProcessEnv; workspace?: string }
): Promise<string | undefined> {
  let content = o.base
  if (source.env) {
    content = o.env[source.env]
    if (!content?.trim())
      throw new Error(`${o.where}.kubeconfig-env: the variable ${source.env} is not set or empty`)
  } else if (source.file) {
    try {
      content = await readFile(resolve(o.workspace || process.cwd(), source.file), 'utf8')
    } catch (err) {
      throw new Error(
        `${o.where}.kubeconfig-file: cannot read "${source.file}" (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
        { cause: err }
      )
    }
  }
  if (!source.context) return content
  const kc = new KubeConfig()
  try {
    if (content?.trim()) kc.loadFromString(content)
    else kc.loadFromDefault()
  } catch {
    // Not the parser's message: it may quote the (secret) content.
    throw new Error(`${o.where}.context: the kubeconfig it picks from is not a valid kubeconfig`)
  }
  if (!kc.contexts.some((c) => c.name === source.context))
    throw new Error(
      `${o.where}.context: "${source.context}" is not a context of the kubeconfig (it has ${kc.contexts.map((c) => c.name).join(', ') || 'none'})`
    )
  kc.setCurrentContext(source.context)
  return kc.exportConfig()
}

/** A stage's cluster's kubeconfig content: its own source's, else the `kubeconfig` input. */
export function stageKubeconfig(
  cluster: { kubeconfig?: KubeconfigSource },
  o: { where: string; base?: string; env: NodeJS.ProcessEnv; workspace?: string }
): Promise<string | undefined> {
  return cluster.kubeconfig ? clusterKubeconfig(cluster.kubeconfig, o) : Promise.resolve(o.base)
}

/**
 * A cluster's own files, or undefined when it uses the workspace's: with `branch`, the
 * workspace as that branch's checkout has it (fetched now, so a missing branch stops the run
 * before any write); with `path`, that directory (of the branch's checkout, if any).
 */
export async function clusterFiles(
  cluster: { path?: string; branch?: string },
  o: { where: string; workspace: string; branches?: BranchCheckouts }
): Promise<UnitFiles | undefined> {
  if (!cluster.path && !cluster.branch) return undefined
  const to = cluster.branch && (await o.branches!.workspaceOn(cluster.branch, `${o.where}.branch`))
  const moved = to ? { from: o.workspace, to } : undefined
  return {
    ...(cluster.path ? { dir: resolve(to || o.workspace, cluster.path) } : {}),
    ...(moved ? { moved } : {})
  }
}
