// The environment variables the build reads (GITHUB_*, RUNNER_TEMP, DOCKER_CONFIG) and
// hands to the builders. Injected, never read from process.env inside src/build.

export type Env = Readonly<Record<string, string | undefined>>

/**
 * The runner hands every action input to node as INPUT_* variables, the registry password
 * among them; the builders need none of them.
 */
export function withoutInputs(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('INPUT_')))
}
