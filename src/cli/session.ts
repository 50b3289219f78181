/**
 * What every verb shares: its streams and environment (handed in by the composition root), the
 * connection flags kubectl has (`--kubeconfig`, `--context`, `-n/--namespace`), and the client
 * they resolve to.
 */
import { ApiClient } from './client.ts';
import { loadKubeconfig, type ClusterTarget } from './kubeconfig.ts';
import type { FlagSpec, ParsedArgs } from './args.ts';

/** The streams and environment of one CLI invocation. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

/** The flags that pick the cluster and namespace, accepted by every verb that talks to the API. */
export const CONNECTION_FLAGS: FlagSpec = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
};

export interface Session {
  client: ApiClient;
  target: ClusterTarget;
  /** `-n`, else the context's namespace. */
  namespace: string;
}

/** Loads the kubeconfig the flags and env point at. */
export async function connect(args: ParsedArgs, io: CliIo): Promise<Session> {
  const target = await loadKubeconfig(args.flags.kubeconfig as string | undefined, io.env, args.flags.context as string | undefined);
  return { client: new ApiClient(target.server), target, namespace: (args.flags.namespace as string | undefined) ?? target.namespace };
}
