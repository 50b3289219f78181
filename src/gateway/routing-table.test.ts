import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RoutingTable, defaultHosts, normalizeHost, pickWeighted } from './routing-table.ts';

const b = (revision: string, weight: number): { url: string; weight: number; revision: string } => ({ url: `http://127.0.0.1:1/${revision}`, weight, revision });

test('defaultHosts gives KServe and Knative forms', () => {
  assert.deepEqual(defaultHosts('iris', 'default', 'Example.com'), ['iris-default.example.com', 'iris.default.example.com']);
});

test('normalizeHost strips the port and lower-cases', () => {
  assert.equal(normalizeHost('IRIS.default.example.com:8080'), 'iris.default.example.com');
  assert.equal(normalizeHost('[::1]:80'), '[::1]');
  assert.equal(normalizeHost('a.b'), 'a.b');
});

test('resolve by host and by /serving prefix', () => {
  const t = new RoutingTable({ rng: () => 0 });
  t.set({ namespace: 'default', name: 'iris', hosts: defaultHosts('iris', 'default', 'example.com'), backends: [b('iris-1', 100)] });
  const byHost = t.resolve({ host: 'iris.default.example.com:80', path: '/v1/models/iris:predict' });
  assert.equal(byHost?.backend?.revision, 'iris-1');
  assert.equal(byHost?.rewrittenPath, '/v1/models/iris:predict');
  assert.equal(t.resolve({ host: 'iris-default.example.com', path: '/' })?.route.name, 'iris');
  const byPath = t.resolve({ host: 'localhost', path: '/serving/default/iris/v2/models/iris/infer' });
  assert.equal(byPath?.rewrittenPath, '/v2/models/iris/infer');
  assert.equal(t.resolve({ path: '/serving/default/iris' })?.rewrittenPath, '/');
  assert.equal(t.resolve({ path: '/serving/default/iris?x=1' })?.rewrittenPath, '/?x=1');
  assert.equal(t.resolve({ host: 'other.default.example.com', path: '/' }), undefined);
  assert.equal(t.resolve({ path: '/serving/default/other/v1' }), undefined);
  assert.equal(t.resolve({ path: '/serving/default' }), undefined);
  assert.equal(t.resolve({ path: '/serving/%E0%A4%A/iris/v1' }), undefined, 'malformed escape is no match, not a throw');
  assert.equal(t.resolve({ path: '/serving/def%61ult/iris/v1' })?.rewrittenPath, '/v1');
});

test('a route without a positive-weight backend resolves with backend undefined (503, not 404)', () => {
  const t = new RoutingTable();
  t.set({ namespace: 'ns', name: 'm', hosts: [], backends: [] });
  const r = t.resolve({ path: '/serving/ns/m/v2' });
  assert.ok(r);
  assert.equal(r.backend, undefined);
  t.set({ namespace: 'ns', name: 'm', hosts: [], backends: [b('m-1', 0)] });
  assert.equal(t.resolve({ path: '/serving/ns/m/v2' })?.backend, undefined);
});

test('pickWeighted follows the worked example and skips zero weights', () => {
  const bs = [b('a', 80), b('z', 0), b('c', 20)];
  assert.equal(pickWeighted(bs, 0)?.revision, 'a');
  assert.equal(pickWeighted(bs, 0.79)?.revision, 'a');
  assert.equal(pickWeighted(bs, 0.85)?.revision, 'c');
  assert.equal(pickWeighted(bs, 0.9999999)?.revision, 'c');
  assert.equal(pickWeighted([b('a', 0)], 0.5), undefined);
});

test('weights split traffic as set with an injected rng', () => {
  let i = 0;
  const t = new RoutingTable({ rng: () => (i++ % 100) / 100 });
  t.set({ namespace: 'd', name: 'm', hosts: ['m.d.x'], backends: [b('a', 3), b('c', 1)] });
  const counts: Record<string, number> = {};
  for (let n = 0; n < 400; n++) {
    const rev = t.resolve({ host: 'm.d.x', path: '/' })?.backend?.revision ?? 'none';
    counts[rev] = (counts[rev] ?? 0) + 1;
  }
  assert.deepEqual(counts, { a: 300, c: 100 });
});

test('version and change listener; delete removes host index', () => {
  const t = new RoutingTable();
  const seen: number[] = [];
  const off = t.onChange((v) => seen.push(v));
  t.set({ namespace: 'd', name: 'm', hosts: ['m.d.x'], backends: [b('a', 1)] });
  t.set({ namespace: 'd', name: 'm', hosts: ['m2.d.x'], backends: [b('a', 1)] });
  assert.equal(t.resolve({ host: 'm.d.x', path: '/' }), undefined, 'old host unindexed on replace');
  assert.equal(t.delete('d', 'm'), true);
  assert.equal(t.delete('d', 'm'), false);
  off();
  t.set({ namespace: 'd', name: 'm', hosts: [], backends: [] });
  assert.deepEqual(seen, [1, 2, 3]);
  assert.equal(t.version, 4);
  assert.equal(t.resolve({ host: 'm2.d.x', path: '/' }), undefined);
});

test('bad routes are rejected naming the field and value', () => {
  const t = new RoutingTable();
  assert.throws(() => t.set({ namespace: '', name: 'm', hosts: [], backends: [] }), /route\.namespace: got ""/);
  assert.throws(() => t.set({ namespace: 'd', name: 'm', hosts: [], backends: [b('a', -1)] }), /route\.backends\[0\]\.weight: got -1, expected/);
  assert.throws(() => t.set({ namespace: 'd', name: 'm', hosts: [], backends: [{ url: 'nope', weight: 1, revision: 'r' }] }), /route\.backends\[0\]\.url: got "nope"/);
  assert.throws(() => t.set({ namespace: 'd', name: 'm', hosts: [], backends: [{ url: 'https://x', weight: 1, revision: 'r' }] }), /expected an http:\/\/ URL/);
  t.set({ namespace: 'd', name: 'a', hosts: ['h.x'], backends: [] });
  assert.throws(() => t.set({ namespace: 'd', name: 'b', hosts: ['H.x:80'], backends: [] }), /route\.hosts: "h\.x" already belongs to d\/a/);
});

test(':explain goes to the explainer backends when the route has them; everything else to backends', () => {
  const t = new RoutingTable({ rng: () => 0 });
  t.set({ namespace: 'default', name: 'iris', hosts: defaultHosts('iris', 'default', 'example.com'), backends: [b('iris-transformer-1', 1)], explainBackends: [b('iris-explainer-1', 1)] });
  assert.equal(t.resolve({ host: 'iris.default.example.com', path: '/v1/models/iris:explain' })?.backend?.revision, 'iris-explainer-1');
  assert.equal(t.resolve({ path: '/serving/default/iris/v1/models/iris:explain?x=1' })?.backend?.revision, 'iris-explainer-1');
  assert.equal(t.resolve({ path: '/serving/default/iris/v1/models/iris:predict' })?.backend?.revision, 'iris-transformer-1');
  assert.equal(t.resolve({ path: '/serving/default/iris/v2/models/iris/explain' })?.backend?.revision, 'iris-transformer-1');
  t.set({ namespace: 'default', name: 'plain', hosts: [], backends: [b('plain-1', 1)] });
  assert.equal(t.resolve({ path: '/serving/default/plain/v1/models/plain:explain' })?.backend?.revision, 'plain-1');
  assert.throws(() => t.set({ namespace: 'default', name: 'x', hosts: [], backends: [], explainBackends: [b('e', -1)] }), /route\.explainBackends\[0\]\.weight/);
});
