// Timestamps as the API server writes them: RFC 3339 in UTC with whole seconds
// (metav1.Time), e.g. `2026-12-03T12:00:00Z`, never milliseconds.

export function rfc3339(at: Date | number): string {
  return new Date(at).toISOString().replace(/\.\d+Z$/, 'Z')
}
