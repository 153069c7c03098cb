/**
 * Checks the fake GitHub API against GitHub's own published OpenAPI description (`@octokit/openapi`,
 * api.github.com.json). The fake declares, per route, the spec path template it implements; every request body and
 * every response body is validated with ajv against that operation's schemas, `$ref`s resolved by ajv from the
 * spec's components. The fake is only as lenient as the spec is (open objects stay open; no extra leniency here).
 */
import { createRequire } from 'node:module'
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv'

type Json = Record<string, unknown>

interface OpenApiDocument {
  paths: Record<string, Record<string, Json>>
  components: Json & { responses: Record<string, Json>; requestBodies?: Record<string, Json> }
}

const require = createRequire(import.meta.url)
const SPEC_ID = 'https://api.github.com/openapi.json'

export interface OperationRef {
  method: string
  /** The spec's path template, e.g. `/repos/{owner}/{repo}/git/refs/{ref}`. */
  path: string
}

export class OpenApiValidator {
  private readonly spec: OpenApiDocument
  private readonly ajv: Ajv
  private readonly compiled = new Map<string, ValidateFunction>()

  constructor() {
    this.spec = require('@octokit/openapi/generated/api.github.com.json') as OpenApiDocument
    // strict: false because the spec carries OpenAPI-only keywords (example, x-github, discriminator) that are
    // annotations, not constraints. `nullable` is understood by ajv natively.
    this.ajv = new Ajv({ strict: false, allErrors: true })
    // Formats the spec uses; checked loosely but really (a "uri" must parse, a "date-time" must be RFC 3339).
    this.ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) })
    this.ajv.addFormat('uri-template', true)
    this.ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/)
    this.ajv.addFormat('date', /^\d{4}-\d\d-\d\d$/)
    this.ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/)
    this.ajv.addFormat('int64', { type: 'number', validate: Number.isInteger })
    this.ajv.addFormat('timestamp', true)
    this.ajv.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/)
    this.ajv.addSchema({ $id: SPEC_ID, components: openApiNullable(this.spec.components) })
  }

  /** Throws when the spec has no such operation: the fake must only serve what GitHub documents. */
  operation(op: OperationRef): Json {
    const item = this.spec.paths[op.path]?.[op.method.toLowerCase()]
    if (!item) throw new Error(`GitHub's OpenAPI description has no operation ${op.method} ${op.path}`)
    return item
  }

  private resolve(obj: Json | undefined): Json | undefined {
    const ref = obj?.$ref
    if (typeof ref !== 'string') return obj
    const [, kind, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? []
    return this.resolve((this.spec.components[kind] as Record<string, Json> | undefined)?.[name])
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let v = this.compiled.get(key)
    if (!v) {
      // Rebase the operation's local `#/components/...` refs onto the registered spec document.
      const rebased = JSON.parse(JSON.stringify(schema), (k, value) =>
        k === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${SPEC_ID}${value}` : value
      ) as Json
      v = this.ajv.compile(openApiNullable(rebased) as Json)
      this.compiled.set(key, v)
    }
    return v
  }

  private static describe(errors: ErrorObject[] | null | undefined): string[] {
    return (errors ?? [])
      .slice(0, 10)
      .map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`)
  }

  /** Problems with a response (empty when it conforms). */
  validateResponse(op: OperationRef, status: number, body: unknown): string[] {
    const responses = (this.operation(op).responses ?? {}) as Record<string, Json>
    const response = this.resolve(responses[String(status)])
    if (!response) return [`status ${status} is not a documented response of ${op.method} ${op.path}`]
    const content = response.content as Record<string, Json> | undefined
    const schema = content?.['application/json']?.schema as Json | undefined
    if (!schema) {
      // Some error responses are documented without a body schema ("Unprocessable Entity if …"), though GitHub sends
      // its usual {message, documentation_url}: the spec leaves those open. A success without a schema has no body.
      if (status >= 400 || body === undefined) return []
      return [`${op.method} ${op.path} ${status} has no body in the spec, got one`]
    }
    if (body === undefined) return [`${op.method} ${op.path} ${status} must have a JSON body`]
    const v = this.validator(`res ${op.method} ${op.path} ${status}`, schema)
    return v(body) ? [] : OpenApiValidator.describe(v.errors)
  }

  /** Problems with a request body (empty when it conforms or the operation takes none). */
  validateRequest(op: OperationRef, body: unknown): string[] {
    const requestBody = this.resolve(this.operation(op).requestBody as Json | undefined)
    const schema = (requestBody?.content as Record<string, Json> | undefined)?.['application/json']?.schema as
      Json | undefined
    if (!schema) return []
    if (body === undefined) return requestBody?.required ? [`${op.method} ${op.path} requires a JSON body`] : []
    const v = this.validator(`req ${op.method} ${op.path}`, schema)
    return v(body) ? [] : OpenApiValidator.describe(v.errors)
  }
}

/**
 * OpenAPI 3.0's `nullable: true` means "or null". ajv understands it only next to `type`; the spec also puts it
 * beside `allOf`/`anyOf`/`$ref`, so those become `anyOf: [schema, {type: 'null'}]` (same meaning, JSON Schema words).
 */
function openApiNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openApiNullable)
  if (node === null || typeof node !== 'object') return node
  const out: Json = {}
  for (const [k, v] of Object.entries(node)) out[k] = k === 'example' || k === 'examples' ? v : openApiNullable(v)
  if ('nullable' in out && !('type' in out)) {
    const { nullable, ...rest } = out
    return nullable === true ? { anyOf: [rest, { type: 'null' }] } : rest
  }
  return out
}

let shared: OpenApiValidator | undefined
/** The spec is 13 MB: parse and index it once per test file. */
export function openApiValidator(): OpenApiValidator {
  shared ??= new OpenApiValidator()
  return shared
}
