/**
 * Transformers end to end: a real predictor model server and a real transformer model server
 * (`--model-class ... --predictor_host ...`), both on port 0. The CLI test spawns both commands as
 * KServe's controller would start them; the rest run them in-process to set short timeouts.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, test } from 'node:test';
import { silentLogger } from '../src/core/logger.ts';
import { type ModelServerConfig, parseModelServerArgs } from '../src/dataplane/config.ts';
import { type RunningModelServer, startModelServer } from '../src/dataplane/model-server.ts';
import { spawnModelServer } from './cli-helpers.ts';

const IRIS_RECORDS = {
  instances: [
    { sepal_length: 6.8, sepal_width: 2.8, petal_length: 4.8, petal_width: 1.4 },
    { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
    { sepal_length: 7.7, sepal_width: 3, petal_length: 6.1, petal_width: 2.3 },
  ],
};
const IRIS_CLASSES = ['versicolor', 'setosa', 'virginica'];

const config = (...argv: string[]): ModelServerConfig =>
  parseModelServerArgs(['--host', '127.0.0.1', '--http-port', '0', '--enable-grpc', 'false', '--log-level', 'silent', ...argv]).config;
/** A predictor serving gRPC too. */
const withGrpc = (...argv: string[]): ModelServerConfig => ({ ...config(...argv), enableGrpc: true, grpcPort: 0 });

const open: RunningModelServer[] = [];
async function start(cfg: ModelServerConfig): Promise<{ server: RunningModelServer; base: string; host: string }> {
  const server = await startModelServer(cfg, silentLogger);
  open.push(server);
  return { server, base: `http://127.0.0.1:${server.httpPort}`, host: `127.0.0.1:${server.httpPort}` };
}
after(() => Promise.all(open.map((s) => s.close())));

const post = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

test('CLI: iris predictor + iris-features transformer (no model dir, KServe\'s injected args): records in, class names out', async () => {
  const predictor = await spawnModelServer(['--model-dir', 'examples/models/iris', '--model-name', 'iris']);
  try {
    const transformer = await spawnModelServer(['--model-class', 'examples/transformer/iris-features.ts', '--model_name=iris', `--predictor_host=127.0.0.1:${predictor.httpPort}`, '--protocol=v1', '--workers=1']);
    try {
      const r = await post(`http://127.0.0.1:${transformer.httpPort}/v1/models/iris:predict`, IRIS_RECORDS);
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { predictions: IRIS_CLASSES });
    } finally {
      transformer.proc.kill('SIGTERM');
      assert.equal(await transformer.exited, 0);
    }
  } finally {
    predictor.proc.kill('SIGTERM');
    await predictor.exited;
  }
});

