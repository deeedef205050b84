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
  'service' | 'cluster' | 'image' | 'steps' | 'analysis' | 'run' | 'github' | 'gitops' | 'pipeline'

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
    summary: 'Create the candidate at 0%, reachable on its tag URL only; no traffic moves.',
    examples: ['knative-rollout preview --manifest service.yaml --image ghcr.io/acme/shop:pr-7'],
    groups: ['service', 'cluster', 'image', 'analysis', 'run', 'github', 'gitops']
  }
}
