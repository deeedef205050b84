// The titles of a run's log groups (Logger.phase): one per phase, so a long Actions log
// folds into build, candidate, each step (rollout/step-loop.ts), and the end. Pure.

const COMMAND_PHASE: Record<string, string> = {
  rollout: 'Candidate revision',
  preview: 'Preview revision',
  promote: 'Promote',
  abort: 'Abort',
  status: 'Status'
}

export const BUILD_PHASE = 'Build and push'

/** The phase the engine starts in: the candidate (rollout), or the command's own. */
export function commandPhase(command: string, namespace: string, service: string): string {
  return `${COMMAND_PHASE[command] ?? command}: ${namespace}/${service}`
}

/** The last phase: the end of the run, its result in the title. */
export function resultPhase(result: string): string {
  return `Result: ${result}`
}
