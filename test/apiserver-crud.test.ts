/**
 * CRUD through a real API server (port 0, MemoryStore, every kind): create, get, replace, merge
 * and JSON patch, status subresource, generation, dryRun, generateName, field validation, and the
 * Status errors Kubernetes answers for each misuse.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, isvc, ISVC_PATH, startTestServer, type Running } from './apiserver-helpers.ts';

let r: Running;
before(async () => {
  r = await startTestServer({ rng: () => 0 });
});
after(async () => r.close());

const STRICT = '?fieldValidation=Strict';

test('create sets uid, creationTimestamp, resourceVersion and generation 1; get returns it', async () => {
  const c = await call(r.url, 'POST', ISVC_PATH + STRICT, isvc('create-a'));
  assert.equal(c.status, 201);
  const m = c.body.metadata;
  assert.match(m.uid, /^[0-9a-f-]{36}$/);
  assert.match(m.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(m.resourceVersion, /^\d+$/);
  assert.equal(m.generation, 1);
  assert.equal(m.namespace, 'default');
  const g = await call(r.url, 'GET', `${ISVC_PATH}/create-a`);
  assert.equal(g.status, 200);
  assert.deepEqual(g.body, c.body);
});

test('create of an existing name is 409 AlreadyExists, worded as Kubernetes', async () => {
  await call(r.url, 'POST', ISVC_PATH, isvc('dup'));
  const c = await call(r.url, 'POST', ISVC_PATH, isvc('dup'));
  assert.equal(c.status, 409);
  assert.equal(c.body.kind, 'Status');
  assert.equal(c.body.reason, 'AlreadyExists');
  assert.equal(c.body.message, 'inferenceservices.serving.kserve.io "dup" already exists');
  assert.deepEqual(c.body.details, { name: 'dup', group: 'serving.kserve.io', kind: 'inferenceservices' });
});

test('get of a missing object is 404 NotFound; create in a missing namespace is 404 namespaces "x" not found', async () => {
  const g = await call(r.url, 'GET', `${ISVC_PATH}/nope`);
  assert.equal(g.status, 404);
  assert.equal(g.body.message, 'inferenceservices.serving.kserve.io "nope" not found');
  const c = await call(r.url, 'POST', '/apis/serving.kserve.io/v1beta1/namespaces/ghost/inferenceservices', isvc('a'));
  assert.equal(c.status, 404);
  assert.equal(c.body.message, 'namespaces "ghost" not found');
});

test('generateName makes a name from the prefix', async () => {
  const body = isvc('');
  body.metadata = { generateName: 'gen-' };
  const c = await call(r.url, 'POST', ISVC_PATH, body);
  assert.equal(c.status, 201);
  assert.match(c.body.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});

test('create with resourceVersion set is 400; with no name is 422', async () => {
  const c = await call(r.url, 'POST', ISVC_PATH, isvc('rv', { resourceVersion: '5' }));
  assert.equal(c.status, 400);
  assert.equal(c.body.message, 'resourceVersion should not be set on objects to be created');
  const body = isvc('');
  body.metadata = {};
  const n = await call(r.url, 'POST', ISVC_PATH, body);
  assert.equal(n.status, 422);
  assert.equal(n.body.reason, 'Invalid');
  assert.equal(n.body.details.causes[0].field, 'metadata.name');
});

test('fieldValidation: Strict rejects unknown and duplicate fields, Warn prunes with Warning headers, Ignore prunes silently', async () => {
  const bad = isvc('fv');
  bad.spec.predictor.sklearnn = {};
  const s = await call(r.url, 'POST', ISVC_PATH + STRICT, bad);
  assert.equal(s.status, 400);
  assert.equal(s.body.reason, 'BadRequest');
  assert.equal(s.body.message, 'InferenceService in version "v1beta1" cannot be handled as a InferenceService: strict decoding error: unknown field "spec.predictor.sklearnn"');
  const dupText = JSON.stringify(isvc('fv-dup')).replace('"spec":{', '"spec":{"x":1,"x":2,');
  const d = await call(r.url, 'POST', ISVC_PATH + STRICT, dupText);
  assert.equal(d.status, 400);
  assert.match(d.body.message, /duplicate field "spec\.x"/);
  const w = await call(r.url, 'POST', `${ISVC_PATH}?fieldValidation=Warn`, bad);
  assert.equal(w.status, 201);
  assert.equal(w.headers.get('warning'), '299 - "unknown field \\"spec.predictor.sklearnn\\""');
  assert.equal(w.body.spec.predictor.sklearnn, undefined);
  bad.metadata.name = 'fv-ignore';
  const i = await call(r.url, 'POST', `${ISVC_PATH}?fieldValidation=Ignore`, bad);
  assert.equal(i.status, 201);
  assert.equal(i.headers.get('warning'), null);
  assert.equal(i.body.spec.predictor.sklearnn, undefined);
  const u = await call(r.url, 'POST', `${ISVC_PATH}?fieldValidation=Loose`, bad);
  assert.equal(u.status, 400);
  assert.match(u.body.message, /fieldValidation: Unsupported value: "Loose"/);
});

test('YAML bodies decode; malformed JSON and YAML are 400, never 500', async () => {
  const yaml = 'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: from-yaml\nspec:\n  predictor:\n    model:\n      modelFormat: {name: sklearn}\n      storageUri: gs://b/m\n';
  const y = await call(r.url, 'POST', ISVC_PATH, yaml, { 'content-type': 'application/yaml' });
  assert.equal(y.status, 201);
  assert.equal(y.body.spec.predictor.model.storageUri, 'gs://b/m');
  const j = await call(r.url, 'POST', ISVC_PATH, '{"apiVersion": ', {});
  assert.equal(j.status, 400);
  assert.match(j.body.message, /json parse error/);
  const ym = await call(r.url, 'POST', ISVC_PATH, 'a: [1, 2\nb: :', { 'content-type': 'application/yaml' });
  assert.equal(ym.status, 400);
  const arr = await call(r.url, 'POST', ISVC_PATH, '[1,2]');
  assert.equal(arr.status, 400);
  assert.match(arr.body.message, /Object 'Kind' is missing/);
});

test('an apiVersion that does not match the URL is 400; a kind that does not is 422 on the kind field', async () => {
  const v = await call(r.url, 'POST', ISVC_PATH, { ...isvc('k1'), apiVersion: 'serving.kserve.io/v1alpha1' });
  assert.equal(v.status, 400);
  assert.equal(v.body.message, 'the API version in the data (serving.kserve.io/v1alpha1) does not match the expected API version (serving.kserve.io/v1beta1)');
  const k = await call(r.url, 'POST', ISVC_PATH, { ...isvc('k2'), kind: 'ServingRuntime' });
  assert.equal(k.status, 422);
  assert.equal(k.body.message, 'ServingRuntime.serving.kserve.io "k2" is invalid: kind: Invalid value: "ServingRuntime": must be InferenceService');
});

test('schema violations are 422 Invalid with one cause per field', async () => {
  const bad = isvc('bad-replicas');
  bad.spec.predictor.minReplicas = 'three';
  const c = await call(r.url, 'POST', ISVC_PATH, bad);
  assert.equal(c.status, 422);
  assert.equal(c.body.reason, 'Invalid');
  assert.match(c.body.message, /^InferenceService\.serving\.kserve\.io "bad-replicas" is invalid: /);
  assert.ok(c.body.details.causes.some((x: any) => x.field === 'spec.predictor.minReplicas'), JSON.stringify(c.body));
  assert.equal(c.body.details.kind, 'InferenceService');
});

test("the kind's validation (KServe's webhook) is a 422 naming the field, after schema validation passes", async () => {
  const two = isvc('two-impls');
  two.spec.predictor = { sklearn: { storageUri: 'gs://a/b' }, xgboost: { storageUri: 'gs://a/b' } };
  const c = await call(r.url, 'POST', ISVC_PATH, two);
  assert.equal(c.status, 422);
  assert.ok(c.body.details.causes.some((x: any) => x.field === 'spec.predictor'), JSON.stringify(c.body));
  const badName = await call(r.url, 'POST', ISVC_PATH, isvc('Upper'));
  assert.equal(badName.status, 422);
  assert.equal(badName.body.details.causes.length, 1, 'the name is reported once, by ObjectMeta validation');
});

test('PUT replaces with optimistic concurrency: stale resourceVersion is 409 Conflict, none is 422', async () => {
  const c = await call(r.url, 'POST', ISVC_PATH, isvc('put-a'));
  const v1 = c.body;
  v1.spec.predictor.minReplicas = 1;
  const u = await call(r.url, 'PUT', `${ISVC_PATH}/put-a`, v1);
  assert.equal(u.status, 200);
  assert.equal(u.body.metadata.generation, 2);
  assert.notEqual(u.body.metadata.resourceVersion, v1.metadata.resourceVersion);
  const stale = await call(r.url, 'PUT', `${ISVC_PATH}/put-a`, v1);
  assert.equal(stale.status, 409);
  assert.equal(stale.body.reason, 'Conflict');
  assert.equal(stale.body.message, 'Operation cannot be fulfilled on inferenceservices.serving.kserve.io "put-a": the object has been modified; please apply your changes to the latest version and try again');
  const noRv = structuredClone(u.body);
  delete noRv.metadata.resourceVersion;
  const n = await call(r.url, 'PUT', `${ISVC_PATH}/put-a`, noRv);
  assert.equal(n.status, 422);
  assert.match(n.body.message, /metadata\.resourceVersion: Invalid value: 0x0: must be specified for an update/);
  const otherUid = await call(r.url, 'PUT', `${ISVC_PATH}/put-a`, { ...u.body, metadata: { ...u.body.metadata, uid: 'someone-else' } });
  assert.equal(otherUid.status, 409);
  assert.match(otherUid.body.message, /Precondition failed: UID in precondition: someone-else/);
  const wrongName = await call(r.url, 'PUT', `${ISVC_PATH}/other`, u.body);
  assert.equal(wrongName.status, 400);
  assert.match(wrongName.body.message, /does not match the name on the URL/);
  const missing = await call(r.url, 'PUT', `${ISVC_PATH}/put-missing`, { ...u.body, metadata: { ...u.body.metadata, name: 'put-missing' } });
  assert.equal(missing.status, 404);
});

test('an update that changes nothing keeps the resourceVersion; a metadata-only change keeps generation', async () => {
  const c = await call(r.url, 'POST', ISVC_PATH, isvc('noop'));
  const same = await call(r.url, 'PUT', `${ISVC_PATH}/noop`, c.body);
  assert.equal(same.body.metadata.resourceVersion, c.body.metadata.resourceVersion);
  const l = await call(r.url, 'PATCH', `${ISVC_PATH}/noop`, { metadata: { labels: { a: 'b' } } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(l.status, 200);
  assert.equal(l.body.metadata.generation, 1);
  assert.deepEqual(l.body.metadata.labels, { a: 'b' });
});

test('status subresource: status writes change only status and keep generation; main writes keep status', async () => {
  const c = await call(r.url, 'POST', ISVC_PATH, { ...isvc('st'), status: { url: 'http://ignored' } });
  assert.equal(c.body.status, undefined, 'status is dropped on create');
  const s = await call(r.url, 'PUT', `${ISVC_PATH}/st/status`, { ...c.body, spec: { predictor: { minReplicas: 9 } }, status: { url: 'http://st.default.example.com' } });
  assert.equal(s.status, 200);
  assert.equal(s.body.status.url, 'http://st.default.example.com');
  assert.equal(s.body.spec.predictor.minReplicas, undefined, 'spec is not changed through /status');
  assert.equal(s.body.metadata.generation, 1);
  const p = await call(r.url, 'PATCH', `${ISVC_PATH}/st/status`, { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(p.status, 200);
  assert.equal(p.body.status.conditions[0].status, 'True');
  const main = await call(r.url, 'PUT', `${ISVC_PATH}/st`, { ...p.body, spec: { ...p.body.spec, predictor: { ...p.body.spec.predictor, minReplicas: 2 } }, status: { url: 'http://overwritten' } });
  assert.equal(main.status, 200);
  assert.equal(main.body.status.url, 'http://st.default.example.com');
  assert.equal(main.body.metadata.generation, 2);
  const g = await call(r.url, 'GET', `${ISVC_PATH}/st/status`);
  assert.equal(g.body.status.conditions[0].type, 'Ready');
  const bad = await call(r.url, 'GET', `${ISVC_PATH}/st/scale`);
  assert.equal(bad.status, 404);
});

test('merge patch (RFC 7386): null deletes, objects merge; JSON patch (RFC 6902) with a test op', async () => {
  await call(r.url, 'POST', ISVC_PATH, isvc('patchy', { labels: { keep: '1', drop: '2' } }));
  const m = await call(r.url, 'PATCH', `${ISVC_PATH}/patchy`, { metadata: { labels: { drop: null, add: '3' } }, spec: { predictor: { maxReplicas: 4 } } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(m.status, 200);
  assert.deepEqual(m.body.metadata.labels, { keep: '1', add: '3' });
  assert.equal(m.body.spec.predictor.maxReplicas, 4);
  assert.equal(m.body.spec.predictor.model.modelFormat.name, 'sklearn');
  assert.equal(m.body.metadata.generation, 2);
  const ops = [
    { op: 'test', path: '/spec/predictor/maxReplicas', value: 4 },
    { op: 'replace', path: '/spec/predictor/maxReplicas', value: 5 },
    { op: 'add', path: '/metadata/annotations', value: { 'example.com/a': 'x' } },
    { op: 'replace', path: '/metadata/annotations/example.com~1a', value: 'y' },
  ];
  const j = await call(r.url, 'PATCH', `${ISVC_PATH}/patchy`, ops, { 'content-type': 'application/json-patch+json' });
  assert.equal(j.status, 200, JSON.stringify(j.body));
  assert.equal(j.body.spec.predictor.maxReplicas, 5);
  assert.equal(j.body.metadata.annotations['example.com/a'], 'y');
  const failed = await call(r.url, 'PATCH', `${ISVC_PATH}/patchy`, [{ op: 'test', path: '/spec/predictor/maxReplicas', value: 4 }], { 'content-type': 'application/json-patch+json' });
  assert.equal(failed.status, 422);
  assert.match(failed.body.message, /testing value \/spec\/predictor\/maxReplicas failed/);
  const malformed = await call(r.url, 'PATCH', `${ISVC_PATH}/patchy`, [{ op: 'frobnicate', path: '/x' }], { 'content-type': 'application/json-patch+json' });
  assert.equal(malformed.status, 400);
  const strictPatch = await call(r.url, 'PATCH', `${ISVC_PATH}/patchy${STRICT}`, { spec: { predictor: { sklearnn: {} } } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(strictPatch.status, 400);
  assert.match(strictPatch.body.message, /unknown field "spec\.predictor\.sklearnn"/);
  const missing = await call(r.url, 'PATCH', `${ISVC_PATH}/nobody`, {}, { 'content-type': 'application/merge-patch+json' });
  assert.equal(missing.status, 404);
});

test('strategic merge patch on a custom kind is 415 with the accepted types, as Kubernetes', async () => {
  await call(r.url, 'POST', ISVC_PATH, isvc('smp'));
  const p = await call(r.url, 'PATCH', `${ISVC_PATH}/smp`, { spec: {} }, { 'content-type': 'application/strategic-merge-patch+json' });
  assert.equal(p.status, 415);
  assert.equal(p.body.reason, 'UnsupportedMediaType');
  assert.equal(p.body.message, 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
});

test('core kinds take strategic merge patch (kubectl apply and edit of a Namespace)', async () => {
  await call(r.url, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'smp-ns', labels: { a: '1' } } });
  const p = await call(r.url, 'PATCH', '/api/v1/namespaces/smp-ns', { metadata: { labels: { b: '2' }, finalizers: ['example.com/x'] } }, { 'content-type': 'application/strategic-merge-patch+json' });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(p.body.metadata.labels.a, '1');
  assert.equal(p.body.metadata.labels.b, '2');
  assert.deepEqual(p.body.metadata.finalizers, ['example.com/x']);
});

test('dryRun=All runs admission but writes nothing', async () => {
  const c = await call(r.url, 'POST', `${ISVC_PATH}?dryRun=All`, isvc('dry'));
  assert.equal(c.status, 201);
  assert.equal((await call(r.url, 'GET', `${ISVC_PATH}/dry`)).status, 404);
  const invalid = await call(r.url, 'POST', `${ISVC_PATH}?dryRun=All`, { ...isvc('dry'), spec: { predictor: { minReplicas: 'x' } } });
  assert.equal(invalid.status, 422);
  await call(r.url, 'POST', ISVC_PATH, isvc('dry2'));
  const d = await call(r.url, 'DELETE', `${ISVC_PATH}/dry2?dryRun=All`);
  assert.equal(d.status, 200);
  assert.equal((await call(r.url, 'GET', `${ISVC_PATH}/dry2`)).status, 200);
  const bad = await call(r.url, 'POST', `${ISVC_PATH}?dryRun=Some`, isvc('dry3'));
  assert.equal(bad.status, 400);
});

test('concurrent unconditional patches all land (re-applied on conflict, as Kubernetes)', async () => {
  await call(r.url, 'POST', ISVC_PATH, isvc('racy'));
  const n = 30;
  const replies = await Promise.all(
    Array.from({ length: n }, (_, i) => call(r.url, 'PATCH', `${ISVC_PATH}/racy`, { metadata: { labels: { [`l${i}`]: 'x' } } }, { 'content-type': 'application/merge-patch+json' })),
  );
  assert.deepEqual(replies.map((x) => x.status), Array(n).fill(200));
  const g = await call(r.url, 'GET', `${ISVC_PATH}/racy`);
  assert.equal(Object.keys(g.body.metadata.labels).length, n);
});

test('server-side apply: creates, updates, reports field conflicts (409 with causes), honours a pinned resourceVersion', async () => {
  const APPLY = { 'content-type': 'application/apply-patch+yaml' };
  const a = await call(r.url, 'PATCH', `${ISVC_PATH}/ssa?fieldManager=alice`, isvc('ssa'), APPLY);
  assert.equal(a.status, 201, JSON.stringify(a.body));
  assert.equal(a.body.metadata.managedFields[0].manager, 'alice');
  const merged = await call(r.url, 'PATCH', `${ISVC_PATH}/ssa?fieldManager=bob`, { metadata: { labels: { b: '1' } } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(merged.status, 200);
  const mine = isvc('ssa');
  mine.spec.predictor.model.storageUri = 'gs://other/model';
  const clash = await call(r.url, 'PATCH', `${ISVC_PATH}/ssa?fieldManager=carol`, mine, APPLY);
  assert.equal(clash.status, 409);
  assert.equal(clash.body.reason, 'Conflict');
  assert.match(clash.body.message, /^Apply failed with 1 conflict: conflict with "alice"/);
  assert.equal(clash.body.details.causes[0].reason, 'FieldManagerConflict');
  const forced = await call(r.url, 'PATCH', `${ISVC_PATH}/ssa?fieldManager=carol&force=true`, mine, APPLY);
  assert.equal(forced.status, 200);
  assert.equal(forced.body.spec.predictor.model.storageUri, 'gs://other/model');
  const pinned = await call(r.url, 'PATCH', `${ISVC_PATH}/ssa?fieldManager=carol&force=true`, { ...mine, metadata: { ...mine.metadata, resourceVersion: a.body.metadata.resourceVersion } }, APPLY);
  assert.equal(pinned.status, 409);
  assert.equal(pinned.body.details.causes, undefined, 'an optimistic-concurrency conflict, not a field conflict');
  const noManager = await call(r.url, 'PATCH', `${ISVC_PATH}/ssa`, mine, APPLY);
  assert.equal(noManager.status, 400);
});
