// The pod a running Revision has: named as a Deployment's ReplicaSet names its pods
// (`<revision>-deployment-<10-char hash>-<5 chars>`), carrying the Revision's labels.

import { createHash } from 'node:crypto'
import type { KObject } from '../store.js'
import { L, V1 } from './labels.js'
import { childName } from './names.js'

// The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes).
const SAFE = 'bcdfghjklmnpqrstvwxz2456789'

function safeHash(seed: string, length: number): string {
  const bytes = createHash('sha256').update(seed).digest()
  return Array.from(bytes.subarray(0, length), (b) => SAFE[b % SAFE.length]).join('')
}

export function templateHash(rev: KObject): string {
  return safeHash(`${rev.metadata.uid}/template`, 10)
}

export function replicaSetName(rev: KObject): string {
  return `${childName(rev.metadata.name, '-deployment')}-${templateHash(rev)}`
}

export function podFor(rev: KObject, startedAt: string): KObject {
  const hash = templateHash(rev)
  const name = `${replicaSetName(rev)}-${safeHash(`${rev.metadata.uid}/pod`, 5)}`
  const containers = (rev.spec?.containers ?? []).map((c: any, i: number) => ({
    ...c,
    image: rev.status?.containerStatuses?.[i]?.imageDigest ?? c.image
  }))
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: rev.metadata.namespace,
      labels: {
        ...rev.metadata.labels,
        [L.revision]: rev.metadata.name,
        [L.revisionUID]: rev.metadata.uid ?? '',
        app: rev.metadata.name,
        'pod-template-hash': hash
      },
      // Really owned by a ReplicaSet; the emulator has none, so the Revision owns it and
      // deleting the Revision removes it.
      ownerReferences: [
        {
          apiVersion: V1,
          kind: 'Revision',
          name: rev.metadata.name,
          uid: rev.metadata.uid ?? '',
          controller: true
        }
      ]
    },
    spec: {
      containers: [
        ...containers,
        { name: 'queue-proxy', image: 'gcr.io/knative-releases/knative.dev/serving/cmd/queue' }
      ]
    },
    status: {
      phase: 'Running',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: startedAt
      })),
      podIP: '127.0.0.1',
      startTime: startedAt,
      containerStatuses: [...containers.map((c: any) => c.name), 'queue-proxy'].map(
        (n: string) => ({
          name: n,
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt } }
        })
      )
    }
  }
}
