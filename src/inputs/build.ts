// `image` and the build inputs that depend on the others: whether a build is asked for, and
// what `image` must then be. The build's own options (builder, build-args, platforms, ...)
// are build/options.ts's, parsed once every other input is good.

import { parseBuilder, parseImageRepository } from '../build/options.js'
import { imageReferenceProblem } from '../manifest/image-ref.js'
import type { Problems } from './fields.js'

const REGISTRY_HOST = /^([a-z]+:\/\/)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d+)?\/?$/

/** Whether `build-context` asks for a build; each problem found is added to `p`. */
export function checkImageAndBuild(
  p: Problems,
  raw: (name: string) => string,
  image: string | undefined
): boolean {
  // Checked without a build too: a misspelt builder is a mistake either way.
  p.from(() => parseBuilder(raw('builder') || undefined))
  const registry = raw('registry')
  if (registry && !REGISTRY_HOST.test(registry)) {
    p.add(
      'registry',
      registry,
      'is not a registry host; use host[:port], e.g. ghcr.io or 127.0.0.1:5000'
    )
  }
  if (raw('build-context')) {
    // The repository to push to: build/options.ts's one rule (no tag, no digest).
    p.from(() => parseImageRepository((name) => raw(name) || undefined))
    return true
  }
  const dockerfile = raw('dockerfile')
  if (dockerfile)
    p.add(
      'dockerfile',
      dockerfile,
      'is only used with build-context; set build-context to build an image'
    )
  const problem = image && imageReferenceProblem(image)
  if (image && problem)
    p.add(
      'image',
      image,
      `is not a valid image reference: it ${problem}; e.g. ghcr.io/acme/shop:1.2 or ghcr.io/acme/shop@sha256:<64 hex digits>`
    )
  return false
}
