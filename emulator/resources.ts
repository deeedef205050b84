// The resource types the emulator serves: what discovery advertises, how kubectl prints
// them, and the store key each is kept under (`<plural>.<group>`, or `<plural>` for core).

export interface PrinterColumn {
  name: string
  type: string
  jsonPath: string
  priority?: number
}

export interface ResourceType {
  group: string // '' for the core group
  versions: string[] // served versions, storage version first
  plural: string
  singular: string
  kind: string
  shortNames: string[]
  categories: string[]
  namespaced: boolean
  verbs: string[]
  hasStatus: boolean
  printerColumns: PrinterColumn[]
}

export const SERVING_GROUP = 'serving.knative.dev'
const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch'
]
const READY = '.status.conditions[?(@.type=="Ready")]'

export const RESOURCES: ResourceType[] = [
  {
    group: SERVING_GROUP,
    versions: ['v1'],
    plural: 'services',
    singular: 'service',
    kind: 'Service',
    shortNames: ['kservice', 'ksvc'],
    categories: ['all', 'knative', 'serving'],
    namespaced: true,
    verbs: ALL_VERBS,
    hasStatus: true,
    printerColumns: [
      { name: 'URL', type: 'string', jsonPath: '.status.url' },
      { name: 'LatestCreated', type: 'string', jsonPath: '.status.latestCreatedRevisionName' },
      { name: 'LatestReady', type: 'string', jsonPath: '.status.latestReadyRevisionName' },
      { name: 'Ready', type: 'string', jsonPath: `${READY}.status` },
      { name: 'Reason', type: 'string', jsonPath: `${READY}.reason` }
    ]
  },
  {
    group: SERVING_GROUP,
    versions: ['v1'],
    plural: 'configurations',
    singular: 'configuration',
    kind: 'Configuration',
    shortNames: ['config', 'cfg'],
    categories: ['all', 'knative', 'serving'],
    namespaced: true,
    verbs: ALL_VERBS,
    hasStatus: true,
    printerColumns: [
      { name: 'LatestCreated', type: 'string', jsonPath: '.status.latestCreatedRevisionName' },
      { name: 'LatestReady', type: 'string', jsonPath: '.status.latestReadyRevisionName' },
      { name: 'Ready', type: 'string', jsonPath: `${READY}.status` },
      { name: 'Reason', type: 'string', jsonPath: `${READY}.reason` }
    ]
  },
  {
    group: SERVING_GROUP,
    versions: ['v1'],
    plural: 'revisions',
    singular: 'revision',
    kind: 'Revision',
    shortNames: ['rev'],
    categories: ['all', 'knative', 'serving'],
    namespaced: true,
    verbs: ALL_VERBS,
    hasStatus: true,
    printerColumns: [
      {
        name: 'Config Name',
        type: 'string',
        jsonPath: ".metadata.labels['serving\\.knative\\.dev/configuration']"
      },
      {
        name: 'Generation',
        type: 'string',
        jsonPath: ".metadata.labels['serving\\.knative\\.dev/configurationGeneration']"
      },
      { name: 'Ready', type: 'string', jsonPath: `${READY}.status` },
      { name: 'Reason', type: 'string', jsonPath: `${READY}.reason` },
      { name: 'Actual Replicas', type: 'integer', jsonPath: '.status.actualReplicas' },
      { name: 'Desired Replicas', type: 'integer', jsonPath: '.status.desiredReplicas' }
    ]
  },
  {
    group: SERVING_GROUP,
    versions: ['v1'],
    plural: 'routes',
    singular: 'route',
    kind: 'Route',
    shortNames: ['rt'],
    categories: ['all', 'knative', 'serving'],
    namespaced: true,
    verbs: ALL_VERBS,
    hasStatus: true,
    printerColumns: [
      { name: 'URL', type: 'string', jsonPath: '.status.url' },
      { name: 'Ready', type: 'string', jsonPath: `${READY}.status` },
      { name: 'Reason', type: 'string', jsonPath: `${READY}.reason` }
    ]
  },
  {
    group: '',
    versions: ['v1'],
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    shortNames: ['po'],
    categories: ['all'],
    namespaced: true,
    verbs: ['get', 'list', 'watch', 'delete'],
    hasStatus: true,
    printerColumns: []
  },
  {
    // Only the Route's placeholder Services (emulator/knative/placeholder-services.ts).
    group: '',
    versions: ['v1'],
    plural: 'services',
    singular: 'service',
    kind: 'Service',
    shortNames: ['svc'],
    categories: ['all'],
    namespaced: true,
    verbs: ['get', 'list', 'watch', 'delete'],
    hasStatus: true,
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.spec.type' },
      { name: 'External-IP', type: 'string', jsonPath: '.spec.externalName' }
    ]
  }
]

/** The store key of a resource type: `services.serving.knative.dev`, or `pods`. */
export function storeKey(type: Pick<ResourceType, 'plural' | 'group'>): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural
}

export const SERVICES = 'services.serving.knative.dev'
export const CONFIGURATIONS = 'configurations.serving.knative.dev'
export const REVISIONS = 'revisions.serving.knative.dev'
export const ROUTES = 'routes.serving.knative.dev'
export const PODS = 'pods'
/** Core Services: a Route's placeholders. */
export const K8S_SERVICES = 'services'
