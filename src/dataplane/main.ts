/**
 * `kserve-ts model-server`: parse flags, start, print where to call, stop gracefully on
 * SIGTERM/SIGINT (stop accepting, finish in-flight requests, unload, exit).
 */
import { ServingError } from '../core/errors.ts';
import { createLogger } from '../core/logger.ts';
import { parseModelServerArgs } from './config.ts';
import { startModelServer } from './model-server.ts';

export async function modelServerMain(argv: readonly string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  let parsed;
  try {
    parsed = parseModelServerArgs(argv);
  } catch (err) {
    process.stderr.write(`kserve-ts model-server: ${err instanceof ServingError ? err.message : String(err)}\n`);
    return 2;
  }
  const { config, notes } = parsed;
  const log = createLogger({ level: config.logLevel, fields: { component: 'model-server' } });
  for (const n of notes) log.info(n);
  const server = await startModelServer(config, log);
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const idx = server.dataPlane.repositoryIndex();
  out.write(`kserve-ts model-server listening: http://${host}:${server.httpPort}` + (server.grpcPort !== undefined ? `, grpc ${host}:${server.grpcPort}` : '') + '\n');
  for (const m of idx) {
    out.write(`  model ${m.name}: ${m.state}${m.reason ? ` (${m.reason})` : ''}\n`);
  }
  const ready = idx.find((m) => m.state === 'READY');
  if (ready) {
    out.write(`try:\n  curl http://${host}:${server.httpPort}/v2/models/${ready.name}\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = (sig: string): void => {
      log.info('shutting down', { signal: sig });
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      void server.close().then(resolve, resolve);
    };
    const onTerm = (): void => stop('SIGTERM');
    const onInt = (): void => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
  return 0;
}
