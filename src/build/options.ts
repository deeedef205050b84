// The build-and-push inputs, parsed and validated once. `parseBuildOptions` is pure: it reads
// inputs through `get` (core.getInput in the action, --flags in the CLI) and throws an
// InputError naming the input for the first bad value, before anything is built or pushed.

import { InputError } from '../input-error.js'
import { parseRepository, type Repository } from './reference.js'

export type BuilderChoice = 'auto' | 'docker' | 'buildah'

export interface RegistryCredentials {
  /** Empty means "the GitHub actor" (GHCR with a GITHUB_TOKEN), resolved at run time. */
  username: string
  /** Secret: never on a command line, in a log, an output or an error. */
  password: string
}

/** Where buildah keeps images; undefined fields keep buildah's own defaults. */
export interface BuildahStorage {
  driver?: string
  root?: string
  runroot?: string
}

export interface BuildOptions {
  /** `build-context`: the directory sent to the builder. */
  context: string
  /** `dockerfile`: undefined lets the builder pick (Dockerfile / Containerfile in the context). */
  dockerfile?: string
  /** `build-args`, in the order given. */
  buildArgs: Array<[name: string, value: string]>
  target?: string
  /** `platforms`, e.g. ['linux/amd64', 'linux/arm64']; empty builds for the host. */
  platforms: string[]
  builder: BuilderChoice
  /** From `image` (and `registry` when `image` has no registry host). */
  repository: Repository
  /** `tags`; empty means the short commit sha, resolved at run time from GITHUB_SHA. */
  tags: string[]
  /** `labels`, in the order given; they override the OCI labels from the GitHub context. */
  labels: Array<[name: string, value: string]>
  credentials?: RegistryCredentials
  /** `registry-insecure`: plain HTTP, for a registry on loopback. */
  insecure: boolean
  /** `cache-from` / `cache-to`: buildx cache specs (`type=registry,ref=...`) or plain refs. */
  cacheFrom: string[]
  cacheTo: string[]
  /** Not an input: lets tests and odd hosts point buildah at private storage. */
  buildahStorage?: BuildahStorage
}

/** A bad input value. The message starts with the input's name. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/
const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const STAGE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/

/** The build options, or undefined when `build-context` is empty (no build). */
export function parseBuildOptions(
  get: (name: string) => string | undefined
): BuildOptions | undefined {
  const read = (name: string) => {
    const value = get(name)?.trim()
    return value ? value : undefined
  }
  const context = read('build-context')
  if (context === undefined) return undefined

  const image = read('image')
  if (image === undefined) {
    throw InputError.of(
      'image',
      'required with build-context: the repository to push to, e.g. ghcr.io/acme/shop'
    )
  }
  let repository: Repository
  try {
    repository = parseRepository(image, read('registry'))
  } catch (e) {
    // A clash with `registry` is reported on `image`: the repository name is what is wrong.
    throw InputError.of('image', (e as Error).message)
  }

  return {
    context,
    dockerfile: read('dockerfile'),
    buildArgs: parsePairs('build-args', read('build-args'), ARG_NAME, 'a build argument name'),
    target: checked('target', read('target'), STAGE, 'a build stage name'),
    platforms: splitList(read('platforms'), /[\n,]/).map((p) => {
      if (!PLATFORM.test(p))
        throw InputError.of('platforms', `'${p}' is not os/arch[/variant], e.g. linux/amd64`)
      return p
    }),
    builder: parseBuilder(read('builder')),
    repository,
    tags: [...new Set(splitList(read('tags'), /[\n,\s]/))].map((t) => {
      if (!TAG.test(t))
        throw InputError.of(
          'tags',
          `'${t}' is not a valid tag (letters, digits, '_', '.', '-'; at most 128)`
        )
      return t
    }),
    labels: parsePairs('labels', read('labels'), /^[^\s=]+$/, 'a label key'),
    credentials: parseCredentials(repository.registry, read),
    insecure: parseBoolean('registry-insecure', read('registry-insecure')),
    cacheFrom: splitList(read('cache-from'), /\n/),
    cacheTo: splitList(read('cache-to'), /\n/)
  }
}

function splitList(value: string | undefined, separator: RegExp): string[] {
  return (value ?? '')
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

/** `KEY=VALUE` lines (values may hold commas and `=`, so only newlines separate entries). */
function parsePairs(
  input: string,
  value: string | undefined,
  key: RegExp,
  what: string
): Array<[string, string]> {
  return splitList(value, /\n/).map((line) => {
    const eq = line.indexOf('=')
    if (eq <= 0) throw InputError.of(input, `'${line}' is not KEY=VALUE`)
    const name = line.slice(0, eq).trim()
    if (!key.test(name)) throw InputError.of(input, `'${name}' is not ${what}`)
    return [name, line.slice(eq + 1)]
  })
}

function checked(
  input: string,
  value: string | undefined,
  pattern: RegExp,
  what: string
): string | undefined {
  if (value !== undefined && !pattern.test(value))
    throw InputError.of(input, `'${value}' is not ${what}`)
  return value
}

export function parseBuilder(value: string | undefined): BuilderChoice {
  const v = value ?? 'auto'
  if (v === 'auto' || v === 'docker' || v === 'buildah') return v
  throw InputError.of('builder', `'${v}' is not one of auto, docker, buildah`)
}

/** The YAML 1.2 core booleans, as core.getBooleanInput accepts them. */
function parseBoolean(input: string, value: string | undefined): boolean {
  if (value === undefined) return false
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw InputError.of(input, `'${value}' is not true or false`)
}

/**
 * Username and password go together. GHCR is the exception: with no password the workflow's
 * `github-token` is used, as docker/login-action's GHCR recipe does with GITHUB_TOKEN.
 */
function parseCredentials(
  registry: string,
  read: (name: string) => string | undefined
): RegistryCredentials | undefined {
  const username = read('registry-username')
  const password =
    read('registry-password') ?? (registry === 'ghcr.io' ? read('github-token') : undefined)
  if (password === undefined) {
    if (username !== undefined)
      throw InputError.of('registry-password', 'required with registry-username')
    return undefined
  }
  if (username === undefined && registry !== 'ghcr.io') {
    throw InputError.of('registry-username', `required with registry-password for ${registry}`)
  }
  return { username: username ?? '', password }
}
