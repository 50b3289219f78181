/**
 * Table output (`kubectl get`) with KServe's InferenceService printer columns, and the discovery
 * documents kubectl reads before anything else.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, isvc, ISVC_PATH, startTestServer, type Running } from './apiserver-helpers.ts';

let r: Running;
let nowMs = Date.parse('2026-01-01T00:00:00Z');
before(async () => {
  r = await startTestServer({ clock: { nowMs: () => nowMs, monotonicNs: () => process.hrtime.bigint() } });
});
after(async () => r.close());

const TABLE = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json' };

test('kubectl get isvc: NAME then KServe columns, cells from status by JSONPath filters, AGE as a human duration', async () => {
  const c = await call(r.url, 'POST', ISVC_PATH, isvc('table-a'));
  const status = {
    url: 'http://table-a.default.example.com',
    conditions: [
      { type: 'PredictorReady', status: 'False' },
      { type: 'Ready', status: 'True' },
    ],
    components: {
      predictor: {
        traffic: [
          { revisionName: 'table-a-predictor-00002', percent: 90, latestRevision: true },
          { revisionName: 'table-a-predictor-00001', percent: 10, latestRevision: false, tag: 'prev' },
        ],
      },
    },
  };
  await call(r.url, 'PUT', `${ISVC_PATH}/table-a/status`, { ...c.body, status });
  nowMs += 150_000;
  const t = await call(r.url, 'GET', `${ISVC_PATH}?limit=500`, undefined, TABLE);
  assert.equal(t.status, 200);
  assert.equal(t.body.kind, 'Table');
  assert.equal(t.body.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(
    t.body.columnDefinitions.map((d: any) => d.name),
    ['Name', 'URL', 'Ready', 'Prev', 'Latest', 'PrevRolledoutRevision', 'LatestReadyRevision', 'Age'],
  );
  const row = t.body.rows.find((x: any) => x.cells[0] === 'table-a');
  assert.deepEqual(row.cells, ['table-a', 'http://table-a.default.example.com', 'True', 10, 90, 'table-a-predictor-00001', 'table-a-predictor-00002', '2m30s']);
  assert.deepEqual(row.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: row.object.metadata });
  assert.equal(row.object.metadata.name, 'table-a');
  assert.match(t.body.metadata.resourceVersion, /^\d+$/);
});

test('missing values are null cells; includeObject=Object and None; a single GET is a one-row Table', async () => {
  await call(r.url, 'POST', ISVC_PATH, isvc('table-b'));
  const one = await call(r.url, 'GET', `${ISVC_PATH}/table-b?includeObject=Object`, undefined, TABLE);
  assert.equal(one.body.rows.length, 1);
  assert.deepEqual(one.body.rows[0].cells.slice(1, 7), [null, null, null, null, null, null]);
  assert.equal(one.body.rows[0].object.kind, 'InferenceService');
  const none = await call(r.url, 'GET', `${ISVC_PATH}/table-b?includeObject=None`, undefined, TABLE);
  assert.equal(none.body.rows[0].object, null);
  const bad = await call(r.url, 'GET', `${ISVC_PATH}/table-b?includeObject=All`, undefined, TABLE);
  assert.equal(bad.status, 400);
});

test('namespaces show STATUS; all-namespace lists cover every namespace; limit and continue page through', async () => {
  const ns = await call(r.url, 'GET', '/api/v1/namespaces', undefined, TABLE);
  const def = ns.body.rows.find((x: any) => x.cells[0] === 'default');
  assert.equal(def.cells[1], 'Active');
  await call(r.url, 'POST', '/apis/serving.kserve.io/v1beta1/namespaces/kserve/inferenceservices', isvc('table-c'));
  const all = await call(r.url, 'GET', '/apis/serving.kserve.io/v1beta1/inferenceservices');
  assert.equal(all.body.kind, 'InferenceServiceList');
  const names = all.body.items.map((o: any) => `${o.metadata.namespace}/${o.metadata.name}`);
  assert.ok(names.includes('kserve/table-c') && names.includes('default/table-a'), names.join());
  const seen: string[] = [];
  let cont = '';
  for (let page = 0; page < 10; page++) {
    const p = await call(r.url, 'GET', `/apis/serving.kserve.io/v1beta1/inferenceservices?limit=1${cont ? `&continue=${cont}` : ''}`);
    seen.push(...p.body.items.map((o: any) => `${o.metadata.namespace}/${o.metadata.name}`));
    if (!p.body.metadata.continue) break;
    assert.equal(p.body.metadata.remainingItemCount, names.length - seen.length);
    cont = encodeURIComponent(p.body.metadata.continue);
  }
  assert.deepEqual(seen, names);
  const badCont = await call(r.url, 'GET', `${ISVC_PATH}?limit=1&continue=garbage`);
  assert.equal(badCont.status, 400);
});

test('label and field selectors on lists', async () => {
  await call(r.url, 'POST', ISVC_PATH, isvc('sel-1', { labels: { tier: 'gold', env: 'prod' } }));
  await call(r.url, 'POST', ISVC_PATH, isvc('sel-2', { labels: { tier: 'silver' } }));
  const names = async (q: string): Promise<string[]> => (await call(r.url, 'GET', `${ISVC_PATH}?${q}`)).body.items.map((o: any) => o.metadata.name).filter((n: string) => n.startsWith('sel-'));
  assert.deepEqual(await names('labelSelector=tier%3D%3Dgold'), ['sel-1']);
  assert.deepEqual(await names('labelSelector=tier%20in%20(gold,silver),!missing'), ['sel-1', 'sel-2']);
  assert.deepEqual(await names('labelSelector=tier%20notin%20(gold)'), ['sel-2']);
  assert.deepEqual(await names('labelSelector=env'), ['sel-1']);
  assert.deepEqual(await names('labelSelector=tier!%3Dgold'), ['sel-2']);
  assert.deepEqual(await names('fieldSelector=metadata.name%3Dsel-2'), ['sel-2']);
  assert.deepEqual(await names('fieldSelector=metadata.namespace%3Ddefault,metadata.name!%3Dsel-2&labelSelector=tier'), ['sel-1']);
  const bad = await call(r.url, 'GET', `${ISVC_PATH}?labelSelector=a%20in%20b`);
  assert.equal(bad.status, 400);
});

test('Event field selectors kubectl describe uses (involvedObject.*)', async () => {
  const ev = (name: string, obj: string) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name },
    involvedObject: { kind: 'InferenceService', name: obj, namespace: 'default', uid: 'u-1' },
    reason: 'Created',
    message: 'made',
    type: 'Normal',
  });
  assert.equal((await call(r.url, 'POST', '/api/v1/namespaces/default/events', ev('e1', 'table-a'))).status, 201);
  await call(r.url, 'POST', '/api/v1/namespaces/default/events', ev('e2', 'other'));
  const q = encodeURIComponent('involvedObject.name=table-a,involvedObject.namespace=default,involvedObject.kind=InferenceService,involvedObject.uid=u-1');
  const l = await call(r.url, 'GET', `/api/v1/namespaces/default/events?fieldSelector=${q}`);
  assert.deepEqual(l.body.items.map((e: any) => e.metadata.name), ['e1']);
});

test('discovery: /version, /api, /api/v1, /apis, group and versions with status subresources, health', async () => {
  const v = await call(r.url, 'GET', '/version');
  assert.match(v.body.gitVersion, /^v1\.32\.\d+-kserve-ts$/);
  assert.equal((await call(r.url, 'GET', '/api')).body.versions[0], 'v1');
  const core = await call(r.url, 'GET', '/api/v1');
  const nsRes = core.body.resources.find((x: any) => x.name === 'namespaces');
  assert.deepEqual([nsRes.namespaced, nsRes.kind, nsRes.shortNames], [false, 'Namespace', ['ns']]);
  assert.ok(core.body.resources.some((x: any) => x.name === 'events' && x.namespaced));
  const apis = await call(r.url, 'GET', '/apis', undefined, { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' });
  assert.equal(apis.headers.get('content-type'), 'application/json');
  const group = apis.body.groups.find((g: any) => g.name === 'serving.kserve.io');
  assert.deepEqual(group.versions.map((x: any) => x.version), ['v1beta1', 'v1alpha1']);
  assert.equal(group.preferredVersion.version, 'v1beta1');
  assert.equal((await call(r.url, 'GET', '/apis/serving.kserve.io')).body.kind, 'APIGroup');
  const v1b1 = await call(r.url, 'GET', '/apis/serving.kserve.io/v1beta1');
  const isvcRes = v1b1.body.resources.find((x: any) => x.name === 'inferenceservices');
  assert.deepEqual([isvcRes.singularName, isvcRes.kind, isvcRes.shortNames, isvcRes.namespaced], ['inferenceservice', 'InferenceService', ['isvc'], true]);
  assert.ok(isvcRes.verbs.includes('watch') && isvcRes.verbs.includes('patch'));
  assert.deepEqual(v1b1.body.resources.find((x: any) => x.name === 'inferenceservices/status').verbs, ['get', 'patch', 'update']);
  const v1a1 = await call(r.url, 'GET', '/apis/serving.kserve.io/v1alpha1');
  assert.deepEqual(v1a1.body.resources.filter((x: any) => !x.name.includes('/')).map((x: any) => x.name), ['clusterservingruntimes', 'inferencegraphs', 'servingruntimes', 'trainedmodels']);
  assert.equal((await call(r.url, 'GET', '/apis/serving.kserve.io/v2')).status, 404);
  assert.equal((await call(r.url, 'GET', '/apis/nope.io')).status, 404);
  for (const h of ['/healthz', '/readyz', '/livez']) assert.equal((await call(r.url, 'GET', h)).body, 'ok');
  const root = await call(r.url, 'GET', '/');
  assert.ok(root.body.paths.includes('/apis/serving.kserve.io/v1beta1') && root.body.paths.includes('/version'));
});

test('OpenAPI: /openapi/v2 and the /openapi/v3 index and documents', async () => {
  const v2 = await call(r.url, 'GET', '/openapi/v2');
  assert.equal(v2.body.swagger, '2.0');
  const idx = await call(r.url, 'GET', '/openapi/v3');
  const entry = idx.body.paths['apis/serving.kserve.io/v1beta1'];
  assert.match(entry.serverRelativeURL, /^\/openapi\/v3\/apis\/serving\.kserve\.io\/v1beta1\?hash=/);
  const doc = await call(r.url, 'GET', entry.serverRelativeURL);
  assert.match(doc.body.openapi, /^3\./);
  assert.equal((await call(r.url, 'GET', '/openapi/v3/api/v1')).status, 200);
  assert.equal((await call(r.url, 'GET', '/openapi/v3/apis/nope/v1')).status, 404);
});

test('the kinds as read-only CustomResourceDefinitions (kubectl get crd; kubectl checks unknown kinds against them)', async () => {
  const list = await call(r.url, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
  assert.equal(list.body.kind, 'CustomResourceDefinitionList');
  const names = list.body.items.map((c: any) => c.metadata.name);
  assert.deepEqual(names, [...names].sort());
  assert.ok(names.includes('inferenceservices.serving.kserve.io'));
  assert.ok(!names.some((n: string) => n.startsWith('namespaces')), 'core kinds are not CRDs');
  const one = await call(r.url, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/inferenceservices.serving.kserve.io');
  assert.deepEqual([one.body.spec.group, one.body.spec.names.kind, one.body.spec.scope, one.body.spec.names.shortNames], ['serving.kserve.io', 'InferenceService', 'Namespaced', ['isvc']]);
  assert.deepEqual(one.body.spec.versions[0].subresources, { status: {} });
  assert.equal((await call(r.url, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com')).status, 404);
  assert.equal((await call(r.url, 'DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/inferenceservices.serving.kserve.io')).status, 405);
  const table = await call(r.url, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', undefined, TABLE);
  assert.deepEqual(table.body.columnDefinitions.map((c: any) => c.name), ['Name', 'Created At']);
  const disc = await call(r.url, 'GET', '/apis/apiextensions.k8s.io/v1');
  assert.deepEqual(disc.body.resources[0].shortNames, ['crd', 'crds']);
  assert.ok((await call(r.url, 'GET', '/apis')).body.groups.some((g: any) => g.name === 'apiextensions.k8s.io'));
});

test('/openapi/v2 answers the gnostic protobuf form when client-go asks for it', async () => {
  const res = await fetch(`${r.url}/openapi/v2`, { headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/octet-stream');
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes[0], 0x0a, 'field 1 (swagger), length-delimited');
  assert.equal(bytes.subarray(2, 2 + bytes[1]!).toString(), '2.0');
});
