 
/**
 * GrpcServer end to end: a real server on port 0 over a real DataPlane and ModelRepository, and a
 * client that shares none of the project's codecs — @grpc/grpc-js with the proto loaded
 * dynamically, request objects and raw buffers built by hand.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { silentLogger } from '../../core/logger.ts';
import type { InferRequest, ModelMetadata } from '../../protocol/infer.ts';
import { Model, type PredictResult, type RequestContext } from '../../runtimes/model.ts';
import { DataPlane } from '../dataplane.ts';
import { type ModelSource, type ModelSpec, ModelRepository } from '../repository.ts';
import { GrpcServer } from './server.ts';

// ---- models ---------------------------------------------------------------------------------

/** Returns every input as an output; echoes the x-echo header; `explode` makes it throw. */
class EchoModel extends Model {
  async load(): Promise<void> {}
  metadata(): ModelMetadata {
    return { name: this.name, platform: 'test_echo', inputs: [], outputs: [] };
  }
  predict(req: InferRequest, ctx: RequestContext): PredictResult | Promise<PredictResult> {
    if (req.parameters?.explode === true) throw new Error('secret detail that must not reach the client');
    const echo = ctx.headers['x-echo'];
    return { outputs: req.inputs.map((t) => ({ ...t })), ...(echo !== undefined ? { parameters: { echo } } : {}) };
  }
}

/** Sums each row of FP32 x[n, 2] into y[n]; declares its metadata, so inputs are validated. */
class RowSumModel extends Model {
  async load(): Promise<void> {}
  metadata(): ModelMetadata {
    return { name: this.name, platform: 'test_rowsum', inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }], outputs: [{ name: 'y', datatype: 'FP32', shape: [-1] }] };
  }
  predict(req: InferRequest): PredictResult {
    const x = req.inputs[0]!.data as Float32Array;
    const y = new Float32Array(x.length / 2).map((_, i) => x[2 * i]! + x[2 * i + 1]!);
    return { outputs: [{ name: 'y', datatype: 'FP32', shape: [y.length], data: y }] };
  }
}

class BrokenModel extends Model {
  async load(): Promise<void> {
    throw new Error('weights file missing');
  }
  metadata(): ModelMetadata {
    return { name: this.name, platform: 'test_broken', inputs: [], outputs: [] };
  }
  predict(): PredictResult {
    return { outputs: [] };
  }
}

