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
import { RoutingTable, startGateway, startGrpcGateway } from '../gateway/index.ts';
import { defaultDataDir, parseApiServerArgs } from './apiserver-main.ts';
import { startApiServer } from './apiserver/server.ts';
import { ProcessDriver } from './drivers/process/process-driver.ts';
import { ISVC_LOG_SUBRESOURCE, isvcLogs } from './isvc-logs.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { ModelFetcher } from './model-fetcher.ts';
import { Reconciler } from './reconciler/index.ts';
import { parseQuantity } from './reconciler/pod-settings.ts';
import { ModelCache } from '../storage/cache/cache.ts';
import { storageProviders } from '../storage/index.ts';
import { syncRoutes } from './route-sync.ts';
import { seedBuiltinRuntimes } from './seed.ts';
import { SqliteStore } from './store/sqlite-store.ts';

/** How replicas start `kserve-ts` again: the node binary and the arguments before the command. */
export interface Launcher {
  command: string;
  args: readonly string[];
}

/** Where `up` serves, handed to `UpHooks.afterStart` (the composition root applies manifests with it). */
export interface UpInfo {
  apiUrl: string;
  gatewayUrl: string;
  /** `host:port` of the gRPC gateway (h2c), a gRPC client target. */
  grpcTarget: string;
  kubeconfig: string;
  dataDir: string;
}

export interface UpHooks {
  /**
   * Runs once everything listens (e.g. `up -f FILE`: apply, wait Ready, print the curl). A
   * rejection is logged; `up` keeps running. Resolves before the usage hint is printed.
   */
  afterStart?(info: UpInfo, out: NodeJS.WritableStream): Promise<void>;
}

const DEFAULT_GATEWAY_PORT = 28090;
const DEFAULT_GRPC_GATEWAY_PORT = 28091;

