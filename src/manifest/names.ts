// Kubernetes name rules, with the exact messages k8s.io/apimachinery's validation returns,
// because Knative embeds those messages in its own (e.g. "not a DNS 1035 label: [...]").

const DNS1035 = '[a-z]([-a-z0-9]*[a-z0-9])?'
const QUALIFIED = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'
const MAX_LABEL = 63

/** Knative builds `<tag>-<service>` host labels; `candidate-` is our longest tag prefix. */
export const MAX_SERVICE_NAME = MAX_LABEL - 'candidate-'.length

const maxLen = (n: number) => `must be no more than ${n} characters`

// k8s RegexError: note the "', " + " or " joint, which yields Knative's double space.
function regexError(msg: string, regex: string, ...examples: string[]): string {
  const e = examples.map((x, i) => `${i > 0 ? ' or ' : ''}'${x}', `).join('')
  return `${msg} (e.g. ${e}regex used for validation is '${regex}')`
}

function label(value: string, regex: string, msg: string, examples: string[]): string[] {
  const errs: string[] = []
  if (value.length > MAX_LABEL) errs.push(maxLen(MAX_LABEL))
  if (!new RegExp(`^${regex}$`).test(value)) errs.push(regexError(msg, regex, ...examples))
  return errs
}

/** k8s IsDNS1035Label: Knative's rule for Service, Route, Configuration, Revision names and tags. */
export function dns1035LabelErrors(value: string): string[] {
  return label(
    value,
    DNS1035,
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
    ['my-name', 'abc-123']
  )
}

/** k8s IsQualifiedName, name part only (revision names never carry a `prefix/`). */
export function qualifiedNameErrors(value: string): string[] {
  if (value.includes('/')) {
    return [
      regexError(
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        QUALIFIED,
        'MyName',
        'my.name',
        '123-abc'
      ) + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
    ]
  }
  if (value.length === 0) return ['name part must be non-empty']
  return label(
    value,
    QUALIFIED,
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ['MyName', 'my.name', '123-abc']
  ).map((m) => (m === maxLen(MAX_LABEL) ? `name part ${m}` : m))
}

/** Go's `%v` of a []string, as Knative formats these lists. */
export const goList = (msgs: string[]) => `[${msgs.join(' ')}]`
