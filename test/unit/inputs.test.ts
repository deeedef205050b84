import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import {
  INPUTS,
  INPUT_NAMES,
  InputError,
  MAX_DURATION_MS,
  SECRET_INPUTS,
  parseInputs,
  readActionInputs,
  secretValues,
  timeoutProblem,
  type Inputs
} from '../../src/inputs.js'
import { parseMetricChecks } from '../../src/analysis/metric-checks.js'
import { parseWebhooks } from '../../src/analysis/webhooks.js'

const BASE = { service: 'shop', image: 'ghcr.io/acme/shop:1.0' }
const reader = (values: Record<string, string | undefined>) => (name: string) => values[name]
const parseWith = (over: Record<string, string | undefined>, base: Record<string, string> = BASE) =>
  parseInputs(reader({ ...base, ...over }))

function problemsOf(fn: () => unknown): string[] {
  try {
    fn()
  } catch (e) {
    if (e instanceof InputError) return e.problems
    throw e
  }
  throw new Error('expected an InputError')
}

const METRICS = '- name: request-success-rate\n  thresholdRange: { min: 99 }'
const WEBHOOKS = '- name: load-test\n  type: rollout\n  url: http://127.0.0.1:8080/'
const DIGEST = 'sha256:' + 'ab'.repeat(32)

describe('parseInputs: the defaults', () => {
  test('an image and a service give the documented defaults', () => {
    expect(parseWith({})).toEqual<Inputs>({
      command: 'rollout',
      service: 'shop',
      namespace: 'default',
      manifest: undefined,
      image: 'ghcr.io/acme/shop:1.0',
      build: undefined,
      revisionName: undefined,
      steps: [10, 25, 50, 100],
      stepIntervalMs: 60_000,
      pauseAt: undefined,
      probe: { path: '/', rps: 10, ingressAddress: undefined },
      thresholds: {
        minSuccessRate: 0.99,
        maxLatencyP99Ms: 1000,
        minRequests: 20,
        failureThreshold: 1
      },
      prometheusUrl: undefined,
      metrics: [],
      webhooks: [],
      kubeconfig: undefined,
      tlsInsecure: false,
      githubToken: undefined,
      environment: undefined,
      timeoutMs: 1_800_000,
      dryRun: false,
      waitForLock: false,
      force: false,
      allowOutsideWorkspace: false,
      gitops: {
        trafficOwner: 'action',
        writeBack: 'none',
        branch: undefined,
        author: {
          name: 'knative-rollout[bot]',
          email: 'knative-rollout[bot]@users.noreply.github.com'
        },
        syncTimeoutMs: 300_000,
        check: 'refuse'
      },
      pipeline: {
        manifests: [],
        services: ['shop'],
        maxParallel: 10,
        failFast: false,
        waves: undefined,
        wave: undefined
      }
    })
  })
})

