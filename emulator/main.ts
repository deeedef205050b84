// `knative-emulator`: start the emulator, write its kubeconfig, print one JSON line
// `{"api", "ingress", "kubeconfig"}` when ready, and run until SIGINT / SIGTERM.

import { readFileSync, realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { startEmulator, type EmulatorOptions } from './emulator.js'
import { parseRbacPolicy } from './api/rbac.js'
import { parseKnativeVersion } from './knative-version.js'
import type { AutoscalingSettings } from './knative/autoscaler.js'

export const USAGE = `Usage: knative-emulator --kubeconfig PATH [options]

A local Knative Serving: a Kubernetes API server, a controller and an ingress on 127.0.0.1.
Prints {"api": URL, "ingress": URL, "kubeconfig": PATH} on one line when ready, and
runs until interrupted (SIGINT or SIGTERM).

Options:
  --kubeconfig PATH        where to write the kubeconfig (required; mode 0600)
  --port N                 API server port (default: a free one)
  --ingress-port N         ingress port (default: a free one)
  --domain D               domain of route hosts (default: example.com)
  --status-delay-ms N      how long the controller waits before writing status (default: 20)
  --serve-v1alpha1         also serve serving.knative.dev/v1alpha1
  --knative-version V      the Knative Serving release played: 1.18, 1.19, 1.20 or 1.21
                           (x.y means x.y.0; a patch may be given, e.g. 1.20.2); it
                           picks the queue-proxy metric names (default: 1.21)
  --no-scale-to-zero       keep every revision's pod: by default, as in Knative, a
                           revision with no request for the stable window plus the grace
                           period scales to zero unless its
                           autoscaling.knative.dev/min-scale keeps it, and the next
                           request pays a cold start (--scale-to-zero is accepted too)
  --stable-window-ms N     the autoscaler's stable window (default: 60000, Knative's)
  --grace-period-ms N      the scale-to-zero grace period (default: 30000, Knative's)
  --cold-start-ms N        that cold start (default: 1000)
  --tls                    serve the API over HTTPS with a self-signed certificate
                           (the kubeconfig carries it as certificate-authority-data)
  --rbac FILE              turn RBAC on: FILE (YAML/JSON) maps bearer tokens to
                           {user, rules: [{apiGroups, resources, verbs}]}; the
                           kubeconfig's own token stays an administrator
  -h, --help               show this help
`

export class UsageError extends Error {}

export type Cli =
  { help: true } | { help: false; options: EmulatorOptions & { kubeconfigPath: string } }

function integer(flag: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || Number(value) > max) {
    throw new UsageError(`--${flag} must be a whole number from 0 to ${max}, got "${value}"`)
  }
  return Number(value)
}

/** The autoscaler flags; what is not given keeps Knative's default (autoscaler.ts). */
function autoscalingFlags(
  values: Record<string, string | boolean | undefined>
): Partial<AutoscalingSettings> {
  if (values['scale-to-zero'] && values['no-scale-to-zero']) {
    throw new UsageError('--scale-to-zero and --no-scale-to-zero contradict each other')
  }
  const ms = (flag: string, key: keyof AutoscalingSettings, max: number) => {
    const value = integer(flag, values[flag] as string | undefined, max)
    return value === undefined ? {} : { [key]: value }
  }
  return {
    ...(values['no-scale-to-zero'] ? { scaleToZero: false } : {}),
    ...ms('stable-window-ms', 'stableWindowMs', 3_600_000),
    ...ms('grace-period-ms', 'gracePeriodMs', 3_600_000),
    ...ms('cold-start-ms', 'coldStartMs', 600_000)
  }
}

export function parseCli(argv: string[]): Cli {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        kubeconfig: { type: 'string' },
        port: { type: 'string' },
        'ingress-port': { type: 'string' },
        domain: { type: 'string' },
        'status-delay-ms': { type: 'string' },
        'serve-v1alpha1': { type: 'boolean' },
        'knative-version': { type: 'string' },
        'scale-to-zero': { type: 'boolean' },
        'no-scale-to-zero': { type: 'boolean' },
        'stable-window-ms': { type: 'string' },
        'grace-period-ms': { type: 'string' },
        'cold-start-ms': { type: 'string' },
        tls: { type: 'boolean' },
        rbac: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    }))
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  if (values.help) return { help: true }
  const kubeconfigPath = values.kubeconfig as string | undefined
  if (!kubeconfigPath) throw new UsageError('--kubeconfig PATH is required')
  const domain = values.domain as string | undefined
  if (
    domain !== undefined &&
    !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(domain)
  ) {
    throw new UsageError(`--domain must be a DNS name such as example.com, got "${domain}"`)
  }
  const knativeVersion = values['knative-version'] as string | undefined
  if (knativeVersion !== undefined) {
    try {
      parseKnativeVersion(knativeVersion)
    } catch (err) {
      throw new UsageError(`--knative-version: ${(err as Error).message}`)
    }
  }
  const rbacFile = values.rbac as string | undefined
  let rbac: EmulatorOptions['rbac']
  if (rbacFile !== undefined) {
    try {
      rbac = parseRbacPolicy(readFileSync(rbacFile, 'utf8'))
    } catch (err) {
      throw new UsageError(`--rbac ${rbacFile}: ${(err as Error).message}`)
    }
  }
  return {
    help: false,
    options: {
      kubeconfigPath,
      port: integer('port', values.port as string | undefined, 65535),
      ingressPort: integer('ingress-port', values['ingress-port'] as string | undefined, 65535),
      domain,
      statusDelayMs: integer(
        'status-delay-ms',
        values['status-delay-ms'] as string | undefined,
        3_600_000
      ),
      serveV1alpha1: Boolean(values['serve-v1alpha1']),
      knativeVersion,
      autoscaling: autoscalingFlags(values),
      tls: Boolean(values.tls),
      rbac
    }
  }
}

/** Runs the CLI; resolves with the exit status once the emulator has stopped. */
export async function main(argv: string[]): Promise<number> {
  let cli: Cli
  try {
    cli = parseCli(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`knative-emulator: ${err.message}\n\n${USAGE}`)
    return 2
  }
  if (cli.help) {
    process.stdout.write(USAGE)
    return 0
  }
  const emulator = await startEmulator(cli.options)
  process.stdout.write(
    JSON.stringify({
      api: emulator.apiUrl,
      ingress: emulator.ingressUrl,
      kubeconfig: emulator.kubeconfigPath
    }) + '\n'
  )
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await emulator.stop()
  return 0
}

const invokedDirectly = (() => {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? '')).href
  } catch {
    return false
  }
})()

if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`knative-emulator: ${(err as Error).message}\n`)
      process.exit(1)
    }
  )
}
