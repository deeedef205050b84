#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  buildAndPush,
  cliProgress,
  exitCodeFor,
  formatCliOutputs,
  run,
  spawnCommand,
  toOutputs
} from "./chunks/chunk-4SHVNWOS.js";
import {
  COMMANDS,
  INPUT_NAMES,
  InputError2 as InputError,
  SECRET_INPUTS,
  parseBuildOptions,
  parseInputs,
  terminalLogger,
  wallClock
} from "./chunks/chunk-QCR6GPUF.js";
import "./chunks/chunk-DJSID42M.js";
import "./chunks/chunk-O6W5F67O.js";

// src/cli.ts
import { pathToFileURL } from "node:url";
import { existsSync, readFileSync, realpathSync } from "node:fs";
var USAGE = `Usage: knative-rollout <command> [--<input> <value> ...]

Commands: ${COMMANDS.join(", ")}
  rollout   create a candidate revision at 0%, step its traffic while probing it, then promote or roll back
  promote   continue a paused rollout (with analysis), to 100%
  abort     put a paused rollout's traffic back on the current revision
  status    print the rollout state kept on the Service
  preview   create the candidate at 0%, reachable on its tag URL only

Inputs are the action's (action.yml), as flags: --service shop --image ghcr.io/acme/shop:1.2
--steps 10,25,50,100 --step-interval 30s --pause-at 25 --dry-run --wait-for-lock ...
The cluster comes from --kubeconfig (a file or its content), else KUBECONFIG or ~/.kube/config.

Exit status: 0 promoted, paused, aborted, unchanged, status; 1 rolled back or failed; 2 bad usage.
Outputs are printed to stdout as one JSON line.`;
function parseArgs(argv) {
  const flags = /* @__PURE__ */ new Map();
  let command;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      help = true;
    } else if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      if (!INPUT_NAMES.includes(name) || name === "command")
        throw new InputError([`--${name}: not an input; see --help`]);
      if (eq > 0) flags.set(name, arg.slice(eq + 1));
      else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) flags.set(name, argv[++i]);
      else flags.set(name, "true");
    } else if (command === void 0) {
      command = arg;
    } else {
      throw new InputError([`unexpected argument "${arg}"; see --help`]);
    }
  }
  return { command, flags, help };
}
async function cli(argv, env = process.env) {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`${err.message}
`);
    return 2;
  }
  if (parsed.help || !parsed.command) {
    process.stdout.write(USAGE + "\n");
    return parsed.help ? 0 : 2;
  }
  const get = (name) => {
    if (name === "command") return parsed.command;
    const value = parsed.flags.get(name);
    if (name === "kubeconfig" && value && !value.includes("\n") && existsSync(value)) {
      return readFileSync(value, "utf8");
    }
    return value;
  };
  const secrets = SECRET_INPUTS.map((name) => get(name));
  let inputs;
  try {
    inputs = parseInputs(get);
  } catch (err) {
    process.stderr.write(`${err.message}
`);
    return 2;
  }
  const log = terminalLogger({ secrets, verbose: env.KNATIVE_ROLLOUT_VERBOSE === "1" });
  const progress = cliProgress((line) => process.stderr.write(line + "\n"), secrets);
  const cancel = new AbortController();
  const onSignal = (signal) => () => cancel.abort(new Error(`${signal} received`));
  process.once("SIGINT", onSignal("SIGINT"));
  process.once("SIGTERM", onSignal("SIGTERM"));
  const build = inputs.build ? async () => {
    const built = await buildAndPush(parseBuildOptions(get), {
      run: spawnCommand,
      clock: wallClock,
      log: (l) => log.info(l),
      env
    });
    return { image: built.image, digest: built.digest };
  } : void 0;
  const outcome = await run(inputs, {
    clock: wallClock,
    log,
    env,
    signal: cancel.signal,
    build,
    onStep: progress.step
  });
  progress.result(outcome);
  if (!outcome.reason) log.info(outcome.message);
  process.stdout.write(formatCliOutputs(toOutputs(outcome)) + "\n");
  return exitCodeFor(outcome);
}
function runCli(argv) {
  cli(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}
`);
      process.exitCode = 1;
    }
  );
}
var invoked = process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
if (invoked) runCli(process.argv.slice(2));
export {
  USAGE,
  cli,
  parseArgs,
  runCli
};
