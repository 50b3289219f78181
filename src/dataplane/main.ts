/**
 * `kserve-ts model-server`: parse flags, start, print where to call, stop gracefully on
 * SIGTERM/SIGINT (stop accepting, finish in-flight requests, unload, exit).
 */
import { ServingError } from '../core/errors.ts';
import { createLogger } from '../core/logger.ts';
import { modelServerUsage, parseModelServerArgs } from './config.ts';
import type { ModelMetadata } from '../protocol/infer.ts';
import { startModelServer } from './model-server.ts';

/** Example calls for a model: metadata, and (for small fixed-size inputs) a V2 infer with zeros. */
export function howToCall(base: string, meta: ModelMetadata): string {
  const lines = ['try:', `  curl ${base}/v2/models/${meta.name}`];
  const inputs = meta.inputs.map((t) => ({ ...t, shape: t.shape.map((d) => (d < 1 ? 1 : d)) }));
  const small = inputs.length > 0 && inputs.every((t) => t.datatype !== 'BYTES' && t.shape.reduce((a, b) => a * b, 1) <= 16);
  if (small) {
    const body = {
      inputs: inputs.map((t) => ({ name: t.name, shape: t.shape, datatype: t.datatype, data: new Array<number | boolean>(t.shape.reduce((a, b) => a * b, 1)).fill(t.datatype === 'BOOL' ? false : 0) })),
    };
    lines.push(`  curl ${base}/v2/models/${meta.name}/infer -H 'content-type: application/json' -d '${JSON.stringify(body)}'`);
    if (inputs.length === 1) {
      const row = body.inputs[0]!.data.slice(0, inputs[0]!.shape.slice(1).reduce((a, b) => a * b, 1));
      lines.push(`  curl ${base}/v1/models/${meta.name}:predict -d '${JSON.stringify({ instances: [row] })}'`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The exit message when every configured model failed to load at startup (none configured, or
 * one READY: undefined). Each failed model is named with its reason, so the last log line a
 * supervisor keeps is the model server's own error.
 */
export function startupFailure(idx: readonly { name: string; state: string; reason?: string }[]): string | undefined {
  if (idx.length === 0 || idx.some((m) => m.state !== 'FAILED')) return undefined;
  return `kserve-ts model-server: no model could be loaded, exiting: ${idx.map((m) => `model ${m.name}: ${m.reason ?? 'failed'}`).join('; ')}`;
}

export async function modelServerMain(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, errOut: NodeJS.WritableStream = process.stderr): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out.write(modelServerUsage());
    return 0;
  }
  let parsed;
  try {
    parsed = parseModelServerArgs(argv);
  } catch (err) {
    errOut.write(`kserve-ts model-server: ${err instanceof ServingError ? err.message : String(err)}\n`);
    return 2;
  }
  const { config, notes } = parsed;
  const log = createLogger({ level: config.logLevel, fields: { component: 'model-server' } });
  for (const n of notes) log.info(n);
  const server = await startModelServer(config, log);
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const idx = server.dataPlane.repositoryIndex();
  const unloadable = startupFailure(idx);
  if (unloadable !== undefined) {
    // As KServe's model server: a model that cannot load at startup ends the process with an error,
    // so a supervisor (kubelet, the process driver) reports FailedToLoad with this message instead
    // of a replica that never turns ready.
    await server.close();
    errOut.write(`${unloadable}\n`);
    return 1;
  }
  // One write, so a reader of the pipe sees the whole banner at once.
  let banner = `kserve-ts model-server listening: http://${host}:${server.httpPort}` + (server.grpcPort !== undefined ? `, grpc ${host}:${server.grpcPort}` : '') + '\n';
  for (const m of idx) banner += `  model ${m.name}: ${m.state}${m.reason ? ` (${m.reason})` : ''}\n`;
  const ready = idx.find((m) => m.state === 'READY');
  if (ready) banner += howToCall(`http://${host}:${server.httpPort}`, server.dataPlane.modelMetadata(ready.name));
  out.write(banner);
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
