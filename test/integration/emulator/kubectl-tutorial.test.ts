// The 2019 getting-started tutorial, unchanged: `kubectl apply` of the v1alpha1 runLatest
// helloworld-csharp Service, `kubectl get` of everything it makes, then curl the ingress
// with the route's Host header.

import { request } from 'node:http'
import { kubectl, withEmulator } from '../../helpers/emulator.js'

const emulator = withEmulator({ serveV1alpha1: true, statusDelayMs: 5, knativeVersion: '1.18' })

const SERVICE_YAML = `apiVersion: serving.knative.dev/v1alpha1 # Current version of Knative
kind: Service
metadata:
  name: helloworld-csharp # The name of the app
  namespace: default # The namespace the app will use
spec:
  runLatest:
    configuration:
      revisionTemplate:
        spec:
          container:
            image: docker.io/acme/helloworld-csharp:v1 # The URL to the image of the app
            env:
              - name: TARGET # The environment variable printed out by the sample app
                value: "C# Sample v1"
`

/** `curl -H "Host: ..." <ingress>`: fetch() cannot set Host, node:http can. */
function curl(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Host: host } }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('the v1alpha1 helloworld-csharp tutorial', () => {
  test('kubectl apply -f service.yaml', async () => {
    const res = await kubectl(emulator(), ['apply', '-f', '-'], SERVICE_YAML)
    // Knative's webhook warns about the tutorial's insecure securityContext defaults, as on a
    // real cluster (pkg/apis/serving/k8s_validation.go); kubectl prints the warning.
    const insecure = ['allowPrivilegeEscalation', 'capabilities', 'runAsNonRoot', 'seccompProfile']
      .map((f) => `spec.template.spec.containers[0].securityContext.${f}`)
      .join(', ')
    expect([res.code, res.stdout, res.stderr]).toEqual([
      0,
      'service.serving.knative.dev/helloworld-csharp created\n',
      `Warning: Kubernetes default value is insecure, Knative may default this to secure in a future release: ${insecure}\n`
    ])
  })

  test('kubectl wait for Ready', async () => {
    const res = await kubectl(emulator(), [
      'wait',
      '--for=condition=Ready',
      'ksvc/helloworld-csharp',
      '--timeout=30s'
    ])
    expect(res.code).toBe(0)
  })

  test('kubectl get pod,ksvc,configuration,revision,route lists what Knative made', async () => {
    const res = await kubectl(emulator(), ['get', 'pod,ksvc,configuration,revision,route'])
    expect(res.code).toBe(0)
    const names = res.stdout
      .split('\n')
      .filter((l) => l && !l.startsWith('NAME'))
      .map((l) => l.split(/\s+/)[0])
    expect(names).toEqual([
      expect.stringMatching(/^pod\/helloworld-csharp-00001-deployment-[a-z0-9]+-[a-z0-9]{5}$/),
      'service.serving.knative.dev/helloworld-csharp',
      'configuration.serving.knative.dev/helloworld-csharp',
      'revision.serving.knative.dev/helloworld-csharp-00001',
      'route.serving.knative.dev/helloworld-csharp'
    ])
    expect(res.stdout).toMatch(
      /^service\.serving\.knative\.dev\/helloworld-csharp\s+http:\/\/helloworld-csharp\.default\.example\.com\s+helloworld-csharp-00001\s+helloworld-csharp-00001\s+True/m
    )
  })

  test('the v1alpha1 object reads back as v1alpha1', async () => {
    const res = await kubectl(emulator(), [
      'get',
      'services.v1alpha1.serving.knative.dev',
      'helloworld-csharp',
      '-o',
      'jsonpath={.apiVersion}'
    ])
    expect([res.code, res.stdout]).toEqual([0, 'serving.knative.dev/v1alpha1'])
  })

  test('curl -H "Host: helloworld-csharp.default.example.com" answers the sample', async () => {
    const res = await curl(emulator().ingressUrl, 'helloworld-csharp.default.example.com')
    expect(res).toEqual({ status: 200, body: expect.stringMatching(/^Hello C# Sample v1!\n?$/) })
  })

  test('/metrics on the API port counts the request, per revision', async () => {
    const text = await (await fetch(`${emulator().apiUrl}/metrics`)).text()
    expect(text).toMatch(
      /^revision_app_request_count\{[^}]*revision_name="helloworld-csharp-00001"[^}]*response_code="200"[^}]*\} 1$/m
    )
  })

  test.each([
    ['an unknown revision is a 404', 'helloworld-csharp-00009', { errorRate: 1 }, 404, 200],
    [
      'errorRate 1 on the live revision makes it answer 500',
      'helloworld-csharp-00001',
      { errorRate: 1 },
      200,
      500
    ],
    ['errorRate 0 heals it', 'helloworld-csharp-00001', { errorRate: 0 }, 200, 200]
  ])(
    'PUT /emulator/revisions/.../behaviour: %s',
    async (_name, revision, body, status, ingressStatus) => {
      const res = await fetch(
        `${emulator().apiUrl}/emulator/revisions/default/${revision}/behaviour`,
        {
          method: 'PUT',
          body: JSON.stringify(body)
        }
      )
      expect(res.status).toBe(status)
      expect(
        (await curl(emulator().ingressUrl, 'helloworld-csharp.default.example.com')).status
      ).toBe(ingressStatus)
    }
  )
})