/** Holds every predict until `release()`. */
class HangModel extends EchoModel {
  private waiters: (() => void)[] = [];
  started = 0;
  override async predict(req: InferRequest, ctx: RequestContext): Promise<PredictResult> {
    this.started++;
    await new Promise<void>((r) => this.waiters.push(r));
    return super.predict(req, ctx);
  }
  release(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

function sourceOf(specs: ModelSpec[]): ModelSource {
  return { list: async () => specs, find: async (name) => specs.find((s) => s.name === name) };
}

async function startServer(specs: ModelSpec[], opts: Partial<ConstructorParameters<typeof GrpcServer>[2]> = {}) {
  const repository = new ModelRepository(sourceOf(specs), silentLogger);
  await repository.loadAll();
  const dataPlane = new DataPlane({ repository, log: silentLogger, maxInflight: 8 });
  dataPlane.markStarted();
  const server = new GrpcServer(dataPlane, silentLogger, { host: '127.0.0.1', port: 0, ...opts });
  const port = await server.listen();
  return { repository, dataPlane, server, port };
}

// ---- an independent client -------------------------------------------------------------------

const PROTO = new URL('../../../proto/grpc_predict_v2.proto', import.meta.url).pathname;
const definition = protoLoader.loadSync(PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
const Service = (grpc.loadPackageDefinition(definition).inference as grpc.GrpcObject).GRPCInferenceService as grpc.ServiceClientConstructor;

type Msg = Record<string, any>;
interface Client {
  call(method: string, req: Msg, md?: Record<string, string>): Promise<Msg>;
  callBytes(method: string, body: Buffer): Promise<Msg>;
  close(): void;
}

function connect(port: number): Client {
  const c = new Service(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': -1 });
  return {
    call: (method, req, md = {}) =>
      new Promise((resolve, reject) => {
        const meta = new grpc.Metadata();
        for (const [k, v] of Object.entries(md)) meta.add(k, v);
        (c as any)[method](req, meta, (err: grpc.ServiceError | null, res: Msg) => (err ? reject(err) : resolve(res)));
      }),
    callBytes: (method, body) =>
      new Promise((resolve, reject) => {
        c.makeUnaryRequest(`/inference.GRPCInferenceService/${method}`, (b: Buffer) => b, (b: Buffer) => ({ bytes: b }), body, (err, res) => (err ? reject(err) : resolve(res!)));
      }),
    close: () => c.close(),
  };
}

async function rejectsWith(p: Promise<unknown>, code: grpc.status, ...parts: string[]): Promise<void> {
  await assert.rejects(p, (err: grpc.ServiceError) => {
    assert.equal(err.code, code, `code ${err.code} (${err.details})`);
    for (const part of parts) assert.ok(err.details.includes(part), `${JSON.stringify(err.details)} lacks ${JSON.stringify(part)}`);
    return true;
  });
}

/** Little-endian raw bytes of `values`, `size` bytes each, written by `write`. */
function raw<T>(values: T[], size: number, write: (b: Buffer, v: T, off: number) => unknown): Buffer {
  const b = Buffer.alloc(values.length * size);
  values.forEach((v, i) => write(b, v, i * size));
  return b;
}

function rawBytes(items: string[]): Buffer {
  return Buffer.concat(items.flatMap((s) => [raw([Buffer.byteLength(s)], 4, (b, v, o) => b.writeUInt32LE(v, o)), Buffer.from(s)]));
}

const BIG = '9007199254740993'; // 2^53 + 1: not a double

// ---- tests ---------------------------------------------------------------------------------------

describe('GrpcServer', () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  let client: Client;

  before(async () => {
    srv = await startServer([
      { name: 'echo', create: () => new EchoModel('echo') },
      { name: 'rowsum', version: '1', create: () => new RowSumModel('rowsum') },
      { name: 'broken', create: () => new BrokenModel('broken') },
    ]);
    client = connect(srv.port);
  });
  after(async () => {
    client.close();
    await srv.server.close();
    await srv.repository.close();
  });

  test('ServerLive, ServerReady, ServerMetadata', async () => {
    assert.deepEqual(await client.call('ServerLive', {}), { live: true });
    assert.deepEqual(await client.call('ServerReady', {}), { ready: true });
    const meta = await client.call('ServerMetadata', {});
    assert.equal(meta.name, 'kserve-ts');
    assert.ok(meta.extensions.includes('model_repository_extension'));
  });

  test('ModelReady: true, false for a failed model, NOT_FOUND for an unknown one or version', async () => {
    assert.deepEqual(await client.call('ModelReady', { name: 'echo' }), { ready: true });
    assert.deepEqual(await client.call('ModelReady', { name: 'rowsum', version: '1' }), { ready: true });
    assert.deepEqual(await client.call('ModelReady', { name: 'broken' }), { ready: false });
    await rejectsWith(client.call('ModelReady', { name: 'nope' }), grpc.status.NOT_FOUND, 'nope');
    await rejectsWith(client.call('ModelReady', { name: 'rowsum', version: '7' }), grpc.status.NOT_FOUND, 'version 7');
    await rejectsWith(client.call('ModelReady', { name: '' }), grpc.status.INVALID_ARGUMENT, 'name');
  });

  test('ModelMetadata: datatypes, -1 dims, versions; NOT_FOUND and UNAVAILABLE', async () => {
    assert.deepEqual(await client.call('ModelMetadata', { name: 'rowsum' }), {
      name: 'rowsum', versions: ['1'], platform: 'test_rowsum',
      inputs: [{ name: 'x', datatype: 'FP32', shape: ['-1', '2'] }], outputs: [{ name: 'y', datatype: 'FP32', shape: ['-1'] }],
    });
    await rejectsWith(client.call('ModelMetadata', { name: 'nope' }), grpc.status.NOT_FOUND);
    await rejectsWith(client.call('ModelMetadata', { name: 'broken' }), grpc.status.UNAVAILABLE, 'weights file missing');
  });

  test('RepositoryIndex: the failed model is FAILED with its reason while the others serve', async () => {
    const { models } = await client.call('RepositoryIndex', {});
    assert.deepEqual(models, [
      { name: 'broken', version: '', state: 'FAILED', reason: 'weights file missing' },
      { name: 'echo', version: '', state: 'READY', reason: '' },
      { name: 'rowsum', version: '1', state: 'READY', reason: '' },
    ]);
    const ready = await client.call('RepositoryIndex', { ready: true });
    assert.deepEqual(ready.models.map((m: Msg) => m.name), ['echo', 'rowsum']);
  });

  const typedInputs: [string, string, number[], string, unknown[]][] = [
    ['bool', 'BOOL', [2], 'bool_contents', [true, false]],
    ['u8', 'UINT8', [2], 'uint_contents', [0, 255]],
    ['u16', 'UINT16', [2], 'uint_contents', [0, 65535]],
    ['u32', 'UINT32', [1], 'uint_contents', [4294967295]],
    ['u64', 'UINT64', [2], 'uint64_contents', ['18446744073709551615', BIG]],
    ['i8', 'INT8', [2], 'int_contents', [-128, 127]],
    ['i16', 'INT16', [1], 'int_contents', [-32768]],
    ['i32', 'INT32', [2], 'int_contents', [-2147483648, 2147483647]],
    ['i64', 'INT64', [2], 'int64_contents', [BIG, '-9223372036854775808']],
    ['f32', 'FP32', [2, 1], 'fp32_contents', [1.5, -2.25]],
    ['f64', 'FP64', [], 'fp64_contents', [0.1]],
    ['s', 'BYTES', [2], 'bytes_contents', [Buffer.from('héllo'), Buffer.alloc(0)]],
  ];

  test('ModelInfer with typed contents: every typed datatype, INT64 beyond 2^53, scalar and empty tensors', async () => {
    const inputs = [
      ...typedInputs.map(([name, datatype, shape, field, values]) => ({ name, datatype, shape, contents: { [field]: values } })),
      { name: 'empty', datatype: 'FP32', shape: [0, 3] },
    ];
    const res = await client.call('ModelInfer', { model_name: 'echo', id: 'req-7', inputs });
    assert.equal(res.model_name, 'echo');
    assert.equal(res.id, 'req-7');
    assert.deepEqual(res.raw_output_contents, []);
    assert.equal(res.outputs.length, typedInputs.length + 1);
    typedInputs.forEach(([name, datatype, shape, field, values], i) => {
      const o = res.outputs[i];
      assert.deepEqual([o.name, o.datatype, o.shape], [name, datatype, shape.map(String)]);
      assert.deepEqual(o.contents[field], values, name);
    });
    const empty = res.outputs.at(-1);
    assert.deepEqual([empty.name, empty.shape], ['empty', ['0', '3']]);
  });

  test('ModelInfer with raw contents: every datatype incl. FP16, answered with raw_output_contents', async () => {
    const rawInputs: [string, string, number[], Buffer][] = [
      ['bool', 'BOOL', [3], Buffer.from([1, 0, 1])],
      ['u8', 'UINT8', [2], Buffer.from([0, 255])],
      ['u16', 'UINT16', [1], raw([65535], 2, (b, v, o) => b.writeUInt16LE(v, o))],
      ['u32', 'UINT32', [1], raw([4294967295], 4, (b, v, o) => b.writeUInt32LE(v, o))],
      ['u64', 'UINT64', [1], raw([2n ** 64n - 1n], 8, (b, v, o) => b.writeBigUInt64LE(v, o))],
      ['i8', 'INT8', [2], raw([-128, 127], 1, (b, v, o) => b.writeInt8(v, o))],
      ['i16', 'INT16', [1], raw([-32768], 2, (b, v, o) => b.writeInt16LE(v, o))],
      ['i32', 'INT32', [1], raw([-7], 4, (b, v, o) => b.writeInt32LE(v, o))],
      ['i64', 'INT64', [2], raw([2n ** 53n + 1n, -(2n ** 63n)], 8, (b, v, o) => b.writeBigInt64LE(v, o))],
      ['f16', 'FP16', [2], Buffer.from([0x00, 0x3c, 0x00, 0x7e])], // 1.0 and NaN bit patterns
      ['f32', 'FP32', [], raw([3.5], 4, (b, v, o) => b.writeFloatLE(v, o))],
      ['f64', 'FP64', [1, 1], raw([-0.1], 8, (b, v, o) => b.writeDoubleLE(v, o))],
      ['s', 'BYTES', [3], rawBytes(['a', '', 'xyz'])],
      ['empty', 'INT32', [2, 0], Buffer.alloc(0)],
    ];
    const res = await client.call('ModelInfer', {
      model_name: 'echo',
      inputs: rawInputs.map(([name, datatype, shape]) => ({ name, datatype, shape })),
      raw_input_contents: rawInputs.map((r) => r[3]),
    });
    assert.deepEqual(res.outputs.map((o: Msg) => [o.name, o.datatype, o.shape, o.contents]), rawInputs.map(([n, d, s]) => [n, d, s.map(String), null]));
    assert.deepEqual(res.raw_output_contents.map((b: Buffer) => b.toString('hex')), rawInputs.map((r) => r[3].toString('hex')));
  });

  test('ModelInfer: FP16 in a typed request is INVALID_ARGUMENT naming the field', async () => {
    await rejectsWith(client.call('ModelInfer', { model_name: 'echo', inputs: [{ name: 'h', datatype: 'FP16', shape: [1] }] }),
      grpc.status.INVALID_ARGUMENT, 'inputs[0].contents', 'raw_input_contents');
  });

  test('ModelInfer: a validated model computes; requested outputs are selected', async () => {
    const res = await client.call('ModelInfer', {
      model_name: 'rowsum', model_version: '1',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 2], contents: { fp32_contents: [1, 2, 3, 4] } }],
      outputs: [{ name: 'y' }],
    });
    assert.equal(res.model_version, '1');
    assert.deepEqual(res.outputs[0].contents.fp32_contents, [3, 7]);
    await rejectsWith(client.call('ModelInfer', { model_name: 'echo', inputs: [{ name: 'a', datatype: 'INT32', shape: [1], contents: { int_contents: [1] } }], outputs: [{ name: 'zz' }] }),
      grpc.status.INVALID_ARGUMENT, 'outputs[0].name', 'zz');
  });

  test('ModelInfer bad input is INVALID_ARGUMENT with a message naming field, value and expectation', async () => {
    const infer = (inputs: Msg[], extra: Msg = {}) => client.call('ModelInfer', { model_name: 'echo', inputs, ...extra });
    await rejectsWith(infer([{ name: 'a', datatype: 'INT8', shape: [1], contents: { int_contents: [300] } }]),
      grpc.status.INVALID_ARGUMENT, 'inputs[0].contents.int_contents[0]', '300', '[-128, 127]');
    await rejectsWith(infer([{ name: 'a', datatype: 'FP32', shape: [3], contents: { fp32_contents: [1, 2] } }]),
      grpc.status.INVALID_ARGUMENT, 'inputs[0].contents.fp32_contents', '2 values', '3 values');
    await rejectsWith(infer([{ name: 'a', datatype: 'FLOAT', shape: [1] }]), grpc.status.INVALID_ARGUMENT, 'inputs[0].datatype', 'FLOAT');
    await rejectsWith(infer([{ name: 'a', datatype: 'INT32', shape: [3] }], { raw_input_contents: [Buffer.alloc(8)] }),
      grpc.status.INVALID_ARGUMENT, 'raw_input_contents[0]', '8 bytes', '12 bytes');
    await rejectsWith(infer([{ name: 's', datatype: 'BYTES', shape: [1] }], { raw_input_contents: [Buffer.from([200, 0, 0, 0, 1])] }),
      grpc.status.INVALID_ARGUMENT, 'raw_input_contents[0]', 'length prefix', '200');
    await rejectsWith(infer([{ name: 'a', datatype: 'INT32', shape: [1] }, { name: 'b', datatype: 'INT32', shape: [1] }], { raw_input_contents: [Buffer.alloc(4)] }),
      grpc.status.INVALID_ARGUMENT, 'raw_input_contents', 'one per tensor');
    await rejectsWith(infer([{ name: 'a', datatype: 'INT32', shape: [1], contents: { int_contents: [1] } }], { raw_input_contents: [Buffer.alloc(4)] }),
      grpc.status.INVALID_ARGUMENT, 'inputs[0].contents', 'raw_input_contents');
    await rejectsWith(client.call('ModelInfer', { model_name: 'rowsum', inputs: [{ name: 'x', datatype: 'FP64', shape: [1, 2], contents: { fp64_contents: [1, 2] } }] }),
      grpc.status.INVALID_ARGUMENT, 'inputs[0].datatype', 'FP32');
  });

  test('bytes that are not a protobuf message are INVALID_ARGUMENT, not INTERNAL', async () => {
    await rejectsWith(client.callBytes('ModelInfer', Buffer.from([0x0a, 0xff, 0xff])), grpc.status.INVALID_ARGUMENT, 'request message', 'inference.ModelInferRequest');
  });

  test('ModelInfer errors: NOT_FOUND unknown model, UNAVAILABLE failed model, INTERNAL hides the cause', async () => {
    await rejectsWith(client.call('ModelInfer', { model_name: 'nope', inputs: [] }), grpc.status.NOT_FOUND, 'nope');
    await rejectsWith(client.call('ModelInfer', { model_name: 'broken', inputs: [] }), grpc.status.UNAVAILABLE, 'broken');
    await assert.rejects(client.call('ModelInfer', { model_name: 'echo', inputs: [], parameters: { explode: { bool_param: true } } }), (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.INTERNAL);
      assert.equal(err.details, 'Internal server error');
      return true;
    });
  });

