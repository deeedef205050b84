// The kubeconfig YAML reader: what it reads, it reads as the yaml library does; what it
// does not read is undefined (the yaml library then parses it), never a different value.

import { parse } from 'yaml'
import { kubeconfigYaml } from '../../../emulator/kubeconfig.js'
import { kubeconfigFor } from '../../helpers/kube-server.js'
import { parseKubeconfigYaml } from '../../../src/knative/kubeconfig-yaml.js'

const KUBECTL = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    server: https://10.0.0.1:6443
    tls-server-name: kubernetes
  name: prod
- cluster:
    insecure-skip-tls-verify: true
    server: http://127.0.0.1:8080/
  name: local
contexts:
- context:
    cluster: prod
    namespace: shop
    user: ci
  name: prod
current-context: prod
kind: Config
preferences: {}
users:
- name: ci
  user:
    token: abc.def-ghi_jkl
- name: plugin
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - eks
      - get-token
      - --cluster-name
      - prod
      command: aws
      env: null
      interactiveMode: IfAvailable
      provideClusterInfo: false
`

const MINIKUBE = `# written by minikube
---
apiVersion: v1
clusters:
  - cluster:
      extensions:
        - extension:
            last-update: Mon, 01 Jan 2024 12:00:00 UTC
            provider: minikube.sigs.k8s.io
            version: v1.32.0
          name: cluster_info
      server: "https://192.168.49.2:8443"
    name: minikube
contexts:
  - context: {cluster: minikube, user: minikube, namespace: default}
    name: minikube
current-context: 'minikube'
users:
  - name: minikube
    user:
      client-certificate: /home/me/.minikube/profiles/minikube/client.crt
      client-key: /home/me/.minikube/profiles/minikube/client.key
      token: 'it''s'
`

test.each([
  { name: 'as kubectl writes it', text: KUBECTL },
  {
    name: 'as minikube writes it (comments, quotes, flow mapping, indented lists)',
    text: MINIKUBE
  },
  {
    name: "the emulator's",
    text: kubeconfigYaml({ server: 'http://127.0.0.1:1', user: 'u', token: 't' })
  },
  {
    name: "the emulator's over https",
    text: kubeconfigYaml({ server: 'https://127.0.0.1:1', user: 'u', token: 't', ca: 'PEM' })
  },
  { name: "the test server's", text: kubeconfigFor('http://127.0.0.1:1', 'tok') },
  { name: 'CRLF line ends', text: KUBECTL.replaceAll('\n', '\r\n') },
  {
    name: 'empty values and lists',
    text: 'a:\nb: []\nc:\n  -\n  - x\n'
  }
])('$name: read as the yaml library reads it', ({ text }) => {
  const read = parseKubeconfigYaml(text)
  expect(read).toBeDefined()
  expect(read).toEqual(parse(text))
})

test.each([
  { name: 'a number', text: 'a: 1\n' },
  { name: 'an octal-looking string', text: 'a: 0755\n' },
  { name: 'an anchor and alias', text: 'a: &x b\nc: *x\n' },
  { name: 'a tag', text: 'a: !!str 1\n' },
  { name: 'a block scalar', text: 'a: |\n  line\n' },
  { name: 'a folded continuation line', text: 'a: one\n  two\n' },
  { name: 'an inline comment', text: 'a: b # c\n' },
  { name: 'an escape in double quotes', text: 'a: "b\\nc"\n' },
  { name: 'a nested flow collection', text: 'a: {b: [c]}\n' },
  { name: 'a duplicate key', text: 'a: b\na: c\n' },
  { name: 'a tab in the indentation', text: 'a:\n\tb: c\n' },
  { name: 'a quoted key', text: '"a": b\n' },
  { name: 'a second document', text: 'a: b\n---\nc: d\n' },
  { name: 'not a mapping at the top', text: '  a: b\n' },
  { name: 'a colon and space in a plain scalar', text: 'a: b: c\n' }
])('$name: left to the yaml library', ({ text }) => {
  expect(parseKubeconfigYaml(text)).toBeUndefined()
})
