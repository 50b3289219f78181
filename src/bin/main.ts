/**
 * The composition root of the `kserve-ts` command: the only place that reads argv and env.
 */
import { apiserverMain } from '../control/apiserver-main.ts';
import { upMain } from '../control/up-main.ts';
import { modelServerMain } from '../dataplane/main.ts';

const USAGE = `usage: kserve-ts <command> [flags]

commands:
  model-server   serve models from a directory over KServe V1, Open Inference Protocol v2 REST and gRPC
                 kserve-ts model-server --model-dir DIR [--model-name NAME] [--model-format onnx]
                                        [--http-port 8080] [--grpc-port 8081] [--model-class FILE.ts]
  up             the embedded control plane: API, reconciler, replicas as processes, gateway (preview)
                 kserve-ts up [--port 26443] [--gateway-port 28090] [--data-dir DIR]
  apiserver      the Kubernetes API for KServe's resources (kubectl apply / get / watch ...), on a SQLite store
                 kserve-ts apiserver [--port 26443] [--data-dir DIR] [--kubeconfig FILE]
`;

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'model-server':
      return modelServerMain(rest);
    case 'apiserver':
      return apiserverMain(rest, env);
    case 'up':
      // Replicas run this same program: the node binary, its flags (e.g. --import tsx) and script.
      return upMain(rest, env, { command: process.execPath, args: [...process.execArgv, process.argv[1]!] });
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`kserve-ts: unknown command ${JSON.stringify(cmd)}\n${USAGE}`);
      return 2;
  }
}
