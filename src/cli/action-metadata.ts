// action.yml, read for the CLI's help: each input's description and default, in the file's
// order. action.yml is the one place inputs are described; the help is generated from it.
// Pure: the text comes in, typed data goes out.

import { parse } from 'yaml'

export interface InputDoc {
  name: string
  description: string
  default: string
}

export function inputDocs(actionYml: string): InputDoc[] {
  const action = parse(actionYml) as {
    inputs?: Record<string, { description?: unknown; default?: unknown }>
  }
  return Object.entries(action.inputs ?? {}).map(([name, spec]) => ({
    name,
    description: String(spec?.description ?? '').trim(),
    default: spec?.default === undefined ? '' : String(spec.default)
  }))
}
