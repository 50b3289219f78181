import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { spawnModelServer, type Spawned } from '../../test/cli-helpers.ts';
import { type GrpcGateway, encodeGrpcMessage, startGrpcGateway } from './grpc-gateway.ts';
import { RoutingTable, defaultHosts } from './routing-table.ts';

const PROTO = fileURLToPath(new URL('../../proto/grpc_predict_v2.proto', import.meta.url));

function client(target: string, authority: string): any {
  const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true })) as any;
  return new pkg.inference.GRPCInferenceService(target, grpc.credentials.createInsecure(), { 'grpc.default_authority': authority });
}

function call(c: any, method: string, req: object): Promise<any> {
  return new Promise((resolve, reject) => c[method](req, (err: grpc.ServiceError | null, res: any) => (err ? reject(err) : resolve(res))));
}

describe('gRPC pass-through to a real model server', () => {
  let s: Spawned;
  let gw: GrpcGateway;
  const table = new RoutingTable();
  before(async () => {
    s = await spawnModelServer(['--model-dir', 'examples/models']);
    await s.stdoutMatching(/model iris: READY/, 30_000);
    table.set({ namespace: 'default', name: 'iris', hosts: defaultHosts('iris', 'default', 'example.com'), backends: [{ url: `http://127.0.0.1:${s.httpPort}`, grpcUrl: `http://127.0.0.1:${s.grpcPort!}`, weight: 1, revision: 'iris-1' }] });
    table.set({ namespace: 'default', name: 'cold', hosts: ['cold-default.example.com'], backends: [] });
    gw = await startGrpcGateway({ host: '127.0.0.1', port: 0, table });
  });
  after(async () => {
    await gw.close();
    s.proc.kill('SIGTERM');
    await s.exited;
  });

  test('ModelInfer and ServerLive by :authority; errors keep their gRPC status', async () => {
    const c = client(gw.target, 'iris-default.example.com');
    try {
      assert.equal((await call(c, 'ServerLive', {})).live, true);
      const res = await call(c, 'ModelInfer', {
        model_name: 'iris',
        inputs: [{ name: 'input-0', datatype: 'FP32', shape: ['2', '4'], contents: { fp32_contents: [6.8, 2.8, 4.8, 1.4, 5.1, 3.5, 1.4, 0.2] } }],
        outputs: [{ name: 'label' }],
      });
      assert.equal(res.outputs[0].name, 'label');
      const labels = res.raw_output_contents.length > 0 ? [...new BigInt64Array(new Uint8Array(res.raw_output_contents[0]).buffer)].map(Number) : res.outputs[0].contents.int64_contents.map(Number);
      assert.deepEqual(labels, [1, 0]);
      // An error from the model server itself passes through with its status.
      await assert.rejects(call(c, 'ModelReady', { name: 'nope' }), (e: grpc.ServiceError) => e.code === grpc.status.NOT_FOUND);
    } finally {
      c.close();
    }
    const unknown = client(gw.target, 'nope.default.example.com');
    await assert.rejects(call(unknown, 'ServerLive', {}), (e: grpc.ServiceError) => e.code === grpc.status.UNIMPLEMENTED && /authority "nope\.default\.example\.com"/.test(e.details));
    unknown.close();
    const cold = client(gw.target, 'cold-default.example.com');
    await assert.rejects(call(cold, 'ServerLive', {}), (e: grpc.ServiceError) => e.code === grpc.status.UNAVAILABLE && /default\/cold has no ready revision/.test(e.details));
    cold.close();
  });

  test('a revision whose gRPC port is gone answers UNAVAILABLE naming it', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const deadPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    table.set({ namespace: 'default', name: 'gone', hosts: ['gone-default.example.com'], backends: [{ url: 'http://127.0.0.1:1', grpcUrl: `http://127.0.0.1:${deadPort}`, weight: 1, revision: 'gone-1' }] });
    const c = client(gw.target, 'gone-default.example.com');
    await assert.rejects(call(c, 'ServerLive', {}), (e: grpc.ServiceError) => e.code === grpc.status.UNAVAILABLE && /revision gone-1 of default\/gone/.test(e.details));
    c.close();
  });
});

test('encodeGrpcMessage encodes only % and non-printable bytes', () => {
  assert.equal(encodeGrpcMessage('ns/m: 100% é'), 'ns/m: 100%25 %C3%A9');
});