  test('metadata reaches the model as lower-cased headers; parameters both ways', async () => {
    const res = await client.call('ModelInfer', {
      model_name: 'echo',
      parameters: { big: { int64_param: BIG }, u: { uint64_param: '18446744073709551615' } },
      inputs: [{ name: 'a', datatype: 'INT64', shape: [1], parameters: { tag: { string_param: 't' } }, contents: { int64_contents: [BIG] } }],
    }, { 'X-Echo': 'hello' });
    assert.deepEqual(res.parameters, { echo: { string_param: 'hello', parameter_choice: 'string_param' } });
    assert.deepEqual(res.outputs[0].parameters, { tag: { string_param: 't', parameter_choice: 'string_param' } });
    assert.deepEqual(res.outputs[0].contents.int64_contents, [BIG]);
  });

  test('RepositoryModelUnload and RepositoryModelLoad', async () => {
    assert.deepEqual(await client.call('RepositoryModelUnload', { model_name: 'echo' }), { model_name: 'echo', isUnloaded: true });
    assert.deepEqual(await client.call('ModelReady', { name: 'echo' }), { ready: false });
    await rejectsWith(client.call('ModelInfer', { model_name: 'echo', inputs: [] }), grpc.status.UNAVAILABLE, 'echo');
    const idx = await client.call('RepositoryIndex', {});
    assert.equal(idx.models.find((m: Msg) => m.name === 'echo').state, 'UNAVAILABLE');
    assert.deepEqual(await client.call('RepositoryModelLoad', { model_name: 'echo' }), { model_name: 'echo', isLoaded: true });
    assert.deepEqual(await client.call('ModelReady', { name: 'echo' }), { ready: true });
    await rejectsWith(client.call('RepositoryModelLoad', { model_name: 'broken' }), grpc.status.UNAVAILABLE, 'weights file missing');
    await rejectsWith(client.call('RepositoryModelLoad', { model_name: 'nope' }), grpc.status.NOT_FOUND, 'nope');
    await rejectsWith(client.call('RepositoryModelUnload', { model_name: 'nope' }), grpc.status.NOT_FOUND, 'nope');
    await rejectsWith(client.call('RepositoryModelLoad', { model_name: '' }), grpc.status.INVALID_ARGUMENT, 'model_name');
  });
});

