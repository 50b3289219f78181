/**
 * Loading the OIP v2 proto for the bench's own gRPC client and bare server, with the same
 * proto-loader options as kserve-ts (src/protocol/grpc/proto.ts), so decode costs match.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** proto/grpc_predict_v2.proto of the repository, found upwards from this module (run from source or bundled). */
export function protoPath(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const p = join(dir, 'proto', 'grpc_predict_v2.proto');
    if (existsSync(p)) return p;
    if (dirname(dir) === dir) throw new Error(`no proto/grpc_predict_v2.proto above ${fileURLToPath(import.meta.url)}`);
  }
}

export const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true } as const;

export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** The generic-object service constructor for inference.GRPCInferenceService. */
export function inferenceService(): grpc.ServiceClientConstructor {
  const pkg = grpc.loadPackageDefinition(loadSync(protoPath(), { ...LOADER_OPTIONS }));
  const inference = pkg.inference as grpc.GrpcObject;
  return inference.GRPCInferenceService as grpc.ServiceClientConstructor;
}
