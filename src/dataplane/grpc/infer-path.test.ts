/**
 * The ModelInfer fast path end to end, on a real server on port 0 with a grpc-js client that uses
 * none of the server's codecs: the hand-written decoder, in-place realignment and whole-buffer
 * transfer to an ONNX worker (several raw tensors in one message, misaligned, FP32 and FP64), the
 * HTTP/2 windows grpc-js does not open by itself, and malformed bytes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect as h2connect } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { OnnxType, buildModel } from '../../../scripts/onnx-builder.ts';
import { silentLogger } from '../../core/logger.ts';
import { OnnxModel } from '../../runtimes/onnx/onnx-model.ts';
import { DataPlane } from '../dataplane.ts';
import { ModelRepository } from '../repository.ts';
import { ownsWholeBuffer } from './grpcjs.ts';
import { GrpcServer } from './server.ts';

const MIB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'kserve-infer-path-'));
// Identity on an FP32 and an FP64 input of any length.
mkdirSync(join(dir, 'ident'));
writeFileSync(
  join(dir, 'ident', 'model.onnx'),
  buildModel({
    name: 'ident',
    nodes: [
      { op: 'Identity', inputs: ['a'], outputs: ['a_out'] },
      { op: 'Identity', inputs: ['b'], outputs: ['b_out'] },
    ],
    initializers: [],
    inputs: [{ name: 'a', type: OnnxType.FLOAT, dims: ['N'] }, { name: 'b', type: OnnxType.DOUBLE, dims: ['N'] }],
    outputs: [{ name: 'a_out', type: OnnxType.FLOAT, dims: ['N'] }, { name: 'b_out', type: OnnxType.DOUBLE, dims: ['N'] }],
  }),
);

const PROTO = new URL('../../../proto/grpc_predict_v2.proto', import.meta.url).pathname;
const definition = protoLoader.loadSync(PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
const Service = (grpc.loadPackageDefinition(definition).inference as grpc.GrpcObject).GRPCInferenceService as grpc.ServiceClientConstructor;

let server: GrpcServer;
let repository: ModelRepository;
let port: number;
let client: grpc.Client;

before(async () => {
  // inlineBudgetUs 0: every run goes to the worker thread, the path that transfers buffers
  const specs = ['ident', 'ident-x', 'ident-xyz'].map((name) => ({ name, create: () => new OnnxModel({ name, modelDir: join(dir, 'ident'), workers: 1, inlineBudgetUs: 0 }) }));
  repository = new ModelRepository({ list: async () => specs, find: async (n) => specs.find((s) => s.name === n) }, silentLogger);
  await repository.loadAll();
  const dataPlane = new DataPlane({ repository, log: silentLogger, maxInflight: 8 });
  dataPlane.markStarted();
  server = new GrpcServer(dataPlane, silentLogger, { host: '127.0.0.1', port: 0 });
  port = await server.listen();
  client = new Service(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': -1 });
});

after(async () => {
  client.close();
  await server.close();
  await repository.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(method: string, req: object | Buffer): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    if (Buffer.isBuffer(req)) {
      client.makeUnaryRequest(`/inference.GRPCInferenceService/${method}`, (b: Buffer) => b, (b: Buffer) => ({ bytes: b }), req, (err, res) => (err ? reject(err) : resolve(res!)));
    } else {
      (client as any)[method](req, (err: grpc.ServiceError | null, res: Record<string, any>) => (err ? reject(err) : resolve(res)));
    }
  });
}

describe('ModelInfer with large raw contents through an ONNX worker', () => {
  // model names of 5, 7 and 9 bytes put the raw contents at different offsets in the frame
  for (const model of ['ident', 'ident-x', 'ident-xyz']) {
    test(`${model}: 1 MiB of FP32 and 2 MiB of FP64 in one message come back bit for bit`, async () => {
      const n = 256 * 1024;
      const a = Float32Array.from({ length: n }, (_, i) => i * 0.25 - 7);
      const b = Float64Array.from({ length: n }, (_, i) => i * 1e-3 + 1 / 3);
      const res = await call('ModelInfer', {
        model_name: model,
        inputs: [{ name: 'a', datatype: 'FP32', shape: [n] }, { name: 'b', datatype: 'FP64', shape: [n] }],
        raw_input_contents: [Buffer.from(a.buffer), Buffer.from(b.buffer)],
      });
      const names = (res.outputs as { name: string }[]).map((o) => o.name);
      const rawOut = res.raw_output_contents as Buffer[];
      assert.ok(Buffer.from(a.buffer).equals(rawOut[names.indexOf('a_out')]!), 'FP32 data');
      assert.ok(Buffer.from(b.buffer).equals(rawOut[names.indexOf('b_out')]!), 'FP64 data');
    });
  }

  test('a message that is not protobuf is INVALID_ARGUMENT naming the field and byte', async () => {
    await assert.rejects(call('ModelInfer', Buffer.from([0x0a, 0x01, 0x61, 0x28, 0x01])), (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
      assert.match(err.details, /inference\.ModelInferRequest.*malformed protobuf in ModelInferRequest\.inputs at byte 4: wire type varint, expected length-delimited/);
      return true;
    });
  });
});

describe('HTTP/2 flow control', () => {
  test('the server opens its connection and stream receive windows to 4 MiB', async () => {
    const session = h2connect(`http://127.0.0.1:${port}`);
    try {
      const settings = await new Promise<{ initialWindowSize?: number }>((resolve) => session.on('remoteSettings', (s) => s.initialWindowSize !== 65535 && resolve(s)));
      assert.equal(settings.initialWindowSize, 4 * MIB);
      // a ping's answer comes after the WINDOW_UPDATE the server sent when the session opened
      await new Promise<void>((resolve, reject) => session.ping((err) => (err ? reject(err) : resolve())));
      assert.ok(session.state.remoteWindowSize! >= 4 * MIB - 65535, `connection window ${session.state.remoteWindowSize}`);
    } finally {
      session.close();
    }
  });
});

describe('ownsWholeBuffer', () => {
  test('true only for a frame alone in its ArrayBuffer (as grpc-js concatenates it), past the pool size', () => {
    const frame = Buffer.concat([Buffer.alloc(5), Buffer.alloc(64 * 1024, 1)]);
    assert.equal(ownsWholeBuffer(frame.subarray(5)), true);
    assert.equal(ownsWholeBuffer(frame), true);
    assert.equal(ownsWholeBuffer(frame.subarray(6)), false, 'more than a header in front');
    assert.equal(ownsWholeBuffer(frame.subarray(5, frame.length - 1)), false, 'bytes after it');
    const small = Buffer.concat([Buffer.alloc(5), Buffer.from('abc')]);
    assert.equal(ownsWholeBuffer(small.subarray(5)), false, 'a pool slice');
    assert.equal(ownsWholeBuffer(Buffer.from(new SharedArrayBuffer(64 * 1024))), false, 'shared memory');
  });
});