describe('forwarding to a real iris predictor', async () => {
  const predictor = await start(withGrpc('--model-dir', 'examples/models/iris', '--model-name', 'iris'));

  test('v1: V1 records → preprocess\'s V1 body → the predictor\'s V1 → class names; V2 clients too', async () => {
    const t = await start(config('--model-class', 'examples/transformer/iris-features.ts', '--model-name', 'iris', '--predictor-host', predictor.host));
    const v1 = await post(`${t.base}/v1/models/iris:predict`, IRIS_RECORDS);
    assert.deepEqual(await v1.json(), { predictions: IRIS_CLASSES });
    const v2 = await post(`${t.base}/v2/models/iris/infer`, {
      inputs: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'].map((name, j) => ({ name, datatype: 'FP64', shape: [3], data: IRIS_RECORDS.instances.map((r) => Object.values(r)[j]) })),
    });
    const body = (await v2.json()) as { outputs: unknown[] };
    assert.deepEqual(body.outputs, [{ name: 'class', datatype: 'BYTES', shape: [3], data: IRIS_CLASSES }]);
    // The example's own invalidInput (from its own copy of kserve-ts, loaded through tsx) is a 400.
    const missing = await post(`${t.base}/v1/models/iris:predict`, { instances: [{ sepal_length: 6.8 }] });
    assert.equal(missing.status, 400);
    assert.deepEqual(await missing.json(), { error: 'instances[0]: got ["sepal_length"], expected a value for each of sepal_length, sepal_width, petal_length, petal_width' });
  });

  test('v2: --protocol v2 forwards OIP JSON to /v2/models/iris/infer', async () => {
    const t = await start(config('--model-class', 'examples/transformer/iris-features.ts', '--model-name', 'iris', '--predictor-host', predictor.host, '--protocol', 'v2'));
    const r = await post(`${t.base}/v1/models/iris:predict`, IRIS_RECORDS);
    assert.deepEqual(await r.json(), { predictions: IRIS_CLASSES });
    // A transformer with no hooks passes the predictor's outputs through; requested outputs are kept.
    const pass = await start(config('--model-class', 'test/models/passthrough-transformer.ts', '--model-name', 'iris', '--predictor-host', predictor.host, '--predictor_protocol', 'v2'));
    const v2 = await post(`${pass.base}/v2/models/iris/infer`, { id: 'req-1', inputs: [{ name: 'input-0', datatype: 'FP32', shape: [1, 4], data: [6.8, 2.8, 4.8, 1.4] }], outputs: [{ name: 'label' }] });
    assert.deepEqual(await v2.json(), { model_name: 'iris', id: 'req-1', outputs: [{ name: 'label', datatype: 'INT64', shape: [1], data: [1] }] });
  });

  test('grpc-v2: --protocol grpc-v2 calls ModelInfer on the predictor\'s gRPC port', async () => {
    const grpcHost = `127.0.0.1:${predictor.server.grpcPort!}`;
    const t = await start(config('--model-class', 'examples/transformer/iris-features.ts', '--model-name', 'iris', '--predictor-host', grpcHost, '--protocol', 'grpc-v2'));
    const r = await post(`${t.base}/v1/models/iris:predict`, IRIS_RECORDS);
    assert.deepEqual(await r.json(), { predictions: IRIS_CLASSES });
    // A predictor error comes back with its status: INVALID_ARGUMENT → 400.
    const pass = await start(config('--model-class', 'test/models/passthrough-transformer.ts', '--model-name', 'iris', '--predictor-host', grpcHost, '--protocol', 'grpc-v2'));
    const bad = await post(`${pass.base}/v2/models/iris/infer`, { inputs: [{ name: 'input-0', datatype: 'FP64', shape: [1, 4], data: [6.8, 2.8, 4.8, 1.4] }] });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, new RegExp(`got "FP64", expected FP32, gRPC status 3 from predictor ${grpcHost} \\(ModelInfer\\)$`));
  });

  test('the host may carry a path prefix (the kserve-ts gateway\'s form); it is kept in the URL', async () => {
    const t = await start(config('--model-class', 'test/models/passthrough-transformer.ts', '--model-name', 'iris', '--predictor-host', `${predictor.host}/serving/default/iris-predictor`));
    const r = await post(`${t.base}/v1/models/iris:predict`, { instances: [[6.8, 2.8, 4.8, 1.4]] });
    assert.equal(r.status, 404);
    assert.match(((await r.json()) as { error: string }).error, new RegExp(`No route for POST /serving/default/iris-predictor/v1/models/iris:predict, '404 Not Found' for url 'http://${predictor.host}/serving/default/iris-predictor/v1/models/iris:predict'`));
  });

  test('a predictor 4xx comes back with its status and message, and the URL it came from', async () => {
    const t = await start(config('--model-class', 'test/models/passthrough-transformer.ts', '--model-name', 'iris', '--predictor-host', predictor.host, '--protocol', 'v2'));
    const r = await post(`${t.base}/v2/models/iris/infer`, { inputs: [{ name: 'input-0', datatype: 'FP64', shape: [1, 4], data: [6.8, 2.8, 4.8, 1.4] }] });
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), {
      error: `inputs[0].datatype (input input-0): got "FP64", expected FP32, '400 Bad Request' for url 'http://${predictor.host}/v2/models/iris/infer'`,
    });
    // A model the predictor does not have: its 404.
    const other = await start(config('--model-class', 'test/models/passthrough-transformer.ts', '--model-name', 'nope', '--predictor-host', predictor.host));
    const r404 = await post(`${other.base}/v1/models/nope:predict`, { instances: [[1, 2, 3, 4]] });
    assert.equal(r404.status, 404);
    assert.match(((await r404.json()) as { error: string }).error, /^Model with name nope does not exist\., '404 Not Found' for url/);
  });
});

