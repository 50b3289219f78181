/**
 * A `kserve-ts model-server` in this process on free ports, for the tests that serve a model file
 * and talk to it over REST (and gRPC): `serveModel` keeps it until `s.close()`, `withModelServer`
 * closes it after `fn`.
 */
import { createLogger } from '../../src/core/logger.ts';
import { parseModelServerArgs } from '../../src/dataplane/config.ts';
import { type RunningModelServer, startModelServer } from '../../src/dataplane/model-server.ts';

export interface ServedModel {
  s: RunningModelServer;
  /** `http://127.0.0.1:PORT` */
  url: string;
}

/** Serves `modelDir` (a file or a directory) as `name` (the server's default when absent); gRPC only when asked. */
export async function serveModel(modelDir: string, opts: { name?: string; grpc?: boolean } = {}): Promise<ServedModel> {
  const args = ['--model-dir', modelDir, '--host', '127.0.0.1', '--http-port', '0'];
  if (opts.name !== undefined) args.push('--model-name', opts.name);
  args.push(...(opts.grpc ? ['--grpc-port', '0'] : ['--enable-grpc', 'false']));
  const s = await startModelServer(parseModelServerArgs(args).config, createLogger({ level: 'silent' }));
  return { s, url: `http://127.0.0.1:${s.httpPort}` };
}

/** Runs `fn` against `modelDir` served as `name` over REST, then closes the server. */
export async function withModelServer<T>(modelDir: string, name: string, fn: (url: string) => Promise<T>): Promise<T> {
  const { s, url } = await serveModel(modelDir, { name });
  try {
    return await fn(url);
  } finally {
    await s.close();
  }
}

/** The input field names a served PMML model lists in its V2 metadata (`parameters.input_fields`). */
export async function pmmlInputFields(url: string, name: string): Promise<string[]> {
  const meta = (await (await fetch(`${url}/v2/models/${name}`)).json()) as { parameters?: { input_fields?: string } };
  return (meta.parameters?.input_fields ?? '').split(',').filter((f) => f !== '');
}
