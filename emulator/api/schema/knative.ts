// The structural schemas of Knative Serving's CRDs (`config/core/300-resources/*.yaml`
// in knative/serving, v1.21): field names and types only, which is what pruning and the
// type checks need. A field missing here is pruned, as the API server prunes it, so this
// is also the list of PodSpec fields Knative's field mask lets through (feature-gated ones
// such as `affinity` are open objects). docs/knative-semantics.md ("Field validation").

import {
  BOOLEAN,
  INTEGER,
  INT_OR_STRING,
  OPEN,
  STRING,
  list,
  mapOf,
  object,
  type Schema
} from './structural.js'

const KEY_TO_PATH: Schema = list(
  object(
    {
      key: STRING,
      mode: INTEGER,
      path: STRING
    },
    { required: ['key', 'path'] }
  )
)

const HTTP_GET: Schema = object({
  host: STRING,
  httpHeaders: list(
    object(
      {
        name: STRING,
        value: STRING
      },
      { required: ['name', 'value'] }
    )
  ),
  path: STRING,
  port: INT_OR_STRING,
  scheme: STRING
})

const PROBE: Schema = object({
  exec: object({
    command: list(STRING)
  }),
  failureThreshold: INTEGER,
  grpc: object({
    port: INTEGER,
    service: STRING
  }),
  httpGet: HTTP_GET,
  initialDelaySeconds: INTEGER,
  periodSeconds: INTEGER,
  successThreshold: INTEGER,
  tcpSocket: object({
    host: STRING,
    port: INT_OR_STRING
  }),
  timeoutSeconds: INTEGER
})

const KEY_SELECTOR: Schema = object(
  {
    key: STRING,
    name: STRING,
    optional: BOOLEAN
  },
  { required: ['key'] }
)

const PROJECTED_SOURCE: Schema = object({
  items: KEY_TO_PATH,
  name: STRING,
  optional: BOOLEAN
})

/** A Revision's spec, and every template's spec. */
export const REVISION_SPEC: Schema = object(
  {
    affinity: OPEN,
    automountServiceAccountToken: BOOLEAN,
    containerConcurrency: INTEGER,
    containers: list(
      object({
        args: list(STRING),
        command: list(STRING),
        env: list(
          object(
            {
              name: STRING,
              value: STRING,
              valueFrom: object({
                configMapKeyRef: KEY_SELECTOR,
                fieldRef: OPEN,
                resourceFieldRef: OPEN,
                secretKeyRef: KEY_SELECTOR
              })
            },
            { required: ['name'] }
          )
        ),
        envFrom: list(
          object({
            configMapRef: object({
              name: STRING,
              optional: BOOLEAN
            }),
            prefix: STRING,
            secretRef: object({
              name: STRING,
              optional: BOOLEAN
            })
          })
        ),
        image: STRING,
        imagePullPolicy: STRING,
        livenessProbe: PROBE,
        name: STRING,
        ports: list(
          object({
            containerPort: INTEGER,
            name: STRING,
            protocol: STRING
          })
        ),
        readinessProbe: PROBE,
        resources: object({
          limits: mapOf(INT_OR_STRING),
          requests: mapOf(INT_OR_STRING)
        }),
        securityContext: object({
          allowPrivilegeEscalation: BOOLEAN,
          capabilities: object({
            add: list(STRING),
            drop: list(STRING)
          }),
          privileged: BOOLEAN,
          readOnlyRootFilesystem: BOOLEAN,
          runAsGroup: INTEGER,
          runAsNonRoot: BOOLEAN,
          runAsUser: INTEGER,
          seccompProfile: object(
            {
              localhostProfile: STRING,
              type: STRING
            },
            { required: ['type'] }
          )
        }),
        startupProbe: PROBE,
        terminationMessagePath: STRING,
        terminationMessagePolicy: STRING,
        volumeMounts: list(
          object(
            {
              mountPath: STRING,
              mountPropagation: STRING,
              name: STRING,
              readOnly: BOOLEAN,
              subPath: STRING
            },
            { required: ['mountPath', 'name'] }
          )
        ),
        workingDir: STRING
      })
    ),
    dnsConfig: OPEN,
    dnsPolicy: STRING,
    enableServiceLinks: BOOLEAN,
    hostAliases: list(OPEN),
    hostIPC: BOOLEAN,
    hostNetwork: BOOLEAN,
    hostPID: BOOLEAN,
    idleTimeoutSeconds: INTEGER,
    imagePullSecrets: list(
      object({
        name: STRING
      })
    ),
    initContainers: list(OPEN),
    nodeSelector: mapOf(STRING),
    priorityClassName: STRING,
    responseStartTimeoutSeconds: INTEGER,
    runtimeClassName: STRING,
    schedulerName: STRING,
    securityContext: OPEN,
    serviceAccountName: STRING,
    shareProcessNamespace: BOOLEAN,
    timeoutSeconds: INTEGER,
    tolerations: list(OPEN),
    topologySpreadConstraints: list(OPEN),
    volumes: list(
      object(
        {
          configMap: object({
            defaultMode: INTEGER,
            items: KEY_TO_PATH,
            name: STRING,
            optional: BOOLEAN
          }),
          csi: OPEN,
          emptyDir: OPEN,
          hostPath: OPEN,
          image: OPEN,
          name: STRING,
          persistentVolumeClaim: OPEN,
          projected: object({
            defaultMode: INTEGER,
            sources: list(
              object({
                configMap: PROJECTED_SOURCE,
                downwardAPI: object({
                  items: list(
                    object(
                      {
                        fieldRef: object(
                          {
                            apiVersion: STRING,
                            fieldPath: STRING
                          },
                          { required: ['fieldPath'] }
                        ),
                        mode: INTEGER,
                        path: STRING,
                        resourceFieldRef: object(
                          {
                            containerName: STRING,
                            divisor: INT_OR_STRING,
                            resource: STRING
                          },
                          { required: ['resource'] }
                        )
                      },
                      { required: ['path'] }
                    )
                  )
                }),
                secret: PROJECTED_SOURCE,
                serviceAccountToken: object(
                  {
                    audience: STRING,
                    expirationSeconds: INTEGER,
                    path: STRING
                  },
                  { required: ['path'] }
                )
              })
            )
          }),
          secret: object({
            defaultMode: INTEGER,
            items: KEY_TO_PATH,
            optional: BOOLEAN,
            secretName: STRING
          })
        },
        { required: ['name'] }
      )
    )
  },
  { required: ['containers'] }
)