describe('parseInputs: good values', () => {
  test.each<[string, Record<string, string | undefined>, Partial<Inputs>]>([
    [
      'a manifest alone (the service comes from it)',
      { service: undefined, image: undefined, manifest: 'k8s/service.yaml' },
      { manifest: 'k8s/service.yaml', service: undefined, image: undefined }
    ],
    ['step-interval in seconds', { 'step-interval': '30s' }, { stepIntervalMs: 30_000 }],
    [
      'traffic-owner git with a manifest, a branch, an author and a sync-timeout',
      {
        'traffic-owner': 'git',
        manifest: 'deploy/shop.yaml',
        'git-branch': 'deploy/production',
        'git-author': 'Deploy Bot <deploy@example.com>',
        'sync-timeout': '90s'
      },
      {
        manifest: 'deploy/shop.yaml',
        gitops: {
          trafficOwner: 'git',
          writeBack: 'none',
          branch: 'deploy/production',
          author: { name: 'Deploy Bot', email: 'deploy@example.com' },
          syncTimeoutMs: 90_000,
          check: 'refuse'
        }
      }
    ],
    [
      'write-back pull-request with gitops-check warn',
      { 'write-back': 'pull-request', 'gitops-check': 'warn', manifest: 'k8s/shop.yaml' },
      {
        manifest: 'k8s/shop.yaml',
        gitops: expect.objectContaining({ writeBack: 'pull-request', check: 'warn' })
      }
    ],
    ['step-interval in ms', { 'step-interval': '1500ms' }, { stepIntervalMs: 1_500 }],
    [
      'step-interval with hours and minutes',
      { 'step-interval': '1h30m', timeout: '14h' },
      { stepIntervalMs: 5_400_000, timeoutMs: 50_400_000 }
    ],
    ['step-interval with a fraction', { 'step-interval': '1.5m' }, { stepIntervalMs: 90_000 }],
    ['steps with spaces', { steps: '5, 20, 100' }, { steps: [5, 20, 100] }],
    [
      'a single step of 100 (straight to promotion after one analysis)',
      { steps: '100' },
      { steps: [100] }
    ],
    ['pause-at one of the steps', { 'pause-at': '50' }, { pauseAt: 50 }],
    [
      'pause-at outside the steps with a manifest (its release may add the step; run.ts checks)',
      { manifest: 'k8s/release.yaml', 'pause-at': '20' },
      { pauseAt: 20 }
    ],
    [
      'min-success-rate as a percent',
      { 'min-success-rate': '99.5%' },
      {
        thresholds: {
          minSuccessRate: 0.995,
          maxLatencyP99Ms: 1000,
          minRequests: 20,
          failureThreshold: 1
        }
      }
    ],
    [
      'min-success-rate of 1',
      { 'min-success-rate': '1' },
      {
        thresholds: {
          minSuccessRate: 1,
          maxLatencyP99Ms: 1000,
          minRequests: 20,
          failureThreshold: 1
        }
      }
    ],
    [
      'max-latency-p99 in seconds, min-requests 0, failure-threshold 3',
      { 'max-latency-p99': '2s', 'min-requests': '0', 'failure-threshold': '3' },
      {
        thresholds: {
          minSuccessRate: 0.99,
          maxLatencyP99Ms: 2000,
          minRequests: 0,
          failureThreshold: 3
        }
      }
    ],
    [
      'booleans in YAML 1.2 core spellings',
      { 'dry-run': 'True', 'wait-for-lock': 'TRUE', 'tls-insecure': 'FALSE' },
      { dryRun: true, waitForLock: true, tlsInsecure: false }
    ],
    ['a job-key: a matrix leg', { 'job-key': 'eu-west.1_b' }, { jobKey: 'eu-west.1_b' }],
    ['a job-key of the longest length', { 'job-key': '7'.repeat(64) }, { jobKey: '7'.repeat(64) }],
    [
      'surrounding spaces are trimmed',
      { namespace: '  prod  ', 'dry-run': ' true ' },
      { namespace: 'prod', dryRun: true }
    ],
    [
      'an empty value takes the default',
      { steps: '', namespace: '' },
      { steps: [10, 25, 50, 100], namespace: 'default' }
    ],
    [
      'a revision name with the service prefix',
      { 'revision-name': 'shop-abc1234' },
      { revisionName: 'shop-abc1234' }
    ],
    [
      'an image by digest',
      { image: `ghcr.io/acme/shop@${DIGEST}` },
      { image: `ghcr.io/acme/shop@${DIGEST}` }
    ],
    [
      'an image on a loopback registry with a port',
      { image: '127.0.0.1:5000/shop:v2' },
      { image: '127.0.0.1:5000/shop:v2' }
    ],
    ['a Docker Hub short name', { image: 'nginx' }, { image: 'nginx' }],
    [
      'ingress-address and probe settings',
      { 'ingress-address': 'http://127.0.0.1:31080', 'probe-path': '/healthz', 'probe-rps': '2.5' },
      { probe: { path: '/healthz', rps: 2.5, ingressAddress: 'http://127.0.0.1:31080' } }
    ],
    [
      'prometheus-url with a path prefix, and metrics',
      { 'prometheus-url': 'https://example.test/prometheus', metrics: METRICS },
      { prometheusUrl: 'https://example.test/prometheus', metrics: parseMetricChecks(METRICS) }
    ],
    ["webhooks in Flagger's shape", { webhooks: WEBHOOKS }, { webhooks: parseWebhooks(WEBHOOKS) }],
    [
      'probe-rps 0 is fine with prometheus-url',
      { 'probe-rps': '0', 'prometheus-url': 'http://127.0.0.1:9090' },
      { probe: { path: '/', rps: 0, ingressAddress: undefined } }
    ],
    [
      'promote needs only the service',
      { command: 'promote', image: undefined },
      { command: 'promote', service: 'shop' }
    ],
    [
      'status can take the name from a manifest',
      { command: 'status', service: undefined, image: undefined, manifest: 'svc.yaml' },
      { command: 'status', service: undefined }
    ],
    [
      'abort ignores a steps list that would only matter for rollout',
      { command: 'abort', image: undefined },
      { command: 'abort' }
    ],
    [
      'a 53-character service name (the longest whose tag host fits)',
      { service: 'a'.repeat(53), image: 'x' },
      { service: 'a'.repeat(53) }
    ],
    [
      'a timeout that covers the walk up to the pause (2 steps, each up to 3 intervals)',
      { 'step-interval': '10m', timeout: '1h', 'pause-at': '25' },
      { timeoutMs: 3_600_000, pauseAt: 25 }
    ],
    [
      'secrets pass through untouched',
      {
        kubeconfig: 'apiVersion: v1\nkind: Config',
        'github-token': 'ghs_x',
        environment: 'production'
      },
      {
        kubeconfig: 'apiVersion: v1\nkind: Config',
        githubToken: 'ghs_x',
        environment: 'production'
      }
    ]
  ])('%s', (_name, over, expected) => {
    expect(parseWith(over)).toMatchObject(expected)
  })

  test('build-context makes a build from image (the repository) and the registry inputs', () => {
    const inputs = parseWith({
      'build-context': '.',
      image: 'ghcr.io/acme/shop',
      dockerfile: 'docker/Dockerfile',
      builder: 'buildah',
      registry: 'ghcr.io',
      'registry-username': 'octocat',
      'registry-password': 'p4ss',
      'registry-insecure': 'true'
    })
    // Parsed once, into what the build uses (build/options.ts).
    expect(inputs.build).toEqual(
      expect.objectContaining({
        context: '.',
        dockerfile: 'docker/Dockerfile',
        builder: 'buildah',
        repository: expect.objectContaining({ registry: 'ghcr.io', path: 'acme/shop' }),
        credentials: { username: 'octocat', password: 'p4ss' },
        insecure: true
      })
    )
  })

  test('the github-token default is a runner expression: outside a runner it is no token', () => {
    expect(parseWith({ 'github-token': undefined }).githubToken).toBeUndefined()
  })
})

