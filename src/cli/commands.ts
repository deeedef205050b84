// What each command does and which flags it reads, for the help. The flags' own words come
// from action.yml (action-metadata.ts); this file only sorts them into groups.

import type { Command } from '../inputs.js'

export interface CommandDoc {
  summary: string
  examples: string[]
  /** The groups of GROUPS whose flags the command reads, in the order shown. */
  groups: GroupName[]
}

export type GroupName =
  | 'service'
  | 'cluster'
  | 'image'
  | 'steps'
  | 'analysis'
  | 'run'
  | 'github'
  | 'gitops'
  | 'pipeline'
  | 'preview'

export const GROUPS: Record<GroupName, { title: string; inputs: string[] }> = {
  service: {
    title: 'The Service',
    inputs: ['service', 'namespace', 'manifest', 'allow-outside-workspace']
  },
  cluster: { title: 'The cluster', inputs: ['kubeconfig', 'tls-insecure'] },
  image: {
    title: 'The image and the build',
    inputs: [
      'image',
      'revision-name',
      'build-context',
      'dockerfile',
      'build-args',
      'target',
      'platforms',
      'tags',
      'labels',
      'cache-from',
      'cache-to',
      'builder',
      'registry',
      'registry-username',
      'registry-password',
      'registry-insecure'
    ]
  },
  steps: { title: 'The steps', inputs: ['steps', 'step-interval', 'pause-at'] },
  analysis: {
    title: 'The analysis',
    inputs: [
      'probe-path',
      'probe-rps',
      'ingress-address',
      'min-success-rate',
      'max-latency-p99',
      'min-requests',
      'failure-threshold',
      'prometheus-url',
      'prometheus-token',
      'prometheus-username',
      'prometheus-password',
      'metrics',
      'webhooks'
    ]
  },
  run: { title: 'The run', inputs: ['timeout', 'dry-run', 'wait-for-lock', 'job-key', 'force'] },
  github: { title: 'GitHub', inputs: ['github-token', 'environment'] },
  preview: { title: 'The pull request', inputs: ['pull-request', 'cleanup'] },
  pipeline: {
    title: 'Many Services, waves of clusters',
    inputs: ['max-parallel', 'fail-fast', 'waves', 'wave']
  },
  gitops: {
    title: 'GitOps',
    inputs: [
      'traffic-owner',
      'write-back',
      'git-branch',
      'git-author',
      'sync-timeout',
      'gitops-check'
    ]
  }
}

/** Every group but the preview's: its inputs apply to `preview` only (inputs/preview.ts). */
const ALL: GroupName[] = [
  'service',
  'cluster',
  'image',
  'steps',
  'analysis',
  'run',
  'github',
  'gitops',
  'pipeline'
]

export const COMMAND_DOCS: Record<Command, CommandDoc> = {
  rollout: {
    summary:
      'Create a candidate revision at 0%, step its traffic up while it is compared with the current revision, then promote it or roll it back.',
    examples: [
      'knative-rollout rollout --manifest service.yaml --image ghcr.io/acme/shop:1.4 --steps 10,50,100 --step-interval 30s',
      'knative-rollout rollout -n prod --service shop --image ghcr.io/acme/shop:1.4 --pause-at 50'
    ],
    groups: ALL
  },
  promote: {
    summary: 'Continue a paused rollout through its remaining steps (still analysed) to 100%.',
    examples: ['knative-rollout promote -n prod --service shop'],
    groups: ['service', 'cluster', 'steps', 'analysis', 'run', 'github', 'gitops', 'pipeline']
  },
  abort: {
    summary: "Put a paused rollout's traffic back on the current revision.",
    examples: ['knative-rollout abort -n prod --service shop'],
    groups: ['service', 'cluster', 'run', 'github', 'gitops', 'pipeline']
  },
  status: {
    summary:
      'Print the rollout state kept on the Service: phase, traffic, the lease holder, the last reason.',
    examples: [
      'knative-rollout status -n prod --service shop -o text',
      'knative-rollout status -n prod --service shop --watch'
    ],
    groups: ['service', 'cluster', 'pipeline']
  },
  preview: {
    summary:
      "Run a pull request's image as a revision at 0% on its own tag pr-<number> and URL, beside production and any rollout; --cleanup removes the tag.",
    examples: [
      'knative-rollout preview --pull-request 7 --manifest service.yaml --image ghcr.io/acme/shop:pr-7',
      'knative-rollout preview --pull-request 7 -n prod --service shop --cleanup'
    ],
    groups: ['preview', 'service', 'cluster', 'image', 'analysis', 'run', 'github', 'gitops']
  }
}
