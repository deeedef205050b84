// Kubernetes name rules (k8s.io/apimachinery validation) with their exact messages, because
// Knative embeds those messages in its own (e.g. "not a DNS 1035 label: [...]"). Shared by
// the action's manifest checks and the emulator's webhook, so both say the same words.

/** Knative builds `<tag>-<service>` host labels; `candidate-` is our longest tag prefix. */
export const MAX_SERVICE_NAME = 63 - 'candidate-'.length

const DNS1035_MAX = 63
const DNS1035_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?'
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
const DNS1123_SUBDOMAIN_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'
const QNAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

/** apimachinery RegexError: note the two spaces before "or", which Go's loop produces. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (!examples.length) return `${msg} (regex used for validation is '${fmt}')`
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`
}

const maxLenError = (n: number) => `must be no more than ${n} characters`
const whole = (fmt: string) => new RegExp(`^${fmt}$`)

/** IsDNS1035Label: the list of problems, empty when valid. */
export function dns1035LabelErrors(value: string): string[] {
  const out: string[] = []
  if (value.length > DNS1035_MAX) out.push(maxLenError(DNS1035_MAX))
  if (!whole(DNS1035_FMT).test(value))
    out.push(regexError(DNS1035_MSG, DNS1035_FMT, 'my-name', 'abc-123'))
  return out
}

/** NameIsDNS1035Label: a generateName prefix may end in '-'. */
export function dns1035NameErrors(value: string, prefix: boolean): string[] {
  const masked = prefix && value.endsWith('-') ? value.slice(0, -1) + 'a' : value
  return dns1035LabelErrors(masked)
}

function dns1123SubdomainErrors(value: string): string[] {
  const out: string[] = []
  if (value.length > 253) out.push(maxLenError(253))
  if (!whole(DNS1123_SUBDOMAIN_FMT).test(value)) {
    out.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'))
  }
  return out
}

/** IsQualifiedName (used for traffic revisionName / configurationName). */
export function qualifiedNameErrors(value: string): string[] {
  const out: string[] = []
  const parts = value.split('/')
  const qnameRegex = regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')
  if (parts.length > 2) {
    return [
      `a qualified name ${qnameRegex} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`
    ]
  }
  const name = parts.length === 2 ? parts[1] : parts[0]
  if (parts.length === 2) {
    if (!parts[0]) out.push('prefix part must be non-empty')
    else out.push(...dns1123SubdomainErrors(parts[0]).map((m) => `prefix part ${m}`))
  }
  if (!name) out.push('name part must be non-empty')
  else if (name.length > 63) out.push(`name part ${maxLenError(63)}`)
  if (!whole(QNAME_FMT).test(name)) out.push(`name part ${qnameRegex}`)
  return out
}

/** Go's fmt.Sprint of a []string: `[a b]`. */
export const goList = (items: string[]) => `[${items.join(' ')}]`