describe('parseInputs: bad values name the input, the fault and what is allowed', () => {
  test.each<[string, Record<string, string | undefined>, string[]]>([
    [
      'an unknown traffic-owner',
      { 'traffic-owner': 'flux' },
      ['traffic-owner: "flux" must be one of action, git']
    ],
    [
      'an unknown write-back',
      { 'write-back': 'push' },
      ['write-back: "push" must be one of none, commit, pull-request']
    ],
    [
      'an unknown gitops-check',
      { 'gitops-check': 'ignore' },
      ['gitops-check: "ignore" must be one of refuse, warn, off']
    ],
    [
      'traffic-owner git without a manifest',
      { 'traffic-owner': 'git' },
      [
        'manifest: the manifest file in the repository is what traffic-owner: git commits; give its path'
      ]
    ],
    [
      'write-back with traffic-owner git',
      { 'traffic-owner': 'git', 'write-back': 'commit', manifest: 'k8s/shop.yaml' },
      [
        'write-back: "commit" applies to traffic-owner: action; with traffic-owner: git every step is already a commit'
      ]
    ],
    [
      'a git-branch git refuses',
      { 'git-branch': 'deploy..prod' },
      [
        'git-branch: "deploy..prod" is not a branch name git accepts, e.g. main or deploy/production'
      ]
    ],
    [
      'a git-author without an email',
      { 'git-author': 'Deploy Bot' },
      ['git-author: "Deploy Bot" must be "Name <email>", e.g. "Deploy Bot <deploy@example.com>"']
    ],
    [
      'a sync-timeout that is not a duration',
      { 'sync-timeout': 'soon' },
      [
        'sync-timeout: "soon" is not a duration: it cannot read "soon" (use a number and a unit: ms, s, m or h); e.g. 30s, 2m, 1h30m, 1500ms'
      ]
    ],
    [
      'an unknown command',
      { command: 'deploy' },
      ['command: "deploy" is not a command; use one of rollout, promote, abort, status, preview']
    ],
    [
      'steps not increasing',
      { steps: '10,5,100' },
      [
        'steps: "10,5,100" must be strictly increasing percents ending at 100 (5 comes after 10), e.g. 10,25,50,100'
      ]
    ],
    [
      'steps repeating a percent',
      { steps: '10,10,100' },
      [
        'steps: "10,10,100" must be strictly increasing percents ending at 100 (10 comes after 10), e.g. 10,25,50,100'
      ]
    ],
    [
      'steps not ending at 100',
      { steps: '10,50' },
      [
        'steps: "10,50" must be strictly increasing percents ending at 100 (the last is 50; a rollout ends promoted at 100, use pause-at to stop earlier), e.g. 10,25,50,100'
      ]
    ],
    [
      'a step of 0',
      { steps: '0,50,100' },
      [
        'steps: "0,50,100" must be strictly increasing percents ending at 100 (0 is outside 1..100), e.g. 10,25,50,100'
      ]
    ],
    [
      'a step above 100',
      { steps: '50,150' },
      [
        'steps: "50,150" must be strictly increasing percents ending at 100 (150 is outside 1..100), e.g. 10,25,50,100'
      ]
    ],
    [
      'a step that is not a number',
      { steps: '10,x,100' },
      [
        'steps: "10,x,100" must be strictly increasing percents ending at 100 ("x" is not a whole number), e.g. 10,25,50,100'
      ]
    ],
    [
      'a fractional step',
      { steps: '12.5,100' },
      [
        'steps: "12.5,100" must be strictly increasing percents ending at 100 ("12.5" is not a whole number), e.g. 10,25,50,100'
      ]
    ],
    [
      'a negative duration',
      { 'step-interval': '-1s' },
      ['step-interval: "-1s" is not a duration: it is negative; e.g. 30s, 2m, 1h30m, 1500ms']
    ],
    [
      'an unknown duration unit',
      { 'step-interval': '10x' },
      [
        'step-interval: "10x" is not a duration: it cannot read "10x" (use a number and a unit: ms, s, m or h); e.g. 30s, 2m, 1h30m, 1500ms'
      ]
    ],
    [
      'a duration without a unit',
      { 'step-interval': '30' },
      [
        'step-interval: "30" is not a duration: it has no unit after 30 (use ms, s, m or h); e.g. 30s, 2m, 1h30m, 1500ms'
      ]
    ],
    [
      'a zero step-interval',
      { 'step-interval': '0s' },
      ['step-interval: "0s" must be longer than 0, e.g. 30s']
    ],
    [
      'a bad timeout',
      { timeout: 'soon' },
      [
        'timeout: "soon" is not a duration: it cannot read "soon" (use a number and a unit: ms, s, m or h); e.g. 30s, 2m, 1h30m, 1500ms'
      ]
    ],
    [
      'a timeout shorter than the analysis',
      { 'step-interval': '10m' },
      [
        'timeout: "30m" is shorter than the analysis alone can take (3 analysed steps × 10m to 30m each = up to 1h30m; a step in doubt is extended up to 3 intervals); raise timeout or shorten step-interval'
      ]
    ],
    [
      'pause-at not among the steps',
      { 'pause-at': '30' },
      [
        'pause-at: "30" is not one of the steps (10,25,50,100); the rollout can only pause at a step'
      ]
    ],
    [
      'a bad build option, checked with the rest (build/options.ts)',
      { 'build-context': '.', image: 'ghcr.io/acme/shop', platforms: 'amd64' },
      ["platforms: 'amd64' is not os/arch[/variant], e.g. linux/amd64"]
    ],
    [
      'pause-at 100 (that is promotion)',
      { 'pause-at': '100' },
      ['pause-at: "100" must be a whole percent from 1 to 99, one of the steps']
    ],
    [
      'min-success-rate as a bare percent',
      { 'min-success-rate': '99' },
      ['min-success-rate: "99" must be a share from 0 to 1 (e.g. 0.99) or a percent (e.g. 99%)']
    ],
    [
      'min-success-rate above 100%',
      { 'min-success-rate': '101%' },
      ['min-success-rate: "101%" must be a share from 0 to 1 (e.g. 0.99) or a percent (e.g. 99%)']
    ],
    [
      'a negative min-requests',
      { 'min-requests': '-1' },
      ['min-requests: "-1" must be a whole number ≥ 0']
    ],
    [
      'a fractional min-requests',
      { 'min-requests': '2.5' },
      ['min-requests: "2.5" must be a whole number ≥ 0']
    ],
    [
      'a failure-threshold of 0',
      { 'failure-threshold': '0' },
      ['failure-threshold: "0" must be a whole number ≥ 1']
    ],
    [
      'max-latency-p99 without a unit',
      { 'max-latency-p99': '500' },
      [
        'max-latency-p99: "500" is not a duration: it has no unit after 500 (use ms, s, m or h); e.g. 30s, 2m, 1h30m, 1500ms'
      ]
    ],
    [
      'probe-rps not a number',
      { 'probe-rps': 'lots' },
      [
        'probe-rps: "lots" must be a number of requests per second from 0 to 1000 (0 turns synthetic probes off)'
      ]
    ],
    [
      'probe-rps too high',
      { 'probe-rps': '5000' },
      [
        'probe-rps: "5000" must be a number of requests per second from 0 to 1000 (0 turns synthetic probes off)'
      ]
    ],
    [
      'probe-rps 0 without prometheus',
      { 'probe-rps': '0' },
      [
        'probe-rps: 0 turns synthetic probes off, which leaves the judge nothing to measure without prometheus-url'
      ]
    ],
    [
      'probe-path without a slash',
      { 'probe-path': 'healthz' },
      [
        'probe-path: "healthz" must be a URL path starting with "/" and without spaces, e.g. /healthz'
      ]
    ],
    [
      'a boolean spelled yes',
      { 'dry-run': 'yes' },
      ['dry-run: "yes" is not a boolean; use true or false']
    ],
    [
      'a job-key with a space',
      { 'job-key': 'eu west' },
      [
        `job-key: "eu west" may hold only letters, digits, '.', '_' and '-' (e.g. \${{ matrix.cluster }} or \${{ strategy.job-index }})`
      ]
    ],
    [
      'a job-key with the brackets that frame it in the lease holder',
      { 'job-key': 'eu]/jobs/x[' },
      [
        `job-key: "eu]/jobs/x[" may hold only letters, digits, '.', '_' and '-' (e.g. \${{ matrix.cluster }} or \${{ strategy.job-index }})`
      ]
    ],
    [
      'a job-key too long for the lease holder',
      { 'job-key': 'k'.repeat(65) },
      ['job-key: has 65 characters; at most 64 (e.g. ${{ strategy.job-index }})']
    ],
    [
      'a boolean spelled 1',
      { 'wait-for-lock': '1' },
      ['wait-for-lock: "1" is not a boolean; use true or false']
    ],
    [
      'a service name with capitals',
      { service: 'Shop_1' },
      [
        'service: "Shop_1" is not a Knative Service name; use lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit (a DNS-1035 label)'
      ]
    ],
    [
      'a service name starting with a digit',
      { service: '1shop' },
      [
        'service: "1shop" is not a Knative Service name; use lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit (a DNS-1035 label)'
      ]
    ],
    [
      'a service name too long for its tag host',
      { service: 'a'.repeat(54) },
      [
        `service: "${'a'.repeat(54)}" has 54 characters; at most 53, so the tag host "candidate-${'a'.repeat(54)}" fits a 63-character DNS label`
      ]
    ],
    [
      'a namespace with capitals',
      { namespace: 'My_NS' },
      [
        'namespace: "My_NS" is not a namespace name; use lowercase letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters (a DNS-1123 label)'
      ]
    ],
    [
      'a revision name without the service prefix',
      { 'revision-name': 'v2' },
      [
        'revision-name: "v2" must be "shop-<suffix>": Knative requires a revision name to start with its Service\'s name and "-"'
      ]
    ],
    [
      'a revision name with capitals',
      { 'revision-name': 'shop-V2' },
      [
        'revision-name: "shop-V2" is not a revision name; use lowercase letters, digits and \'-\', starting with a letter, at most 63 characters (a DNS-1035 label)'
      ]
    ],
    [
      'ingress-address not a URL',
      { 'ingress-address': '31080' },
      ['ingress-address: "31080" must be an http(s) URL, e.g. http://127.0.0.1:31080']
    ],
    [
      'ingress-address with a path',
      { 'ingress-address': 'http://127.0.0.1:31080/shop' },
      [
        'ingress-address: "http://127.0.0.1:31080/shop" must be scheme://host[:port] only (the Host header picks the Service), e.g. http://127.0.0.1:31080'
      ]
    ],
    [
      'prometheus-url with another scheme',
      { 'prometheus-url': 'ftp://prom:9090' },
      [
        'prometheus-url: "ftp://prom:9090" must be an http(s) URL, e.g. http://prometheus.monitoring:9090'
      ]
    ],
    [
      'prometheus-url with credentials (not echoed)',
      { 'prometheus-url': 'http://admin:hunter2@prom:9090' },
      [
        'prometheus-url: must not carry credentials in the URL (they would reach logs); drop the user:password@ part'
      ]
    ],
    [
      'metrics without prometheus-url',
      { metrics: METRICS },
      ['metrics: needs prometheus-url to run its queries against']
    ],
    [
      "metrics that are not a list of checks (the analysis module's own message)",
      { metrics: 'error-rate < 0.01', 'prometheus-url': 'http://127.0.0.1:9090' },
      ['metrics: must be a YAML list of checks']
    ],
    [
      'a webhook of an unknown type',
      { webhooks: '- name: gate\n  type: approve\n  url: http://127.0.0.1:8080/' },
      [
        'webhooks[0] (gate).type: "approve" is not one of confirm-rollout, pre-rollout, rollout, confirm-traffic-increase, confirm-promotion, post-rollout, rollback, event'
      ]
    ],
    [
      'an unknown builder',
      { builder: 'kaniko' },
      ["builder: 'kaniko' is not one of auto, docker, buildah"]
    ],
    [
      'an image with a bad repository component',
      { image: 'ghcr.io/Acme/shop:1' },
      [
        'image: "ghcr.io/Acme/shop:1" is not a valid image reference: it has an invalid repository component "Acme" (lowercase letters, digits, and . _ __ - between them); e.g. ghcr.io/acme/shop:1.2 or ghcr.io/acme/shop@sha256:<64 hex digits>'
      ]
    ],
    [
      'an image with a short digest',
      { image: 'ghcr.io/acme/shop@sha256:abc' },
      [
        'image: "ghcr.io/acme/shop@sha256:abc" is not a valid image reference: it has an invalid digest "sha256:abc" (want e.g. sha256:<64 hex digits>); e.g. ghcr.io/acme/shop:1.2 or ghcr.io/acme/shop@sha256:<64 hex digits>'
      ]
    ],
    [
      'an image with a space',
      { image: 'ghcr.io/acme/shop :1' },
      [
        'image: "ghcr.io/acme/shop :1" is not a valid image reference: it contains whitespace; e.g. ghcr.io/acme/shop:1.2 or ghcr.io/acme/shop@sha256:<64 hex digits>'
      ]
    ],
    [
      'building to a tagged image',
      { 'build-context': '.', image: 'ghcr.io/acme/shop:1.0' },
      [
        'image: "ghcr.io/acme/shop:1.0" has a tag; with build-context, image names the repository to push to (e.g. ghcr.io/acme/shop) and the action tags what it builds'
      ]
    ],
    [
      'building without an image',
      { 'build-context': '.', image: undefined },
      [
        'image: required with build-context: it names the repository to push to, e.g. ghcr.io/acme/shop'
      ]
    ],
    [
      'a dockerfile without build-context',
      { dockerfile: 'Dockerfile' },
      [
        'dockerfile: "Dockerfile" is only used with build-context; set build-context to build an image'
      ]
    ],
    [
      'a bad registry host',
      { registry: 'ghcr io' },
      [
        'registry: "ghcr io" is not a registry host; use host[:port], e.g. ghcr.io or 127.0.0.1:5000'
      ]
    ],
    [
      'a registry user without a password',
      { 'build-context': '.', image: '127.0.0.1:5000/acme/shop', 'registry-username': 'octocat' },
      ['registry-password: required with registry-username']
    ],
    [
      'rollout with nothing to deploy',
      { image: undefined },
      [
        'manifest, image: rollout needs something to deploy: give manifest (a Service YAML), image, or both'
      ]
    ],
    [
      'preview with nothing to deploy',
      { command: 'preview', image: undefined },
      [
        'manifest, image: preview needs something to deploy: give manifest (a Service YAML), image, or both'
      ]
    ],
    [
      'rollout of an image with no service to name',
      { service: undefined },
      ['service: required when rollout has no manifest: the image alone does not name the Service']
    ],
    [
      'promote without a service',
      { command: 'promote', service: undefined, image: undefined },
      ['service: required for promote (or give manifest to take the name from it)']
    ],
    [
      'abort without a service',
      { command: 'abort', service: undefined },
      ['service: required for abort (or give manifest to take the name from it)']
    ]
  ])('%s', (_name, over, expected) => {
    expect(problemsOf(() => parseWith(over))).toEqual(expected)
  })

  test('several faults are reported together, one per line, in input order', () => {
    let err: unknown
    try {
      parseWith({ command: 'deploy', steps: '50,10', 'dry-run': 'maybe' })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(InputError)
    expect((err as Error).message.split('\n')).toEqual([
      'command: "deploy" is not a command; use one of rollout, promote, abort, status, preview',
      'steps: "50,10" must be strictly increasing percents ending at 100 (10 comes after 50), e.g. 10,25,50,100',
      'dry-run: "maybe" is not a boolean; use true or false'
    ])
  })

  test('a secret input is never echoed, even when it is the one at fault', () => {
    // prometheus-url carries the password here; it must not appear anywhere in the error.
    const problems = problemsOf(() =>
      parseWith({
        'prometheus-url': 'http://u:s3cr3t-value@prom:9090',
        'registry-password': 's3cr3t-value',
        'registry-username': 'u',
        'dry-run': 'nope'
      })
    )
    expect(problems.join('\n')).not.toContain('s3cr3t-value')
    expect(problems).toHaveLength(2)
  })
})

describe('readActionInputs', () => {
  test.each([
    [
      'a dashed name keeps its dashes, upper-cased',
      'step-interval',
      { 'INPUT_STEP-INTERVAL': '30s' },
      '30s'
    ],
    ['a plain name', 'image', { INPUT_IMAGE: 'nginx' }, 'nginx'],
    ['a missing variable', 'service', {}, undefined],
    ['spaces become underscores', 'odd name', { INPUT_ODD_NAME: 'x' }, 'x']
  ])('%s', (_name, input, env, expected) => {
    expect(readActionInputs(env)(input)).toBe(expected)
  })

  test('the runner convention feeds parseInputs end to end', () => {
    const env = {
      INPUT_SERVICE: 'shop',
      INPUT_IMAGE: 'nginx',
      'INPUT_STEP-INTERVAL': '45s',
      'INPUT_PAUSE-AT': '25'
    }
    const inputs = parseInputs(readActionInputs(env))
    expect([inputs.service, inputs.stepIntervalMs, inputs.pauseAt]).toEqual(['shop', 45_000, 25])
  })
})

describe('action.yml mirrors the inputs table', () => {
  const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8'))

  test('the same input names, in the same order', () => {
    expect(Object.keys(action.inputs)).toEqual(INPUT_NAMES)
  })

  test.each(INPUTS.map((i) => [i.name, i.default] as const))(
    '%s has default %j and a description',
    (name, def) => {
      expect(String(action.inputs[name].default)).toBe(def)
      expect(action.inputs[name].description.length).toBeGreaterThan(20)
    }
  )

  test('the outputs of the contract', () => {
    expect(Object.keys(action.outputs)).toEqual([
      'result',
      'revision',
      'previous-revision',
      'url',
      'candidate-url',
      'image',
      'digest',
      'commit',
      'traffic',
      'results'
    ])
  })

  test('runs on node24 with main and post bundles', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/post.js' })
  })

  test('the secret inputs are the credentials', () => {
    expect([...SECRET_INPUTS].sort()).toEqual([
      'github-token',
      'kubeconfig',
      'prometheus-password',
      'prometheus-token',
      'registry-password'
    ])
  })
})

