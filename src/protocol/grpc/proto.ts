/**
 * Loading `proto/grpc_predict_v2.proto` at runtime with @grpc/proto-loader. The options here are
 * the contract the codec is written against (and the options `npm run gen:proto` generates types
 * with): field names as in the proto (`model_name`), 64-bit integers as decimal strings (no
 * precision lost), defaults for absent fields (empty strings and lists, `null` messages), and the
 * name of the set oneof member in `parameter_choice`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Options, type PackageDefinition, loadSync } from '@grpc/proto-loader';
import { internal } from '../../core/errors.ts';

export const PROTO_LOADER_OPTIONS: Readonly<Options> = Object.freeze({
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});

/** The fully qualified service name. */
export const INFERENCE_SERVICE = 'inference.GRPCInferenceService';

/**
 * The directory holding package.json, walking up from `fromUrl`. Works from src/ (tsx) and from
 * dist/ (compiled), which sit at different depths below the root.
 */
export function packageRoot(fromUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw internal(`no package.json above ${fileURLToPath(fromUrl)}`);
    dir = up;
  }
}

/** Absolute path of the OIP v2 proto file. */
export function protoPath(): string {
  return join(packageRoot(), 'proto', 'grpc_predict_v2.proto');
}

/** Parses the OIP v2 proto (synchronously; call once at startup, not per request). */
export function loadInferenceProto(): PackageDefinition {
  return loadSync(protoPath(), { ...PROTO_LOADER_OPTIONS });
}
