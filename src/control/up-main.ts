/**
 * `kserve-ts up`: the embedded control plane in one process — the Kubernetes API on the durable
 * store, the reconciler, the process driver (each replica a `kserve-ts model-server` child
 * process) and the gateway. Apply an InferenceService with kubectl and call it through the
 * gateway by Host or by `/serving/{namespace}/{name}/`. Ctrl-C stops everything it started.
 *
 *   kserve-ts up [--host 127.0.0.1] [--port 26443] [--gateway-port 28090] [--data-dir DIR] [--domain example.com]
 */
import { join } from 'node:path';
import { ALL_KINDS } from '../api/index.ts';
import { untilSignal } from '../core/lifecycle.ts';
import { createLogger } from '../core/logger.ts';
import { RoutingTable, startGateway } from '../gateway/index.ts';
import { defaultDataDir, parseApiServerArgs } from './apiserver-main.ts';
import { startApiServer } from './apiserver/server.ts';
import { ProcessDriver } from './drivers/process/process-driver.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { Reconciler } from './reconciler/index.ts';
import { syncRoutes } from './route-sync.ts';
import { seedBuiltinRuntimes } from './seed.ts';
import { SqliteStore } from './store/sqlite-store.ts';

/** How replicas start `kserve-ts` again: the node binary and the arguments before the command. */
export interface Launcher {
  command: string;
  args: readonly string[];
}

const DEFAULT_GATEWAY_PORT = 28090;

export function upUsage(env: NodeJS.ProcessEnv): string {
  return `usage: kserve-ts up [flags]

Runs the embedded control plane: the Kubernetes API (kubectl works), the reconciler, replicas as
child processes and the gateway.

flags:
  --host HOST          interface for the API and the gateway (default 127.0.0.1)
  --port N             API port (default 26443; 0 picks a free one)
  --gateway-port N     data-plane port (default ${DEFAULT_GATEWAY_PORT}; 0 picks a free one)
  --domain D           ingress domain of InferenceService URLs (default example.com)
  --data-dir DIR       database, replica logs (default ${defaultDataDir(env)})
  --kubeconfig FILE    the kubeconfig to write (default DATA_DIR/kubeconfig)
  --log-level LEVEL    debug | info | warn | error | silent (default info)
`;
}

/** Splits off the flags only `up` has; the rest are the API server's. */
function takeFlag(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${name}`) return argv.splice(i, 2)[1];
    if (a.startsWith(`--${name}=`)) return argv.splice(i, 1)[0]!.slice(name.length + 3);
  }
  return undefined;
}

export async function upMain(argv: readonly string[], env: NodeJS.ProcessEnv, launcher: Launcher, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out.write(upUsage(env));
    return 0;
  }
  const rest = [...argv];
  let gatewayPort: number;
  let domain: string;
  let cfg;
  try {
    const gp = takeFlag(rest, 'gateway-port');
    gatewayPort = gp === undefined ? DEFAULT_GATEWAY_PORT : Number(gp);
    if (!Number.isInteger(gatewayPort) || gatewayPort < 0 || gatewayPort > 65535) throw new Error(`flag --gateway-port: got ${JSON.stringify(gp)}, expected an integer from 0 to 65535`);
    domain = takeFlag(rest, 'domain') ?? 'example.com';
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(domain)) throw new Error(`flag --domain: got ${JSON.stringify(domain)}, expected a DNS name such as example.com`);
    cfg = parseApiServerArgs(rest, env);
  } catch (err) {
    process.stderr.write(`kserve-ts up: ${(err as Error).message}\n`);
    return 2;
  }
  const log = createLogger({ level: cfg.logLevel, fields: { component: 'up' } });
  const store = await SqliteStore.open({ dataDir: cfg.dataDir });
  await seedBuiltinRuntimes(store);
  const api = await startApiServer({ host: cfg.host, port: cfg.port, store, kinds: ALL_KINDS, log: log.child({ component: 'apiserver' }) });
  const host = cfg.host === '0.0.0.0' ? '127.0.0.1' : cfg.host;
  const apiUrl = `http://${host}:${api.port}`;
  await writeKubeconfig(cfg.kubeconfig, apiUrl);
  const driver = await ProcessDriver.open({ dataDir: join(cfg.dataDir, 'replicas'), log: log.child({ component: 'driver' }), baseEnv: env });
  const table = new RoutingTable();
  const gateway = await startGateway({ host: cfg.host, port: gatewayPort, table, domain, log: log.child({ component: 'gateway' }) });
  const reconciler = new Reconciler({
    store,
    driver,
    launcher: launcher.command,
    launcherArgs: launcher.args,
    domain,
    onRoutes: (routes) => syncRoutes(table, routes, domain),
    onError: (key, err) => log.warn('reconcile failed; retrying', { key, error: (err as Error).message }),
  });
  await reconciler.start();
  out.write(
    `kserve-ts up: API ${apiUrl}, gateway ${gateway.url} (data: ${cfg.dataDir})\n` +
      'try:\n' +
      `  export KUBECONFIG=${cfg.kubeconfig}\n` +
      '  kubectl apply -f examples/manifests/iris-onnx.yaml\n' +
      '  kubectl wait --for=condition=Ready isvc/iris --timeout=60s\n' +
      `  curl ${gateway.url}/serving/default/iris/v1/models/iris:predict -d '{"instances": [[6.8, 2.8, 4.8, 1.4]]}'\n`,
  );
  await untilSignal(
    async (signal) => {
      log.info('shutting down', { signal });
      await reconciler.close();
      await gateway.close();
      await driver.close();
      await api.close();
      await store.close();
    },
    (err) => log.error('shutdown failed', { err }),
  );
  return 0;
}
