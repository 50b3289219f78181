/**
 * Anchor for targets 3 and 4: the least a Node gRPC inference server can do. A bare
 * @grpc/grpc-js server implementing inference.GRPCInferenceService/ModelInfer from the same proto
 * (proto/grpc_predict_v2.proto, loaded with @grpc/proto-loader and kserve-ts's loader options), with
 * the same message size limits. It decodes the request (grpc-js does) and answers a fixed-shape
 * response without running any model: raw_output_contents when the request used
 * raw_input_contents, typed int64_contents otherwise (as kserve-ts and Triton do). ServerLive too.
 *
 *   node --import tsx bench/anchors/bare-grpc.ts [--port 0] [--host 127.0.0.1]
 *   → prints "bare-grpc listening: HOST:PORT"
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { num, parseFlags } from '../lib/args.ts';
import { MAX_MESSAGE_BYTES, inferenceService } from '../lib/grpc.ts';

const OUTPUT = Buffer.from(new BigInt64Array([1n, 1n]).buffer);

interface InferRequest {
  model_name: string;
  id: string;
  raw_input_contents: Buffer[];
}

const modelInfer: grpc.handleUnaryCall<InferRequest, unknown> = (call, cb) => {
  const req = call.request;
  const output = { name: 'output-0', datatype: 'INT64', shape: ['2'] };
  const id = req.id || randomUUID();
  if (req.raw_input_contents.length > 0) {
    cb(null, { model_name: req.model_name, id, outputs: [output], raw_output_contents: [OUTPUT] });
  } else {
    cb(null, { model_name: req.model_name, id, outputs: [{ ...output, contents: { int64_contents: ['1', '1'] } }] });
  }
};

function main(argv: readonly string[]): void {
  const flags = parseFlags(argv, { port: '0', host: '127.0.0.1' });
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES, 'grpc.max_send_message_length': MAX_MESSAGE_BYTES });
  server.addService(inferenceService().service, {
    ModelInfer: modelInfer,
    ServerLive: ((_call, cb) => cb(null, { live: true })) as grpc.handleUnaryCall<unknown, unknown>,
  });
  server.bindAsync(`${flags.host}:${num(flags, 'port')}`, grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) throw err;
    process.stdout.write(`bare-grpc listening: ${flags.host}:${port}\n`);
  });
  const stop = (): void => server.forceShutdown();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.argv.slice(2));