test('x-request-id, trace and authorization headers reach the predictor; others do not', async () => {
  const predictor = await start(withGrpc('--model-class', 'test/models/header-echo.ts', '--model-name', 'echo'));
  for (const protocol of ['v1', 'v2', 'grpc-v2']) {
    const host = protocol === 'grpc-v2' ? `127.0.0.1:${predictor.server.grpcPort!}` : predictor.host;
    const t = await start(config('--model-class', 'test/models/passthrough-transformer.ts', '--model-name', 'echo', '--predictor-host', host, '--protocol', protocol));
    const r = await post(`${t.base}/v2/models/echo/infer`, { inputs: [{ name: 'x', datatype: 'INT32', shape: [1], data: [1] }] }, {
      'x-request-id': 'rid-42',
      'x-b3-traceid': '80f198ee56343ba864fe8b2a57d3eff7',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      authorization: 'Bearer t0ken',
      cookie: 'secret=1',
    });
    const body = (await r.json()) as { outputs: { name: string; data: string[] }[] };
    const got = Object.fromEntries(body.outputs.map((o) => [o.name, o.data[0]]));
    assert.deepEqual(got, {
      'x-request-id': 'rid-42',
      'x-b3-traceid': '80f198ee56343ba864fe8b2a57d3eff7',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      authorization: 'Bearer t0ken',
      cookie: '-',
    }, protocol);
  }
});

test('predictor down: 503 naming the predictor host, after the configured retries', async () => {
  const port = await freePort();
  const t = await start(config('--model-class', 'test/models/passthrough-transformer.ts', '--model-name', 'iris', '--predictor-host', `127.0.0.1:${port}`, '--predictor-request-retries', '2'));
  const r = await post(`${t.base}/v1/models/iris:predict`, { instances: [[6.8, 2.8, 4.8, 1.4]] });
  assert.equal(r.status, 503);
  const { error } = (await r.json()) as { error: string };
  assert.match(error, new RegExp(`^predictor 127\\.0\\.0\\.1:${port} is unavailable: POST http://127\\.0\\.0\\.1:${port}/v1/models/iris:predict: connect ECONNREFUSED .*\\(after 3 tries\\)$`));
  const g = await start(config('--model-class', 'test/models/passthrough-transformer.ts', '--model-name', 'iris', '--predictor-host', `127.0.0.1:${port}`, '--protocol', 'grpc-v2', '--predictor-request-retries', '1'));
  const rg = await post(`${g.base}/v2/models/iris/infer`, { inputs: [{ name: 'input-0', datatype: 'FP32', shape: [1, 4], data: [6.8, 2.8, 4.8, 1.4] }] });
  assert.equal(rg.status, 503);
  assert.match(((await rg.json()) as { error: string }).error, new RegExp(`^predictor 127\\.0\\.0\\.1:${port} is unavailable: ModelInfer: .*\\(after 2 tries\\)$`));
});

