// The request log behind `GET /emulator/requests`: every API request with who made it
// and how it was answered, so tests can assert what a client did on the wire.

export interface AuditEntry {
  method: string
  path: string
  query: Record<string, string>
  contentType?: string
  /** 0 until the response has started. */
  status: number
  user: string
  time: string
}

export class AuditLog {
  private entries: AuditEntry[] = []

  constructor(private readonly limit = 20000) {}

  record(entry: AuditEntry): AuditEntry {
    this.entries.push(entry)
    if (this.entries.length > this.limit) this.entries.shift()
    return entry
  }

  list(): readonly AuditEntry[] {
    return this.entries
  }

  clear(): void {
    this.entries = []
  }
}
