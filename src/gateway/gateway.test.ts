import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { spawnModelServer, type Spawned } from '../../test/cli-helpers.ts';
import { type Gateway, startGateway } from './gateway.ts';
import { RoutingTable, defaultHosts } from './routing-table.ts';

/** A plain backend that answers with its name, the request it got, and echoes the body's hash. */
async function startEcho(name: string, handler?: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(
    handler ??
      ((req, res) => {
        const h = createHash('sha256');
        let bytes = 0;
        req.on('data', (c: Buffer) => {
          h.update(c);
          bytes += c.length;
        });
        req.on('end', () => {
          res.setHeader('content-type', 'application/json');
          res.setHeader('connection', 'keep-alive, x-secret');
          res.setHeader('x-secret', 'hop');
          res.end(JSON.stringify({ name, url: req.url, headers: req.headers, bytes, sha: h.digest('hex') }));
        });
      }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

function request(gw: Gateway, path: string, opts: { host?: string; method?: string; body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    // agent: false so each call opens its own connection (a pooled one may be closing).
    const req = http.request(`${gw.url}${path}`, { agent: false, method: opts.method ?? (opts.body ? 'POST' : 'GET'), headers: { ...(opts.host ? { host: opts.host } : {}), ...opts.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const V1 = '{"instances": [[6.8,2.8,4.8,1.4],[6.0,3.4,4.5,1.6]]}';
const V2 = JSON.stringify({ inputs: [{ name: 'input-0', shape: [3, 4], datatype: 'FP32', data: [6.8, 2.8, 4.8, 1.4, 5.1, 3.5, 1.4, 0.2, 7.7, 3.0, 6.1, 2.3] }], outputs: [{ name: 'label' }] });

describe('gateway in front of two real model servers', () => {
  let servers: Spawned[] = [];
  let gw: Gateway;
  const table = new RoutingTable();
  before(async () => {
    servers = await Promise.all([spawnModelServer(['--model-dir', 'examples/models']), spawnModelServer(['--model-dir', 'examples/models'])]);
    await Promise.all(servers.map((s) => s.stdoutMatching(/model iris: READY/, 30_000)));
    table.set({
      namespace: 'default',
      name: 'iris',
      hosts: defaultHosts('iris', 'default', 'example.com'),
      backends: servers.map((s, i) => ({ url: `http://127.0.0.1:${s.httpPort}`, weight: 1, revision: `iris-predictor-0000${i + 1}` })),
    });
    gw = await startGateway({ host: '127.0.0.1', port: 0, table, domain: 'example.com', retryWaitMs: 100 }); // short: one test waits for a backend that never comes
  });
  after(async () => {
    await gw.close();
    for (const s of servers) if (s.proc.exitCode === null) s.proc.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.exited));
  });

  test('V1 and V2 inference by Host header (both URL forms) and by /serving path', async () => {
    for (const host of ['iris.default.example.com', 'iris-default.example.com:80']) {
      const r = await request(gw, '/v1/models/iris:predict', { host, body: V1 });
      assert.equal(r.status, 200, r.body);
      assert.deepEqual((JSON.parse(r.body) as { predictions: { label: number }[] }).predictions.map((p) => p.label), [1, 1]);
    }
    const r2 = await request(gw, '/serving/default/iris/v2/models/iris/infer', { body: V2, headers: { 'x-request-id': 'req-42' } });
    assert.equal(r2.status, 200, r2.body);
    assert.equal(r2.headers['x-request-id'], 'req-42');
    assert.deepEqual((JSON.parse(r2.body) as { outputs: unknown[] }).outputs, [{ name: 'label', datatype: 'INT64', shape: [3], data: [1, 0, 2] }]);
  });

  test('a backend going away gives 502 naming the revision; rerouting recovers', async () => {
    const dead = servers[1]!;
    dead.proc.kill('SIGTERM');
    await dead.exited;
    table.set({ namespace: 'default', name: 'iris', hosts: defaultHosts('iris', 'default', 'example.com'), backends: [{ url: `http://127.0.0.1:${dead.httpPort}`, weight: 1, revision: 'iris-predictor-00002' }] });
    const bad = await request(gw, '/serving/default/iris/v1/models/iris:predict', { body: V1 });
    assert.equal(bad.status, 502);
    assert.match((JSON.parse(bad.body) as { error: string }).error, /revision iris-predictor-00002 of default\/iris .*ECONNREFUSED/);
    table.set({ namespace: 'default', name: 'iris', hosts: defaultHosts('iris', 'default', 'example.com'), backends: [{ url: `http://127.0.0.1:${servers[0]!.httpPort}`, weight: 1, revision: 'iris-predictor-00001' }] });
    const ok = await request(gw, '/serving/default/iris/v1/models/iris:predict', { body: V1 });
    assert.equal(ok.status, 200, ok.body);
  });
});

describe('gateway routing, errors and lifecycle', () => {
  test('weights split traffic as set (injected rng); path prefix stripped; headers rewritten', async () => {
    const a = await startEcho('a');
    const b = await startEcho('b');
    let i = 0;
    const table = new RoutingTable({ rng: () => (i++ % 4) / 4 });
    table.set({ namespace: 'ns', name: 'm', hosts: ['m.ns.example.com'], backends: [{ url: a.url, weight: 75, revision: 'm-1' }, { url: b.url, weight: 25, revision: 'm-2' }] });
    const gw = await startGateway({ host: '127.0.0.1', port: 0, table, domain: 'example.com' });
    try {
      const counts: Record<string, number> = {};
      for (let n = 0; n < 40; n++) {
        const r = await request(gw, '/serving/ns/m/v2/health/ready?x=1', { headers: { connection: 'keep-alive, x-drop', 'x-drop': '1', 'x-forwarded-for': '10.0.0.9' } });
        const body = JSON.parse(r.body) as { name: string; url: string; headers: Record<string, string> };
        counts[body.name] = (counts[body.name] ?? 0) + 1;
        assert.equal(body.url, '/v2/health/ready?x=1');
        assert.equal(body.headers['x-drop'], undefined, 'header named in Connection is hop-by-hop');
        assert.equal(body.headers['x-forwarded-for'], '10.0.0.9, 127.0.0.1');
        assert.equal(body.headers['x-forwarded-proto'], 'http');
        assert.match(body.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
        assert.equal(r.headers['x-secret'], undefined, 'response hop-by-hop removed');
        assert.equal(r.headers['x-request-id'], body.headers['x-request-id']);
      }
      assert.deepEqual(counts, { a: 30, b: 10 });
    } finally {
      await gw.close();
      await a.close();
      await b.close();
    }
  });

  test('404 names host and path; 503 when no ready revision', async () => {
    const table = new RoutingTable();
    table.set({ namespace: 'ns', name: 'cold', hosts: ['cold.ns.example.com'], backends: [] });
    const gw = await startGateway({ host: '127.0.0.1', port: 0, table, domain: 'example.com' });
    try {
      const nf = await request(gw, '/v1/models/x:predict', { host: 'nope.ns.example.com', body: '{}' });
      assert.equal(nf.status, 404);
      assert.match((JSON.parse(nf.body) as { error: string }).error, /host "nope\.ns\.example\.com" path "\/v1\/models\/x:predict".*\{name\}-\{namespace\}\.example\.com/);
      const un = await request(gw, '/v1/models/cold', { host: 'cold.ns.example.com' });
      assert.equal(un.status, 503);
      assert.deepEqual(JSON.parse(un.body), { error: 'InferenceService ns/cold has no ready revision to serve the request' });
    } finally {
      await gw.close();
    }
  });

  test('large bodies stream both ways intact', async () => {
    const big = Buffer.alloc(24 * 1024 * 1024, 7);
    const echo = await startEcho('big', (req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      req.pipe(res);
    });
    const table = new RoutingTable();
    table.set({ namespace: 'ns', name: 'big', hosts: [], backends: [{ url: echo.url, weight: 1, revision: 'big-1' }] });
    const gw = await startGateway({ host: '127.0.0.1', port: 0, table, domain: 'example.com' });
    try {
      const got = await new Promise<Buffer>((resolve, reject) => {
        const req = http.request(`${gw.url}/serving/ns/big/echo`, { method: 'PUT' }, (res) => {
          const h = createHash('sha256');
          let n = 0;
          res.on('data', (c: Buffer) => { h.update(c); n += c.length; });
          res.on('end', () => resolve(Buffer.from(`${n}:${h.digest('hex')}`)));
        });
        req.on('error', reject);
        req.end(big);
      });
      assert.equal(got.toString(), `${big.length}:${createHash('sha256').update(big).digest('hex')}`);
    } finally {
      await gw.close();
      await echo.close();
    }
  });

  test('upstream timeout gives 504 naming the revision', async () => {
    const hang = await startEcho('hang', () => undefined);
    const table = new RoutingTable();
    table.set({ namespace: 'ns', name: 'h', hosts: [], backends: [{ url: hang.url, weight: 1, revision: 'h-1' }] });
    const gw = await startGateway({ host: '127.0.0.1', port: 0, table, domain: 'example.com', upstreamTimeoutMs: 100 });
    try {
      const r = await request(gw, '/serving/ns/h/x');
      assert.equal(r.status, 504);
      assert.match(r.body, /revision h-1 of ns\/h did not answer within 100 ms/);
    } finally {
      await gw.close();
      await hang.close();
    }
  });

  test('close() lets in-flight requests finish, then refuses new ones; idempotent', async () => {
    let release: (() => void) | undefined;
    const arrived = new Promise<void>((got) => {
      void startEcho('slow', (_req, res) => {
        got();
        release = () => res.end('done');
      }).then((s) => (slow = s));
    });
    let slow: { url: string; close: () => Promise<void> } | undefined;
    while (!slow) await new Promise((r) => setImmediate(r));
    const table = new RoutingTable();
    table.set({ namespace: 'ns', name: 's', hosts: [], backends: [{ url: slow.url, weight: 1, revision: 's-1' }] });
    const gw = await startGateway({ host: '127.0.0.1', port: 0, table, domain: 'example.com' });
    const inflight = request(gw, '/serving/ns/s/');
    await arrived;
    let closed = false;
    const closing = gw.close().then(() => (closed = true));
    assert.equal(gw.close(), gw.close());
    await new Promise((r) => setImmediate(r));
    assert.equal(closed, false, 'close waits for the in-flight request');
    release!();
    const r = await inflight;
    assert.equal(r.status, 200);
    assert.equal(r.body, 'done');
    await closing;
    await assert.rejects(request(gw, '/serving/ns/s/'), /ECONNREFUSED/);
    await slow.close();
  });
  test('a client that disconnects aborts the upstream request', { timeout: 10_000 }, async () => {
    let arrived!: () => void;
    const gotRequest = new Promise<void>((r) => (arrived = r));
    let upstreamClosed!: () => void;
    const closedUpstream = new Promise<void>((r) => (upstreamClosed = r));
    const slow = await startEcho('slow', (req, res) => {
      res.on('close', () => upstreamClosed());
      arrived();
      void req; // never answers
    });
    const table = new RoutingTable();
    table.set({ namespace: 'ns', name: 's', hosts: [], backends: [{ url: slow.url, weight: 1, revision: 's-1' }] });
    const gw = await startGateway({ host: '127.0.0.1', port: 0, table, domain: 'example.com' });
    try {
      const req = http.request(`${gw.url}/serving/ns/s/`, { agent: false });
      req.on('error', () => undefined);
      req.end();
      await gotRequest;
      req.destroy();
      await closedUpstream; // would hang (test timeout) if the gateway kept the upstream open
    } finally {
      await gw.close();
      await slow.close();
    }
  });
});