test('a predictor slower than the timeout: 503 saying so', async () => {
  const predictor = await start(config('--model-class', 'test/models/slow-echo.ts', '--model-name', 'slow'));
  // The flag is whole seconds; in-process the timeout can be shorter, so the test takes 0.2 s.
  const t = await start({ ...config('--model-class', 'test/models/passthrough-transformer.ts', '--model-name', 'slow', '--predictor-host', predictor.host, '--protocol', 'v2'), predictorRequestTimeoutMs: 200 });
  const r = await post(`${t.base}/v2/models/slow/infer`, { parameters: { delay_ms: 1500 }, inputs: [{ name: 'a', datatype: 'INT32', shape: [1], data: [7] }] });
  assert.equal(r.status, 503);
  assert.match(((await r.json()) as { error: string }).error, /^predictor 127\.0\.0\.1:\d+ is unavailable: POST .*\/v2\/models\/slow\/infer: no answer within 0\.2 s \(--predictor-request-timeout-seconds\)$/);
  // Within the timeout it answers.
  const ok = await post(`${t.base}/v2/models/slow/infer`, { parameters: { delay_ms: 0 }, inputs: [{ name: 'a', datatype: 'INT32', shape: [1], data: [7] }] });
  assert.equal(ok.status, 200);
});

test('--enable-predictor-health-check: readiness flips with the predictor\'s', async () => {
  const port = await freePort();
  const t = await start(config('--model-class', 'test/models/passthrough-transformer.ts', '--model-name', 'iris', '--predictor-host', `127.0.0.1:${port}`, '--protocol', 'v2', '--enable-predictor-health-check'));
  const status = async (path: string): Promise<number> => (await fetch(`${t.base}${path}`)).status;
  const probes = ['/v2/health/ready', '/v2/models/iris/ready', '/v1/models/iris'];
  for (const p of probes) assert.equal(await status(p), 503, `${p} before the predictor starts`);
  const ready = await fetch(`${t.base}/v2/health/ready`);
  assert.match(((await ready.json()) as { error: string }).error, /the predictor is not ready \(--enable-predictor-health-check\)/);
  assert.equal(await status('/v2/health/live'), 200, 'liveness does not depend on the predictor');

  const predictor = await startModelServer(config('--model-dir', 'examples/models/iris', '--model-name', 'iris', '--http-port', String(port)), silentLogger);
  try {
    for (const p of probes) assert.equal(await status(p), 200, `${p} with the predictor up`);
  } finally {
    await predictor.close();
  }
  for (const p of probes) assert.equal(await status(p), 503, `${p} after the predictor stopped`);

  // grpc-v2: ServerReady / ModelReady on the predictor's gRPC port.
  const grpcPredictor = await start(withGrpc('--model-dir', 'examples/models/iris', '--model-name', 'iris'));
  const up = await start(config('--model-class', 'test/models/passthrough-transformer.ts', '--model-name', 'iris', '--predictor-host', `127.0.0.1:${grpcPredictor.server.grpcPort!}`, '--protocol', 'grpc-v2', '--enable-predictor-health-check'));
  const down = await start(config('--model-class', 'test/models/passthrough-transformer.ts', '--model-name', 'iris', '--predictor-host', `127.0.0.1:${port}`, '--protocol', 'grpc-v2', '--enable-predictor-health-check'));
  for (const p of probes) {
    assert.equal((await fetch(`${up.base}${p}`)).status, 200, `grpc-v2 ${p} with the predictor up`);
    assert.equal((await fetch(`${down.base}${p}`)).status, 503, `grpc-v2 ${p} with no predictor`);
  }

  // Without the flag, a transformer is ready on its own.
  const plain = await start(config('--model-class', 'test/models/passthrough-transformer.ts', '--model-name', 'iris', '--predictor-host', `127.0.0.1:${port}`));
  assert.equal((await fetch(`${plain.base}/v2/health/ready`)).status, 200);
});

test('a Transformer with no --predictor-host answers 501', async () => {
  const t = await start(config('--model-class', 'test/models/passthrough-transformer.ts', '--model-name', 'iris'));
  const r = await post(`${t.base}/v1/models/iris:predict`, { instances: [[1, 2, 3, 4]] });
  assert.equal(r.status, 501);
  assert.match(((await r.json()) as { error: string }).error, /predict for model iris .*no --predictor-host/);
});
