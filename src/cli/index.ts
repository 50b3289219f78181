/**
 * The CLI verbs (`apply`, `get`, `describe`, `delete`, `wait`, `logs`, `predict`), each talking to
 * the API server over HTTP as kubectl does. `runVerb` is the one place a CliError becomes a
 * message on stderr and an exit code (1: failed, 2: bad command line).
 */
import { applyCommand } from './apply.ts';
import { deleteCommand } from './delete.ts';
import { describeCommand } from './describe.ts';
import { CliError } from './errors.ts';
import { getCommand } from './get.ts';
import { logsCommand } from './logs.ts';
import { predictCommand } from './predict.ts';
import type { CliIo } from './session.ts';
import { waitCommand } from './wait.ts';

export type { CliIo } from './session.ts';
export { upApplyHook, EXAMPLE_REQUEST_ANNOTATION } from './up-start.ts';

const VERBS: Record<string, (argv: readonly string[], io: CliIo) => Promise<number>> = {
  apply: applyCommand,
  get: getCommand,
  describe: describeCommand,
  delete: deleteCommand,
  wait: waitCommand,
  logs: logsCommand,
  predict: predictCommand,
};

/** The verbs `runVerb` knows. */
export const CLI_VERBS = Object.keys(VERBS);

export const CLI_USAGE = `  apply          kserve-ts apply -f FILE|DIR|- [-n NS]              (server-side apply; created/configured/unchanged)
  get            kserve-ts get KIND [NAME...] [-n NS | -A] [-o wide|json|yaml|name]
  describe       kserve-ts describe isvc NAME [-n NS]                (conditions, components, modelStatus, events)
  delete         kserve-ts delete KIND NAME | -f FILE [--wait=true] [--timeout=60s] [--ignore-not-found]
  wait           kserve-ts wait --for=condition=Ready|delete isvc/NAME [--timeout=30s]
  logs           kserve-ts logs isvc/NAME [-c predictor|transformer|explainer] [-f] [--tail N]
  predict        kserve-ts predict NAME (--data FILE.json | --data - | -d JSON) [--model M]   (V1 or V2 by body)
                 (all: [--kubeconfig FILE] [--context NAME] [-n NS]; default kubeconfig: $KUBECONFIG, the one up writes, ~/.kube/config)
`;

/** Runs one verb; never throws for a CliError (prints it and returns its exit code). */
export async function runVerb(verb: string, argv: readonly string[], io: CliIo): Promise<number> {
  const fn = VERBS[verb];
  if (!fn) {
    io.stderr.write(`error: unknown command ${JSON.stringify(verb)}\n`);
    return 2;
  }
  try {
    return await fn(argv, io);
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    io.stderr.write(err.message.startsWith('Error from server') ? `${err.message}\n` : `error: ${err.message}\n`);
    return err.exitCode;
  }
}
