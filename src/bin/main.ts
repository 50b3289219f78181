/**
 * The composition root of the `kserve-ts` command: the only place that reads argv and env.
 *
 * Each command's module is imported when that command runs. Every replica is a `kserve-ts
 * model-server` process, and with the control plane and the CLI imported up front each one held
 * ~6 MB of heap for code it never runs (idle iris ONNX replica, /proc/PID/smaps_rollup: anonymous
 * memory 48 → 42 MB).
 */
const usage = (cliUsage: string): string => `usage: kserve-ts <command> [flags]

commands:
  model-server   serve models from a directory over KServe V1, Open Inference Protocol v2 REST and gRPC
                 kserve-ts model-server --model-dir DIR [--model-name NAME] [--model-format onnx]
                                        [--http-port 8080] [--grpc-port 8081] [--model-class FILE.ts]
  up             the embedded control plane: API, reconciler, model cache, replicas as processes, gateways
                 kserve-ts up [--port 26443] [--gateway-port 28090] [--data-dir DIR] [-f MANIFEST ...]
                 (-f: apply the manifests, wait Ready, print a curl for each and its answer)
  apiserver      the Kubernetes API for KServe's resources (kubectl apply / get / watch ...), on a SQLite store
                 kserve-ts apiserver [--port 26443] [--data-dir DIR] [--kubeconfig FILE]

cli (talks to the API server over HTTP, like kubectl):
${cliUsage}`;

/** Takes `-f FILE` / `--filename FILE` / `-f=FILE` (repeatable) out of `up`'s flags. */
function takeFiles(argv: readonly string[]): { files: string[]; rest: string[] } {
  const files: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^(?:-f|--filename)(?:=(.*))?$/.exec(a);
    if (!m) rest.push(a);
    else if (m[1] !== undefined) files.push(m[1]);
    else if (i + 1 < argv.length) files.push(argv[++i]!);
    else rest.push(a); // `-f` with no value: up's parser names it
  }
  return { files, rest };
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'model-server':
      return (await import('../dataplane/main.ts')).modelServerMain(rest);
    case 'apiserver':
      return (await import('../control/apiserver-main.ts')).apiserverMain(rest, env);
    case 'up': {
      // Replicas run this same program: the node binary, its flags (e.g. --import tsx) and script.
      const { files, rest: upArgs } = takeFiles(rest);
      const hooks = files.length > 0 ? { afterStart: (await import('../cli/index.ts')).upApplyHook(files, process.stdin) } : {};
      return (await import('../control/up-main.ts')).upMain(upArgs, env, { command: process.execPath, args: [...process.execArgv, process.argv[1]!] }, process.stdout, hooks);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage((await import('../cli/index.ts')).CLI_USAGE));
      return cmd === undefined ? 2 : 0;
    default: {
      const cli = await import('../cli/index.ts');
      if (cli.CLI_VERBS.includes(cmd)) return cli.runVerb(cmd, rest, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env });
      process.stderr.write(`kserve-ts: unknown command ${JSON.stringify(cmd)}\n${usage(cli.CLI_USAGE)}`);
      return 2;
    }
  }
}
