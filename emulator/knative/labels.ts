// The label and annotation keys Knative Serving reads and writes.

export const SERVING = 'serving.knative.dev'
export const L = {
  service: `${SERVING}/service`,
  serviceUID: `${SERVING}/serviceUID`,
  configuration: `${SERVING}/configuration`,
  configurationUID: `${SERVING}/configurationUID`,
  configurationGeneration: `${SERVING}/configurationGeneration`,
  revision: `${SERVING}/revision`,
  revisionUID: `${SERVING}/revisionUID`,
  route: `${SERVING}/route`,
  routingState: `${SERVING}/routingState`,
  visibility: 'networking.knative.dev/visibility'
} as const

export const A = {
  creator: `${SERVING}/creator`,
  lastModifier: `${SERVING}/lastModifier`,
  routes: `${SERVING}/routes`,
  routingStateModified: `${SERVING}/routingStateModified`,
  rolloutDuration: `${SERVING}/rollout-duration`,
  rolloutDurationAlias: `${SERVING}/rolloutDuration`,
  progressDeadline: `${SERVING}/progress-deadline`,
  lastApplied: 'kubectl.kubernetes.io/last-applied-configuration'
} as const

export const AUTOSCALING_GROUP = 'autoscaling.knative.dev'
export const V1 = `${SERVING}/v1`
