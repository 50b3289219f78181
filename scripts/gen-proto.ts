/**
 * Generates the TypeScript types of the OIP gRPC messages from `proto/grpc_predict_v2.proto` into
 * `src/protocol/grpc/generated/` with `proto-loader-gen-types`. The options match how the server
 * loads the proto at runtime (`PROTO_LOADER_OPTIONS` in src/protocol/grpc/proto.ts): field names
 * as in the proto, 64-bit integers as decimal strings, defaults filled in, oneof names set.
 *
 * `npm run gen:proto` regenerates; `src/protocol/grpc/generated.test.ts` checks the checked-in
 * files are what this script produces.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/** The repository root (this file lives in scripts/). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The proto file, relative to the root (the generated files name it in a comment). */
export const PROTO_FILE = 'proto/grpc_predict_v2.proto';
/** Where the generated files are checked in, relative to the root. */
export const GENERATED_DIR = 'src/protocol/grpc/generated';

const GEN_ARGS = [
  '--keepCase',
  '--longs=String',
  '--enums=String',
  '--defaults',
  '--oneofs',
  '--includeComments',
  '--grpcLib=@grpc/grpc-js',
  '--importFileExtension=.ts',
];

/** Runs proto-loader-gen-types, writing into `outDir` (absolute). */
export async function generate(outDir: string): Promise<void> {
  const bin = createRequire(import.meta.url).resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js');
  await promisify(execFile)(process.execPath, [bin, ...GEN_ARGS, '-O', outDir, PROTO_FILE], { cwd: ROOT });
}

async function main(): Promise<void> {
  const out = resolve(ROOT, GENERATED_DIR);
  await rm(out, { recursive: true, force: true });
  await generate(out);
  process.stdout.write(`generated ${GENERATED_DIR} from ${PROTO_FILE}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
