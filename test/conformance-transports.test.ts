/**
 * Every ONNX conformance case (fixtures/onnx: node, pytorch-converted, pytorch-operator, light,
 * dtypes, ort-testdata) through a real model server: REST JSON, REST binary extension and gRPC raw
 * contents, from a client that shares none of the server's codecs (test/support/oip-client.ts).
 * Outputs must match the expected ones at the ONNX backend tolerances. Each case's model is loaded
 * through the repository extension, run, and unloaded.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../src/core/logger.ts';
import { DataPlane } from '../src/dataplane/dataplane.ts';
import { GrpcServer } from '../src/dataplane/grpc/server.ts';
import { HttpServer } from '../src/dataplane/http/server.ts';
import { StaticSource } from '../src/dataplane/model-dir.ts';
import { ModelRepository } from '../src/dataplane/repository.ts';
import { OnnxModel } from '../src/runtimes/onnx/onnx-model.ts';
import { CONFORMANCE_ALLOWLIST } from '../src/runtimes/onnx/testing/allowlist.ts';
import { CONFORMANCE_SUITES, type ConformanceCase, listAllCases, loadDataset, onnxFixturesDir } from '../src/runtimes/onnx/testing/cases.ts';
import { compareOutputs } from '../src/runtimes/onnx/testing/compare.ts';
import { grpcClient, inferBinary, inferJson } from './support/oip-client.ts';

const fixtures = onnxFixturesDir();
const cases = await listAllCases(CONFORMANCE_SUITES.map((s) => join(fixtures, s)));
const modelName = (c: ConformanceCase): string => c.id.replace(/\//g, '.');

let http: HttpServer;
let grpcServer: GrpcServer;
let base: string;
let client: ReturnType<typeof grpcClient>;
let dataPlane: DataPlane;

before(async () => {
  const specs = cases.map((c) => ({ name: modelName(c), create: () => new OnnxModel({ name: modelName(c), modelDir: c.modelDir, workers: 1 }) }));
  const repository = new ModelRepository(new StaticSource(specs), silentLogger);
  dataPlane = new DataPlane({ repository, log: silentLogger, maxInflight: 64 });
  dataPlane.markStarted();
  http = new HttpServer(dataPlane, silentLogger, { host: '127.0.0.1', port: 0, maxBodyBytes: 256 << 20 });
  grpcServer = new GrpcServer(dataPlane, silentLogger, { host: '127.0.0.1', port: 0, maxReceiveMessageBytes: 256 << 20, maxSendMessageBytes: 256 << 20 });
  base = `http://127.0.0.1:${await http.listen()}`;
  client = grpcClient(await grpcServer.listen());
});

after(async () => {
  client.close();
  await Promise.all([http.close(1000), grpcServer.close()]);
  await dataPlane.repository.close();
});

async function post(path: string): Promise<void> {
  const r = await fetch(base + path, { method: 'POST' });
  if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status} ${await r.text()}`);
}

async function runCase(c: ConformanceCase): Promise<string[]> {
  const name = modelName(c);
  const problems: string[] = [];
  try {
    await post(`/v2/repository/models/${encodeURIComponent(name)}/load`);
    const meta = (await (await fetch(`${base}/v2/models/${encodeURIComponent(name)}`)).json()) as { inputs: { name: string }[]; outputs: { name: string }[] };
    const names = { inputs: meta.inputs.map((t) => t.name), outputs: meta.outputs.map((t) => t.name) };
    for (const ds of c.datasets) {
      const { inputs, expected } = await loadDataset(ds, names);
      const outNames = expected.map((t) => t.name);
      const runs: [string, () => Promise<import('../src/protocol/tensor.ts').Tensor[]>][] = [
        ['json', () => inferJson(base, name, inputs, outNames)],
        ['binary', () => inferBinary(base, name, inputs, outNames)],
        ['grpc', () => client.infer(name, inputs, outNames)],
      ];
      for (const [transport, run] of runs) {
        try {
          problems.push(...compareOutputs(expected, await run()).map((p) => `${transport} ${ds.name}: ${p}`));
        } catch (err) {
          problems.push(`${transport} ${ds.name}: ${(err as Error).message}`);
        }
      }
    }
  } catch (err) {
    problems.push((err as Error).message);
  } finally {
    await post(`/v2/repository/models/${encodeURIComponent(name)}/unload`).catch(() => undefined);
  }
  return problems;
}

describe('ONNX conformance through REST JSON, REST binary and gRPC', { concurrency: 3 }, () => {
  for (const c of cases) {
    it(c.id, { timeout: 180_000 }, async (t) => {
      const problems = await runCase(c);
      const allowed = CONFORMANCE_ALLOWLIST[c.id];
      if (allowed !== undefined) {
        t.diagnostic(`allow-listed: ${allowed.reason}`);
        for (const p of problems) assert.match(p.replace(/^(json|binary|grpc) /, ''), allowed.expect, `${c.id} is allow-listed (${allowed.reason}) but fails differently`);
        return;
      }
      assert.deepEqual(problems, []);
    });
  }
});
