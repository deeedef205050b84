// Mutation testing of the pure modules (`npm run mutation`, not part of `npm test` or CI):
// Stryker changes one operator or literal at a time and checks that some unit test fails.
// scripts/mutation.mjs runs it and writes the per-file scores to bench/results/mutation.json.

/** The pure modules under test: add a new pure module here (and its unit tests to jest.mutation.config.js). */
export const pureModules = [
  'src/traffic.ts',
  'src/rollout/decide.ts',
  'src/rollout/state.ts',
  'src/rollout/lease.ts',
  'src/rollout/timing.ts',
  'src/rollout/step-decision.ts',
  'src/rollout/intent.ts',
  'src/rollout/drift.ts',
  'src/analysis/sequential.ts',
  'src/analysis/error-rate.ts',
  'src/analysis/mann-whitney.ts',
  'src/gitops/git-edit.ts',
  'src/gitops/manifest-edit.ts',
  'src/gitops/write-back.ts',
  'src/gitops/owner.ts',
  'src/pipeline/plan.ts',
  'src/pipeline/worst.ts',
  'src/pipeline/results.ts',
  'src/pipeline/bounded.ts',
  'src/analysis/judge.ts',
  'src/analysis/data-plane.ts',
  'src/analysis/choose-evidence.ts',
  'src/analysis/stats.ts',
  'src/analysis/reachability.ts',
  'src/analysis/metric-checks.ts',
  'src/rollout/evidence.ts',
  'src/report/progress.ts'
]

export default {
  mutate: pureModules,
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.mutation.config.js'
  },
  // The project's jest runs as ESM (see scripts/test.mjs).
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  coverageAnalysis: 'perTest',
  // Mutants of module-level constants would re-run every test; they are reported as ignored.
  ignoreStatic: true,
  // The machine is shared: one test process at a time.
  concurrency: 1,
  // The first run of every test that reaches these modules (the engine's too) takes minutes
  // on a shared machine; Stryker's default gives up after 5.
  dryRunTimeoutMinutes: 30,
  // A mutant that loops forever is detected (a timeout); do not wait long for it.
  timeoutMS: 5000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'coverage/mutation/mutation.json' },
  htmlReporter: { fileName: 'coverage/mutation/index.html' },
  // Not inside node_modules: jest ignores test files there. Git ignores it; removed after a run.
  tempDirName: '.stryker-tmp',
  // emulator/ stays: the seeded generator (emulator/dataplane/random.ts) feeds unit tests.
  ignorePatterns: ['dist', 'bench', 'examples', 'coverage', '.ci'],
  cleanTempDir: true
}
