/**
 * `kserve-ts apiserver`: the Kubernetes-compatible API for KServe's resources on the durable
 * store, and a kubeconfig for kubectl. `kserve-ts up` (the next issue) runs the same server with
 * the reconciler beside it.
 *
 *   kserve-ts apiserver [--host 127.0.0.1] [--port 26443] [--data-dir DIR] [--kubeconfig FILE]
 *                       [--log-level info]
 */
import { join } from 'node:path';
import { ALL_KINDS } from '../api/index.ts';
import { untilSignal } from '../core/lifecycle.ts';
import { createLogger, type LogLevel } from '../core/logger.ts';
import { startApiServer } from './apiserver/server.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { seedBuiltinRuntimes } from './seed.ts';
import { SqliteStore } from './store/sqlite-store.ts';

export interface ApiServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly kubeconfig: string;
  readonly logLevel: LogLevel;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
const DEFAULT_PORT = 26443;

/** The data dir when no flag names one: `$XDG_DATA_HOME/kserve-ts`, else `~/.local/share/kserve-ts`. */
export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_DATA_HOME || join(env.HOME || '.', '.local', 'share');
  return join(base, 'kserve-ts');
}

export function apiserverUsage(env: NodeJS.ProcessEnv): string {
  return `usage: kserve-ts apiserver [flags]

Serves KServe's resources (InferenceService, ServingRuntime, ClusterServingRuntime, InferenceGraph,
TrainedModel) over the Kubernetes API, stored durably in SQLite, and writes a kubeconfig for kubectl.

flags:
  --host HOST          interface to listen on (default 127.0.0.1; the API has no authentication)
  --port N             port (default ${DEFAULT_PORT}; 0 picks a free one)
  --data-dir DIR       where the database lives (default ${defaultDataDir(env)})
  --kubeconfig FILE    the kubeconfig to write (default DATA_DIR/kubeconfig)
  --log-level LEVEL    debug | info | warn | error | silent (default info)
`;
}

/** Parses flags (`--flag value` or `--flag=value`); throws an Error naming the flag, the value and what is expected. */
export function parseApiServerArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ApiServerConfig {
  const values: Record<string, string> = {};
  const known = new Set(['host', 'port', 'data-dir', 'kubeconfig', 'log-level']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--([a-z][a-z_-]*)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unexpected argument ${JSON.stringify(arg)}: expected --flag value`);
    const name = m[1]!.replace(/_/g, '-');
    if (!known.has(name)) throw new Error(`unknown flag --${m[1]}: expected one of ${[...known].map((k) => `--${k}`).join(', ')}`);
    const v = m[2] ?? argv[++i];
    if (v === undefined) throw new Error(`flag --${name} needs a value`);
    values[name] = v;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`flag --port: got ${JSON.stringify(values.port)}, expected an integer from 0 to 65535`);
  const logLevel = (values['log-level'] ?? 'info') as LogLevel;
  if (!LEVELS.includes(logLevel)) throw new Error(`flag --log-level: got ${JSON.stringify(logLevel)}, expected one of ${LEVELS.join(', ')}`);
  const dataDir = values['data-dir'] ?? defaultDataDir(env);
  if (dataDir === '') throw new Error('flag --data-dir: got "", expected a directory');
  return Object.freeze({ host: values.host ?? '127.0.0.1', port, dataDir, kubeconfig: values.kubeconfig ?? join(dataDir, 'kubeconfig'), logLevel });
}

export async function apiserverMain(argv: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out.write(apiserverUsage(env));
    return 0;
  }
  let cfg: ApiServerConfig;
  try {
    cfg = parseApiServerArgs(argv, env);
  } catch (err) {
    process.stderr.write(`kserve-ts apiserver: ${(err as Error).message}\n`);
    return 2;
  }
  const log = createLogger({ level: cfg.logLevel, fields: { component: 'apiserver' } });
  const store = await SqliteStore.open({ dataDir: cfg.dataDir });
  const seeded = await seedBuiltinRuntimes(store);
  if (seeded.length > 0) log.info('created the built-in ClusterServingRuntimes', { names: seeded });
  const server = await startApiServer({ host: cfg.host, port: cfg.port, store, kinds: ALL_KINDS, log });
  const host = cfg.host === '0.0.0.0' ? '127.0.0.1' : cfg.host;
  const url = `http://${host}:${server.port}`;
  await writeKubeconfig(cfg.kubeconfig, url);
  out.write(
    `kserve-ts apiserver listening: ${url} (data: ${cfg.dataDir})\n` +
      `kubeconfig: ${cfg.kubeconfig}\n` +
      'try:\n' +
      `  export KUBECONFIG=${cfg.kubeconfig}\n` +
      '  kubectl api-resources --api-group=serving.kserve.io\n' +
      '  kubectl apply -f examples/manifests/sklearn-iris.yaml\n' +
      '  kubectl get isvc\n',
  );
  await untilSignal(
    async (signal) => {
      log.info('shutting down', { signal });
      await server.close();
      await store.close();
    },
    (err) => log.error('shutdown failed', { err }),
  );
  return 0;
}
