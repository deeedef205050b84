// The CLI's help texts (pure). The top-level usage lists the commands; `<command> --help`
// lists every flag the command reads, each with its default and its description as action.yml
// gives it (the one description of an input), grouped as commands.ts sorts them.

import { COMMANDS, type Command } from '../inputs.js'
import type { InputDoc } from './action-metadata.js'
import { COMMAND_DOCS, GROUPS } from './commands.js'

export const USAGE = `Usage: knative-rollout <command> [flags]

Commands:
${COMMANDS.map((c) => `  ${c.padEnd(9)} ${wrap(COMMAND_DOCS[c].summary, 88, '').join(`\n${' '.repeat(12)}`)}`).join('\n')}

Flags are the action's inputs (action.yml): --service shop --image ghcr.io/acme/shop:1.2
--steps 10,25,50,100 --step-interval 30s --pause-at 25 --dry-run --wait-for-lock ...
plus -n (--namespace), -o json|yaml|text, status --watch, --version.
The cluster comes from --kubeconfig (a file or its content), else KUBECONFIG or ~/.kube/config.
Several Services: --manifest 'deploy/*.yaml' (quoted), or --service a,b for promote, abort,
status; --waves for stages of clusters (docs/pipelines.md). The outputs then carry "results".

"knative-rollout <command> --help" lists the command's flags with their defaults.

Exit status: 0 promoted, paused, aborted, unchanged, status; 1 rolled back or failed; 2 bad usage.
The outputs go to stdout (one JSON line unless -o says otherwise), progress to stderr.`

/** What the terminal says on top of action.yml, where the two differ. */
const ON_THE_COMMAND_LINE: Record<string, string> = {
  kubeconfig: 'On the command line: a file path, or the content.',
  'github-token': 'On the command line: no default; give one to record Deployments.'
}

const OUTPUT_FLAGS = (command: Command): Flag[] => [
  {
    flag: '-o, --output json|yaml|text',
    default: 'json',
    description:
      'How the outputs are printed on stdout: json (one line, for jq), yaml, or text (for people).'
  },
  ...(command === 'status'
    ? [
        {
          flag: '-w, --watch',
          description:
            'Keep watching the Service and print its status again each time it changes, until Ctrl-C.'
        }
      ]
    : []),
  { flag: '-h, --help', description: 'Print this help.' }
]

interface Flag {
  flag: string
  default?: string
  description: string
}

/** `docs` is action.yml's inputs; undefined when it could not be read (names only then). */
export function commandHelp(
  command: Command,
  docs: readonly InputDoc[] | undefined,
  names: readonly string[],
  width = 100
): string {
  const doc = COMMAND_DOCS[command]
  const byName = new Map((docs ?? []).map((d) => [d.name, d]))
  const grouped = new Set(Object.values(GROUPS).flatMap((g) => g.inputs))
  const toFlag = (name: string): Flag => {
    const d = byName.get(name)
    const def = d?.default ?? ''
    const isSwitch = def === 'true' || def === 'false'
    const described = d ? plain(d.description) : '(described in action.yml)'
    return {
      flag: `${name === 'namespace' ? '-n, ' : ''}--${name}${isSwitch ? '' : ' <value>'}`,
      default: def && def !== 'false' && !def.includes('${{') ? def : undefined,
      description: [described, ON_THE_COMMAND_LINE[name]].filter(Boolean).join(' ')
    }
  }
  const present = (name: string) => names.includes(name)
  const sections: { title: string; flags: Flag[] }[] = doc.groups.map((g) => ({
    title: GROUPS[g].title,
    flags: GROUPS[g].inputs.filter(present).map(toFlag)
  }))
  // An input no group names yet (a new one) is still listed, for every command.
  const other = names.filter((n) => n !== 'command' && !grouped.has(n))
  if (other.length) sections.push({ title: 'Other', flags: other.map(toFlag) })
  sections.push({ title: 'Output', flags: OUTPUT_FLAGS(command) })

  const lines = [
    `Usage: knative-rollout ${command} [flags]`,
    '',
    ...wrap(doc.summary, width, ''),
    '',
    'Examples:',
    ...doc.examples.map((e) => `  ${e}`)
  ]
  for (const section of sections.filter((s) => s.flags.length)) {
    lines.push('', `${section.title}:`)
    for (const f of section.flags) {
      lines.push(`  ${f.flag}${f.default === undefined ? '' : `  (default: ${f.default})`}`)
      lines.push(...wrap(f.description, width, '      '))
    }
  }
  lines.push(
    '',
    ...wrap(
      'A flag takes its value as --name value or --name=value; a true/false flag alone means true. Each flag is the action input of the same name (action.yml).',
      width,
      ''
    )
  )
  return lines.join('\n')
}

/** action.yml's Markdown as terminal text: code spans unquoted, whitespace one space. */
function plain(markdown: string): string {
  return markdown
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim()
}

/** Words wrapped at `width` columns, each line indented. */
export function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ').filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(indent + line)
  return lines
}
