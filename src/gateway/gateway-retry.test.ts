/**
 * The gateway's retry of a request a backend never answered (connection refused or reset before
 * any response byte): to another backend, or to the backend a route change brings; never for a
 * body too large to keep, never after the response started. Real servers on port 0.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startGateway, type Gateway } from './gateway.ts';
import { RoutingTable, defaultHosts } from './routing-table.ts';

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of closers.reverse()) await c();
});

/** A backend answering `{"name", "body"}` with the request body it read. */
async function echo(name: string): Promise<string> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => res.end(JSON.stringify({ name, body })));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on (bound, then closed): connecting is refused. */
async function deadUrl(): Promise<string> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

/** A backend that accepts, reads the request, and resets the connection without answering. */
async function resetting(): Promise<string> {
  const s = net.createServer((sock) => sock.once('data', () => sock.resetAndDestroy()));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => s.close(() => r())));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

async function gateway(table: RoutingTable, extra: { retryWaitMs?: number; maxRetryBodyBytes?: number } = {}): Promise<Gateway> {
  const gw = await startGateway({ host: '127.0.0.1', port: 0, table, domain: 'example.com', ...extra });
  closers.push(() => gw.close());
  return gw;
}

const route = (table: RoutingTable, urls: string[]): void =>
  table.set({ namespace: 'default', name: 'iris', hosts: defaultHosts('iris', 'default', 'example.com'), backends: urls.map((url, i) => ({ url, weight: 1, revision: `iris-predictor-0000${i + 1}` })) });

async function post(gw: Gateway, body: string): Promise<{ status: number; json: { name?: string; body?: string; error?: string } }> {
  const res = await fetch(`${gw.url}/serving/default/iris/v1/models/iris:predict`, { method: 'POST', body });
  return { status: res.status, json: (await res.json()) as { name?: string; body?: string; error?: string } };
}

test('a refused request goes to the route\'s other backend, body intact', async () => {
  // rng 0 always picks the first backend: the dead one.
  const table = new RoutingTable({ rng: () => 0 });
  route(table, [await deadUrl(), await echo('live')]);
  const gw = await gateway(table);
  for (let i = 0; i < 5; i++) {
    const r = await post(gw, `{"n": ${i}}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { name: 'live', body: `{"n": ${i}}` });
  }
});

test('a connection reset before any response byte is retried too', async () => {
  const table = new RoutingTable({ rng: () => 0 });
  route(table, [await resetting(), await echo('live')]);
  const gw = await gateway(table);
  assert.deepEqual((await post(gw, 'x')).json, { name: 'live', body: 'x' });
});

test('with no other backend, the request waits for the route change that brings one (a restarted replica)', async () => {
  const table = new RoutingTable();
  route(table, [await deadUrl()]);
  const gw = await gateway(table, { retryWaitMs: 5_000 });
  const live = await echo('restarted');
  const pending = post(gw, 'held');
  setTimeout(() => route(table, []), 20); // the reconciler first drops the dead endpoint ...
  setTimeout(() => route(table, [live]), 60); // ... then adds the restarted one
  const r = await pending;
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { name: 'restarted', body: 'held' });
});

test('no backend within retryWaitMs: 502 naming the errno; a body over maxRetryBodyBytes is not retried', async () => {
  const table = new RoutingTable({ rng: () => 0 });
  route(table, [await deadUrl()]);
  const gw = await gateway(table, { retryWaitMs: 50, maxRetryBodyBytes: 16 });
  const r = await post(gw, 'small');
  assert.equal(r.status, 502);
  assert.match(r.json.error ?? '', /ECONNREFUSED/);

  route(table, [await deadUrl(), await echo('live')]);
  const big = await post(gw, 'x'.repeat(17));
  assert.equal(big.status, 502, 'a body too large to keep is not sent twice');
  assert.equal((await post(gw, 'x'.repeat(16))).status, 200);
});

test('the route disappearing while a request waits gives the 502, not a hang', async () => {
  const table = new RoutingTable();
  route(table, [await deadUrl()]);
  const gw = await gateway(table, { retryWaitMs: 5_000 });
  const pending = post(gw, 'x');
  setTimeout(() => table.delete('default', 'iris'), 30);
  assert.equal((await pending).status, 502);
});
