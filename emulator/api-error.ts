// Errors as the Kubernetes API server reports them: a `Status` object with a code, a
// machine-readable reason and a message that clients print verbatim.

export interface StatusDetails {
  name?: string
  group?: string
  kind?: string
  causes?: { reason?: string; message: string; field?: string }[]
  retryAfterSeconds?: number
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    /** The Status's own ListMeta, e.g. the `continue` a 410 for a stale token carries. */
    readonly listMeta?: { continue?: string }
  ) {
    super(message)
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: this.listMeta ?? {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code
    }
  }

  static notFound(resource: string, name: string): ApiError {
    const [plural, ...group] = resource.split('.')
    return new ApiError(404, 'NotFound', `${resource} "${name}" not found`, {
      name,
      group: group.join('.') || undefined,
      kind: plural
    })
  }

  static alreadyExists(resource: string, name: string): ApiError {
    const [plural, ...group] = resource.split('.')
    return new ApiError(409, 'AlreadyExists', `${resource} "${name}" already exists`, {
      name,
      group: group.join('.') || undefined,
      kind: plural
    })
  }

  static conflict(resource: string, name: string): ApiError {
    const [plural, ...group] = resource.split('.')
    return new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, group: group.join('.') || undefined, kind: plural }
    )
  }

  static gone(resourceVersion: number): ApiError {
    return new ApiError(410, 'Expired', `too old resource version: ${resourceVersion}`)
  }

  static badRequest(message: string): ApiError {
    return new ApiError(400, 'BadRequest', message)
  }

  static invalid(message: string): ApiError {
    return new ApiError(422, 'Invalid', message)
  }

  /** An admission webhook's denial, worded as the API server relays it. */
  static denied(webhook: string, message: string): ApiError {
    return new ApiError(
      400,
      'BadRequest',
      `admission webhook "${webhook}" denied the request: ${message}`
    )
  }
}
