// PrometheusClient against a loopback server that answers what a hostile or broken
// Prometheus (or a proxy in front of it) may answer: non-finite samples, error text quoting
// the Authorization header, a body without end. Real HTTP, real fetch.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PrometheusClient, type PrometheusAuth } from '../../../src/analysis/prometheus.js'
import { MAX_BODY_BYTES } from '../../../src/read-body.js'
import { workflowCommands } from '../../helpers/workflow-commands.js'

const TOKEN = 'promTokenS3cretValue'
const USER = 'grafana'
const PASSWORD = 'promPassw0rdS3cret'
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64')

/** What the server sends for the next request: status and body (a function of the request's auth). */
let answer: (authorization: string) => { status: number; body: string | Buffer } = () => ({
  status: 200,
  body: '{}'
})
let server: Server
let url = ''
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const { status, body } = answer(req.headers.authorization ?? '')
      res.writeHead(status, { 'content-type': 'application/json' }).end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const vector = (...values: string[]) =>
  JSON.stringify({
    status: 'success',
    data: {
      resultType: 'vector',
      result: values.map((v, i) => ({ metric: { revision_name: `r${i}` }, value: [1, v] }))
    }
  })
const scalar = (v: string) =>
  JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, v] } })

describe('samples that are not finite numbers are no data', () => {
  test.each([
    { name: 'NaN (0/0)', body: vector('NaN'), one: undefined, all: [] },
    { name: '+Inf (x/0)', body: vector('+Inf'), one: undefined, all: [] },
    { name: '-Inf', body: vector('-Inf'), one: undefined, all: [] },
    { name: 'a scalar NaN', body: scalar('NaN'), one: undefined, all: [] },
    { name: 'junk text', body: vector('lots'), one: undefined, all: [] },
    { name: 'a finite value', body: vector('0.25'), one: 0.25, all: [0.25] },
    {
      name: 'NaN among finite ones: only those',
      body: vector('NaN', '3'),
      one: undefined,
      all: [3]
    }
  ])('$name', async ({ body, one, all }) => {
    answer = () => ({ status: 200, body })
    const client = new PrometheusClient(url)
    expect(await client.query('x')).toBe(one)
    expect((await client.queryVector('x')).map((s) => s.value)).toEqual(all)
  })
})

describe("Prometheus' error text is redacted and escaped", () => {
  const auths: { name: string; auth: PrometheusAuth; secrets: string[] }[] = [
    { name: 'bearer', auth: { kind: 'bearer', token: TOKEN }, secrets: [TOKEN] },
    {
      name: 'basic',
      auth: { kind: 'basic', username: USER, password: PASSWORD },
      secrets: [PASSWORD, BASIC]
    }
  ]
  test.each(auths)(
    '$name: an error that quotes the Authorization header',
    async ({ auth, secrets }) => {
      answer = (authorization) => ({
        status: 400,
        body: JSON.stringify({
          status: 'error',
          errorType: 'bad_data',
          error: `proxy refused header Authorization: ${authorization}\n::error::PWNED`
        })
      })
      const error = await new PrometheusClient(url, auth).query('up').catch((e: Error) => e)
      const message = String((error as Error).message)
      expect(message).toMatch(
        /refused the query: proxy refused header Authorization: (Bearer|Basic) \*\*\*/
      )
      for (const secret of secrets) expect(message).not.toContain(secret)
      expect(workflowCommands(message)).toEqual([])
      expect(message).not.toMatch(/\n/)
    }
  )

  test('a body past the byte limit is refused, not held', async () => {
    answer = () => ({ status: 200, body: Buffer.alloc(MAX_BODY_BYTES + 1024, 0x20) })
    await expect(new PrometheusClient(url).query('up')).rejects.toThrow(
      `answered more than ${MAX_BODY_BYTES} bytes`
    )
  })

  test('an unreachable server: the network error is named', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    await expect(new PrometheusClient(`http://127.0.0.1:${port}`).query('up')).rejects.toThrow(
      /is unreachable: fetch failed \(ECONNREFUSED\)/
    )
  })
})