export function upUsage(env: NodeJS.ProcessEnv): string {
  return `usage: kserve-ts up [flags]

Runs the embedded control plane: the Kubernetes API (kubectl works), the reconciler, replicas as
child processes and the gateway.

flags:
  --host HOST          interface for the API and the gateway (default 127.0.0.1)
  --port N             API port (default 26443; 0 picks a free one)
  --gateway-port N     data-plane HTTP port (default ${DEFAULT_GATEWAY_PORT}; 0 picks a free one)
  --grpc-gateway-port N  data-plane gRPC port, h2c (default ${DEFAULT_GRPC_GATEWAY_PORT}; 0 picks a free one)
  --domain D           ingress domain of InferenceService URLs (default example.com)
  --data-dir DIR       database, replica logs, model cache (default ${defaultDataDir(env)})
  --model-cache-size Q the model cache's bound, a Kubernetes quantity (default 50Gi); models no
                       replica uses are evicted least recently used first
  --pvc-root DIR       where pvc://{claim}/{path} storageUris resolve (default $KSERVE_TS_PVC_ROOT, else DATA_DIR/volumes)
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

function portFlag(name: string, raw: string | undefined, dflt: number): number {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`flag --${name}: got ${JSON.stringify(raw)}, expected an integer from 0 to 65535`);
  return n;
}

export async function upMain(argv: readonly string[], env: NodeJS.ProcessEnv, launcher: Launcher, out: NodeJS.WritableStream = process.stdout, hooks: UpHooks = {}): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out.write(upUsage(env));
    return 0;
  }
  const rest = [...argv];
  let gatewayPort: number;
  let grpcGatewayPort: number;
  let domain: string;
  let cacheMaxBytes: number;
  let pvcRoot: string | undefined;
  let cfg;
  try {
    const gp = takeFlag(rest, 'gateway-port');
    gatewayPort = portFlag('gateway-port', gp, DEFAULT_GATEWAY_PORT);
    grpcGatewayPort = portFlag('grpc-gateway-port', takeFlag(rest, 'grpc-gateway-port'), DEFAULT_GRPC_GATEWAY_PORT);
    domain = takeFlag(rest, 'domain') ?? 'example.com';
    const size = takeFlag(rest, 'model-cache-size') ?? '50Gi';
    const parsed = parseQuantity(size);
    if (parsed === undefined || parsed <= 0) throw new Error(`flag --model-cache-size: got ${JSON.stringify(size)}, expected a positive quantity such as 50Gi or 500M`);
    cacheMaxBytes = parsed;
    pvcRoot = takeFlag(rest, 'pvc-root');
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(domain)) throw new Error(`flag --domain: got ${JSON.stringify(domain)}, expected a DNS name such as example.com`);
    cfg = parseApiServerArgs(rest, env);
  } catch (err) {
    process.stderr.write(`kserve-ts up: ${(err as Error).message}\n`);
    return 2;
  }
  const log = createLogger({ level: cfg.logLevel, fields: { component: 'up' } });
  const store = await SqliteStore.open({ dataDir: cfg.dataDir });
  await seedBuiltinRuntimes(store);
  // The log subresource reads the driver, opened below; the closures run only on requests.
  const logs = isvcLogs({ driver: { revisions: () => driver.revisions(), replicas: (id) => driver.replicas(id) } });
  const api = await startApiServer({ host: cfg.host, port: cfg.port, store, kinds: ALL_KINDS, log: log.child({ component: 'apiserver' }), subresources: { [ISVC_LOG_SUBRESOURCE]: logs } });
  const host = cfg.host === '0.0.0.0' ? '127.0.0.1' : cfg.host;
  const apiUrl = `http://${host}:${api.port}`;
  const driver = await ProcessDriver.open({ dataDir: join(cfg.dataDir, 'replicas'), log: log.child({ component: 'driver' }), baseEnv: env });
  const table = new RoutingTable();
  const gateway = await startGateway({ host: cfg.host, port: gatewayPort, table, domain, log: log.child({ component: 'gateway' }) });
  const grpcGateway = await startGrpcGateway({ host: cfg.host, port: grpcGatewayPort, table, log: log.child({ component: 'grpc-gateway' }) });
  await writeKubeconfig(cfg.kubeconfig, apiUrl, { extension: { gateway: gateway.url, grpcGateway: grpcGateway.target } });
  const cache = await ModelCache.open({ dir: join(cfg.dataDir, 'models'), maxBytes: cacheMaxBytes, providers: storageProviders({ pvcRoot: pvcRoot ?? env.KSERVE_TS_PVC_ROOT ?? join(cfg.dataDir, 'volumes') }), log: log.child({ component: 'storage' }) });
  // The fetcher tells the reconciler when a model is ready; the reconciler is made just below.
  let requeue: (owner: string) => void = () => undefined;
  const fetcher = new ModelFetcher({ source: cache, onChange: (owner) => requeue(owner), log: log.child({ component: 'storage' }) });
  const reconciler = new Reconciler({
    store,
    driver,
    launcher: launcher.command,
    launcherArgs: launcher.args,
    domain,
    gatewayAddress: `${host}:${gateway.port}`,
    fetcher,
    storageEnv: env,
    onRoutes: (routes) => {
      for (const problem of syncRoutes(table, routes, domain)) log.warn('route refused', { problem });
    },
    onError: (key, err) => log.warn('reconcile failed; retrying', { key, error: (err as Error).message }),
  });
  requeue = (owner) => reconciler.requeue(owner);
  await reconciler.start();
  // Signals are handled from here on, before anything is printed: a Ctrl-C or SIGTERM while the
  // start-up hook waits for a model still stops every replica.
  const stopped = untilSignal(
    async (signal) => {
      log.info('shutting down', { signal });
      await reconciler.close();
      await gateway.close();
      await grpcGateway.close();
      await driver.close();
      await api.close();
      await cache.close();
      await store.close();
    },
    (err) => log.error('shutdown failed', { err }),
  );
  out.write(`kserve-ts up: API ${apiUrl}, gateway ${gateway.url}, gRPC gateway ${grpcGateway.target} (data: ${cfg.dataDir})\n`);
  if (hooks.afterStart) {
    await hooks.afterStart({ apiUrl, gatewayUrl: gateway.url, grpcTarget: grpcGateway.target, kubeconfig: cfg.kubeconfig, dataDir: cfg.dataDir }, out).catch((err: unknown) => log.error('start-up step failed', { error: (err as Error).message }));
  } else {
    out.write(
      'try:\n' +
        `  export KUBECONFIG=${cfg.kubeconfig}\n` +
        '  kubectl apply -f examples/manifests/iris-onnx.yaml\n' +
        '  kubectl wait --for=condition=Ready isvc/iris --timeout=60s\n' +
        `  curl ${gateway.url}/serving/default/iris/v1/models/iris:predict -d '{"instances": [[6.8, 2.8, 4.8, 1.4]]}'\n`,
    );
  }
  await stopped;
  return 0;
}
