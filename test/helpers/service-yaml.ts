// A Knative v1 Service manifest for tests and benchmarks: one container, its env in order
// (TARGET first, so the revision answers "Hello <name>!" unless overridden).

export function serviceYaml(name: string, image: string, env: Record<string, string> = {}): string {
  const envYaml = Object.entries({ TARGET: name, ...env })
    .map(([k, v]) => `\n            - name: ${k}\n              value: "${v}"`)
    .join('')
  return `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
        - image: ${image}
          env:${envYaml}
`
}