describe('timeoutProblem: the timeout holds every analysed step at its longest', () => {
  const m = 60_000
  test.each<[string, number[], number | undefined, number, boolean]>([
    ['three analysed steps of 1m: 9m is enough', [10, 25, 50, 100], undefined, 9 * m, true],
    ['one minute short of the longest analysis', [10, 25, 50, 100], undefined, 8 * m, false],
    ['the 100% step is a promotion, not analysed', [50, 100], undefined, 3 * m, true],
    ['a blue/green switch analyses once', [100], undefined, 3 * m, true],
    ['a blue/green switch with too little', [100], undefined, 2 * m, false],
    ['steps after pause-at are not walked', [10, 25, 50, 100], 25, 6 * m, true]
  ])('%s', (_name, steps, pauseAt, timeoutMs, ok) => {
    expect(timeoutProblem(steps, pauseAt, m, timeoutMs) === undefined).toBe(ok)
  })
})

describe('secretValues: every form of a secret is masked before the first line', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64')
  test.each([
    {
      name: 'registry basic auth: the password and base64 of user:password',
      inputs: { 'registry-username': 'bot', 'registry-password': 'pw-1234' },
      env: {},
      want: ['pw-1234', b64('bot:pw-1234')]
    },
    {
      name: 'no registry user: the GitHub actor is the user (GHCR)',
      inputs: { 'registry-password': 'ghp_xyz' },
      env: { GITHUB_ACTOR: 'octocat' },
      want: ['ghp_xyz', b64('octocat:ghp_xyz')]
    },
    {
      name: 'Prometheus basic auth, a password that URL-encodes differently',
      inputs: { 'prometheus-username': 'g', 'prometheus-password': 'p@ss/w rd' },
      env: {},
      want: ['p@ss/w rd', b64('g:p@ss/w rd'), 'p%40ss%2Fw%20rd']
    },
    {
      name: 'a bearer token, as given and trimmed',
      inputs: { 'prometheus-token': ' tok-5678\n' },
      env: {},
      want: [' tok-5678\n', 'tok-5678']
    }
  ])('$name', ({ inputs, env, want }) => {
    const values = secretValues(reader(inputs), env)
    for (const w of want) expect(values).toContain(w)
    expect(values).not.toContain('')
  })
})

describe('durations are bounded so no timer overflows', () => {
  test.each([
    ['timeout', '1000h'],
    ['step-interval', '200h'],
    ['max-latency-p99', '9999999h']
  ])('%s: %s is refused, naming the input and the bound', (name, value) => {
    expect(problemsOf(() => parseWith({ [name]: value }))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${name}: "${value}" must be at most 120h`))
      ])
    )
  })
  test('the bound itself is accepted', () => {
    expect(parseWith({ timeout: '120h' }).timeoutMs).toBe(MAX_DURATION_MS)
  })
})