describe('GrpcServer limits and lifecycle', () => {
  test('a request over maxReceiveMessageBytes is RESOURCE_EXHAUSTED', async () => {
    const srv = await startServer([{ name: 'echo', create: () => new EchoModel('echo') }], { maxReceiveMessageBytes: 1024 });
    const client = connect(srv.port);
    try {
      const big = { model_name: 'echo', inputs: [{ name: 'a', datatype: 'UINT8', shape: [4096] }], raw_input_contents: [Buffer.alloc(4096)] };
      await rejectsWith(client.call('ModelInfer', big), grpc.status.RESOURCE_EXHAUSTED);
      const small = { model_name: 'echo', inputs: [{ name: 'a', datatype: 'UINT8', shape: [16] }], raw_input_contents: [Buffer.alloc(16)] };
      assert.equal((await client.call('ModelInfer', small)).raw_output_contents[0].length, 16);
    } finally {
      client.close();
      await srv.server.close();
    }
  });

  test('options are validated, naming the option and its range', async () => {
    const repository = new ModelRepository(sourceOf([]), silentLogger);
    const dp = new DataPlane({ repository, log: silentLogger, maxInflight: 1 });
    assert.throws(() => new GrpcServer(dp, silentLogger, { port: 70000 }), /port: got 70000, expected an integer in \[0, 65535\]/);
    assert.throws(() => new GrpcServer(dp, silentLogger, { port: 0, maxReceiveMessageBytes: 0 }), /maxReceiveMessageBytes/);
  });

  test('close is idempotent; listen after close is refused; close cancels calls still running after the grace period', async () => {
    const hang = new HangModel('hang');
    const srv = await startServer([{ name: 'hang', create: () => hang }], { shutdownGraceMs: 20 });
    const client = connect(srv.port);
    try {
      const pending = client.call('ModelInfer', { model_name: 'hang', inputs: [] });
      while (hang.started === 0) await new Promise((r) => setImmediate(r));
      const first = srv.server.close();
      assert.equal(srv.server.close(), first);
      await first;
      await assert.rejects(pending, (err: grpc.ServiceError) => err.code === grpc.status.CANCELLED || err.code === grpc.status.UNAVAILABLE);
      await assert.rejects(srv.server.listen());
    } finally {
      hang.release();
      client.close();
      await srv.repository.close();
    }
  });
});