const TEMPLATE_METADATA: Schema = object(
  {
    annotations: mapOf(STRING),
    finalizers: list(STRING),
    labels: mapOf(STRING),
    name: STRING,
    namespace: STRING
  },
  { preserveUnknown: true }
)

const TRAFFIC: Schema = list(
  object({
    configurationName: STRING,
    latestRevision: BOOLEAN,
    percent: INTEGER,
    revisionName: STRING,
    tag: STRING,
    url: STRING
  })
)

export const SERVICE_SPEC: Schema = object({
  template: object({
    metadata: TEMPLATE_METADATA,
    spec: REVISION_SPEC
  }),
  traffic: TRAFFIC
})

export const CONFIGURATION_SPEC: Schema = object({
  template: object({
    metadata: TEMPLATE_METADATA,
    spec: REVISION_SPEC
  })
})

export const ROUTE_SPEC: Schema = object({
  traffic: TRAFFIC
})

/** ObjectMeta as the API server keeps it; other metadata fields are dropped. */
export const OBJECT_META: Schema = object({
  name: STRING,
  generateName: STRING,
  namespace: STRING,
  selfLink: STRING,
  uid: STRING,
  resourceVersion: STRING,
  generation: INTEGER,
  creationTimestamp: STRING,
  deletionTimestamp: STRING,
  deletionGracePeriodSeconds: INTEGER,
  labels: mapOf(STRING),
  annotations: mapOf(STRING),
  ownerReferences: list(OPEN),
  finalizers: list(STRING),
  managedFields: list(OPEN)
})

const root = (spec: Schema): Schema =>
  object({ apiVersion: STRING, kind: STRING, metadata: OBJECT_META, spec, status: OPEN })

/** By resource plural, for `serving.knative.dev/v1`. */
export const KNATIVE_SCHEMAS: Record<string, Schema> = {
  services: root(SERVICE_SPEC),
  configurations: root(CONFIGURATION_SPEC),
  revisions: root(REVISION_SPEC),
  routes: root(ROUTE_SPEC)
}
