// Checks a request against GitHub's published OpenAPI description (@octokit/openapi):
// the path and method exist, every query parameter and body property is declared, required
// properties are present, and values have the declared types and enums. GitHub's API can't be
// reached from here, so this is how the tests know our requests are ones GitHub accepts.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

type Schema = {
  $ref?: string
  type?: string | string[]
  properties?: Record<string, Schema>
  required?: string[]
  enum?: unknown[]
  items?: Schema
  oneOf?: Schema[]
  anyOf?: Schema[]
  allOf?: Schema[]
  nullable?: boolean
  additionalProperties?: boolean | Schema
}

let spec: any
function loadSpec(): any {
  if (!spec) {
    const require = createRequire(import.meta.url)
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json')
    spec = JSON.parse(readFileSync(file, 'utf8'))
  }
  return spec
}

function deref<T extends object>(node: T & { $ref?: string }): T {
  let current: any = node
  while (current?.$ref) {
    current = current.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce(
        (obj: any, key: string) => obj[key.replace(/~1/g, '/').replace(/~0/g, '~')],
        loadSpec()
      )
  }
  return current
}

/** Problems found (empty when the request is valid). */
export function checkAgainstOpenApi(method: string, url: string, body: unknown): string[] {
  const { pathname, searchParams } = new URL(url, 'http://x')
  const paths = loadSpec().paths as Record<string, Record<string, any>>
  const template = Object.keys(paths).find((t) =>
    new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(decodeURIComponent(pathname))
  )
  if (!template) return [`no path in GitHub's API matches ${pathname}`]
  const operation = paths[template][method.toLowerCase()]
  if (!operation) return [`${method} is not an operation of ${template}`]
  const problems: string[] = []
  const params = [...(paths[template].parameters ?? []), ...(operation.parameters ?? [])].map(deref)
  for (const key of searchParams.keys()) {
    if (!params.some((p: any) => p.in === 'query' && p.name === key)) {
      problems.push(`query parameter "${key}" is not declared for ${method} ${template}`)
    }
  }
  const schema = operation.requestBody?.content?.['application/json']?.schema
  if (body !== undefined && !schema) problems.push(`${method} ${template} takes no JSON body`)
  if (operation.requestBody?.required && body === undefined)
    problems.push(`${method} ${template} requires a body`)
  if (schema && body !== undefined) problems.push(...validate(deref(schema), body, 'body'))
  return problems
}

function validate(schema: Schema, value: unknown, at: string): string[] {
  schema = deref(schema)
  if (value === null) return schema.nullable ? [] : [`${at} must not be null`]
  if (schema.oneOf || schema.anyOf) {
    const options = (schema.oneOf ?? schema.anyOf)!
    return options.some((o) => validate(o, value, at).length === 0)
      ? []
      : [`${at} matches none of the allowed shapes`]
  }
  if (schema.allOf) return schema.allOf.flatMap((s) => validate(s, value, at))
  const types = schema.type ? [schema.type].flat() : []
  const actual = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value
  if (
    types.length &&
    !types.some((t) => t === actual || (t === 'number' && actual === 'integer'))
  ) {
    return [`${at} is ${actual}, GitHub expects ${types.join(' or ')}`]
  }
  if (schema.enum && !schema.enum.includes(value)) {
    return [`${at} is ${JSON.stringify(value)}, not one of ${JSON.stringify(schema.enum)}`]
  }
  const problems: string[] = []
  if (actual === 'object' && schema.properties) {
    const obj = value as Record<string, unknown>
    for (const name of schema.required ?? []) {
      if (!(name in obj)) problems.push(`${at}.${name} is required`)
    }
    for (const [name, v] of Object.entries(obj)) {
      const prop = schema.properties[name]
      if (prop) problems.push(...validate(prop, v, `${at}.${name}`))
      else if (schema.additionalProperties !== true)
        problems.push(`${at}.${name} is not a property GitHub declares`)
    }
  }
  if (actual === 'array' && schema.items) {
    ;(value as unknown[]).forEach((v, i) =>
      problems.push(...validate(schema.items!, v, `${at}[${i}]`))
    )
  }
  return problems
}

/** Every recorded request is one GitHub's description accepts, sent with `token`. */
export function expectRequestsValid(
  requests: readonly {
    method: string
    url: string
    headers: Record<string, unknown>
    body: unknown
  }[],
  token: string
): void {
  for (const r of requests) {
    expect({
      request: `${r.method} ${r.url}`,
      problems: checkAgainstOpenApi(r.method, r.url, r.body)
    }).toEqual({
      request: `${r.method} ${r.url}`,
      problems: []
    })
    expect(r.headers.authorization).toBe(`Bearer ${token}`)
  }
}
