import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_KINDS } from '../../../api/index.ts';
import type { JsonSchema } from '../../../api/registry.ts';
import { conflictMessage, serverSideApply, trackUpdate, type ApplyOptions } from './apply.ts';
import { applyFunctionFor } from './for-kinds.ts';

const isvc = ALL_KINDS.find((k) => k.kind === 'InferenceService')!.versions[0]!;
const AV = 'serving.kserve.io/v1beta1';
const T0 = new Date('2026-01-02T03:04:05.678Z');
const T1 = new Date('2026-01-02T03:05:00.000Z');
const opts = (over: Partial<ApplyOptions> = {}): ApplyOptions => ({ manager: 'kubectl', force: false, now: T0, apiVersion: AV, schema: isvc.schema, statusSubresource: true, ...over });

const manifest = (storageUri: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: AV,
  kind: 'InferenceService',
  metadata: { name: 'iris', namespace: 'default', labels: { team: 'ml' } },
  spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri }, ...extra } },
});

/** The stored object the server would have: apply's result plus server-set identity. */
function stored(obj: Record<string, unknown>): Record<string, unknown> {
  const meta = obj.metadata as Record<string, unknown>;
  return { ...obj, metadata: { ...meta, uid: 'u-1', resourceVersion: '7', generation: 1, creationTimestamp: '2026-01-02T03:04:05Z' } };
}

function applyOk(live: Record<string, unknown> | undefined, applied: Record<string, unknown>, o: ApplyOptions): { object: Record<string, unknown>; changed: boolean } {
  const r = serverSideApply(live, applied, o);
  assert.ok('object' in r, `expected no conflicts, got ${JSON.stringify(r)}`);
  return r;
}

const mf = (obj: Record<string, unknown>): any[] => (obj.metadata as any).managedFields;

test('first apply: the applier owns exactly its configuration (FieldsV1 golden)', () => {
  const { object, changed } = applyOk(undefined, manifest('gs://a', { minReplicas: 1 }), opts());
  assert.equal(changed, true);
  assert.deepEqual(object, {
    apiVersion: AV,
    kind: 'InferenceService',
    metadata: {
      name: 'iris',
      namespace: 'default',
      labels: { team: 'ml' },
      managedFields: [
        {
          manager: 'kubectl',
          operation: 'Apply',
          apiVersion: AV,
          time: '2026-01-02T03:04:05Z',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { 'f:team': {} } },
            'f:spec': { 'f:predictor': { 'f:minReplicas': {}, 'f:model': { 'f:modelFormat': { 'f:name': {} }, 'f:storageUri': {} } } },
          },
        },
      ],
    },
    spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://a' }, minReplicas: 1 } },
  });
});

test('re-apply of the same configuration changes nothing, not even the time', () => {
  const first = stored(applyOk(undefined, manifest('gs://a'), opts()).object);
  const again = applyOk(first, manifest('gs://a'), opts({ now: T1 }));
  assert.equal(again.changed, false);
  assert.deepEqual(again.object, first);
});

test('a field the applier stops applying is removed, with struct fields it leaves empty; server-set fields stay', () => {
  const first = stored(applyOk(undefined, manifest('gs://a', { minReplicas: 1, logger: { mode: 'all' } }), opts()).object);
  (first.status) = { url: 'http://iris.default.example.com' };
  const next = manifest('gs://a');
  delete (next.metadata as any).labels;
  const { object } = applyOk(first, next, opts({ now: T1 }));
  assert.deepEqual(object.spec, { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://a' } } });
  assert.equal((object.metadata as any).labels, undefined);
  assert.equal((object.metadata as any).uid, 'u-1');
  assert.deepEqual(object.status, { url: 'http://iris.default.example.com' }, 'main-resource apply keeps status');
  assert.deepEqual(mf(object)[0].fieldsV1, { 'f:spec': { 'f:predictor': { 'f:model': { 'f:modelFormat': { 'f:name': {} }, 'f:storageUri': {} } } } });
  assert.equal(mf(object)[0].time, '2026-01-02T03:05:00Z');
});

test('a field another applier also owns survives when one applier drops it', () => {
  const a = stored(applyOk(undefined, manifest('gs://a', { minReplicas: 1 }), opts({ manager: 'a' })).object);
  const b = stored(applyOk(a, manifest('gs://a', { minReplicas: 1 }), opts({ manager: 'b' })).object);
  const { object } = applyOk(b, manifest('gs://a'), opts({ manager: 'a', now: T1 }));
  assert.equal((object.spec as any).predictor.minReplicas, 1);
  assert.deepEqual(mf(object).map((e) => [e.manager, e.time]), [['b', '2026-01-02T03:04:05Z'], ['a', '2026-01-02T03:05:00Z']], 'sorted by time');
});

test('conflict with an Update manager: Kubernetes message; force takes the field over', () => {
  const created = stored(trackUpdate(undefined, manifest('gs://a'), { manager: 'kubectl-create', now: T0, apiVersion: AV, schema: isvc.schema, statusSubresource: true }));
  const r = serverSideApply(created, manifest('gs://b'), opts({ manager: 'ci', now: T1 }));
  assert.ok('conflicts' in r);
  assert.deepEqual(r.conflicts, [{ field: '.spec.predictor.model.storageUri', manager: 'kubectl-create', message: `conflict with "kubectl-create" using ${AV}` }]);
  assert.equal(r.message, `Apply failed with 1 conflict: conflict with "kubectl-create" using ${AV}: .spec.predictor.model.storageUri`);

  const same = applyOk(created, manifest('gs://a'), opts({ manager: 'ci', now: T1 }));
  assert.equal(same.changed, false, 'applying the value already there is no conflict');
  assert.deepEqual(mf(same.object).map((e) => [e.manager, e.operation]), [['ci', 'Apply'], ['kubectl-create', 'Update']]);

  const forced = applyOk(created, manifest('gs://b'), opts({ manager: 'ci', now: T1, force: true }));
  assert.equal((forced.object.spec as any).predictor.model.storageUri, 'gs://b');
  const createEntry = mf(forced.object).find((e) => e.manager === 'kubectl-create');
  assert.deepEqual(createEntry.fieldsV1['f:spec'], { '.': {}, 'f:predictor': { '.': {}, 'f:model': { '.': {}, 'f:modelFormat': { '.': {}, 'f:name': {} } } } });
});

test('create through a plain write: an Update entry with "." on every added map (FieldsV1 golden)', () => {
  const obj = trackUpdate(undefined, manifest('gs://a'), { manager: 'kubectl-client-side-apply', now: T0, apiVersion: AV, schema: isvc.schema, statusSubresource: true });
  assert.deepEqual(mf(obj), [
    {
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      apiVersion: AV,
      time: '2026-01-02T03:04:05Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:team': {} } },
        'f:spec': { '.': {}, 'f:predictor': { '.': {}, 'f:model': { '.': {}, 'f:modelFormat': { '.': {}, 'f:name': {} }, 'f:storageUri': {} } } },
      },
    },
  ]);
});

test('status subresource writes get their own entry; spec writes ignore status', () => {
  const base = { manager: 'kubectl-create', now: T0, apiVersion: AV, schema: isvc.schema, statusSubresource: true };
  const created = stored(trackUpdate(undefined, manifest('gs://a'), base));
  const withStatus = { ...created, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
  const afterStatus = trackUpdate(created, withStatus, { ...base, manager: 'controller', now: T1, subresource: 'status' });
  const entry = mf(afterStatus).find((e) => e.manager === 'controller');
  assert.deepEqual(entry, { manager: 'controller', operation: 'Update', apiVersion: AV, time: '2026-01-02T03:05:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { '.': {}, 'f:conditions': {} } }, subresource: 'status' });
  const applied = applyOk(afterStatus, { ...manifest('gs://a'), status: { url: 'ignored' } }, opts({ now: T1 }));
  assert.deepEqual(applied.object.status, withStatus.status);
  assert.equal(JSON.stringify(mf(applied.object)).includes('f:url'), false);
  const statusApply = applyOk(afterStatus, { apiVersion: AV, kind: 'InferenceService', metadata: { name: 'iris' }, status: { url: 'http://x' } }, opts({ manager: 'ctl', subresource: 'status', now: T1 }));
  assert.equal((statusApply.object.status as any).url, 'http://x');
  assert.deepEqual(statusApply.object.spec, created.spec);
});

test('an object without managedFields is owned by before-first-apply on its first apply', () => {
  const legacy = stored(manifest('gs://a'));
  const r = serverSideApply(legacy, manifest('gs://b'), opts());
  assert.ok('conflicts' in r);
  assert.equal(r.message, `Apply failed with 1 conflict: conflict with "before-first-apply" using ${AV}: .spec.predictor.model.storageUri`);
});

/** A schema of our own for the list types KServe's schemas use rarely. */
const lists: JsonSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        ports: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port', 'name'], items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' }, protocol: { type: 'string' } } } },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        args: { type: 'array', items: { type: 'string' } },
        env: { type: 'object', additionalProperties: { type: 'object', properties: { value: { type: 'string' } } } },
      },
    },
  },
};

test('map-lists (k:), set-lists (v:), atomic lists and map entries (FieldsV1 golden); finalizers are a set', () => {
  const obj = { apiVersion: 'example.io/v1', kind: 'W', metadata: { name: 'w', finalizers: ['example.io/x'] }, spec: { ports: [{ name: 'http', port: 80 }], tags: ['a', 'b'], args: ['--x'], env: { A: { value: '1' } } } };
  const { object } = applyOk(undefined, obj, opts({ apiVersion: 'example.io/v1', schema: lists, statusSubresource: false }));
  assert.deepEqual(mf(object)[0].fieldsV1, {
    'f:metadata': { 'f:finalizers': { 'v:"example.io/x"': {} } },
    'f:spec': {
      'f:args': {},
      'f:env': { 'f:A': { '.': {}, 'f:value': {} } },
      'f:ports': { 'k:{"name":"http","port":80}': { '.': {}, 'f:name': {}, 'f:port': {} } },
      'f:tags': { 'v:"a"': {}, 'v:"b"': {} },
    },
  });
  // Another manager adds a port and a tag; the first applier's next apply merges, not replaces.
  const other = applyOk(stored(object), { ...obj, metadata: { name: 'w' }, spec: { ports: [{ name: 'grpc', port: 81 }], tags: ['c'] } }, opts({ manager: 'other', apiVersion: 'example.io/v1', schema: lists, statusSubresource: false }));
  const spec = other.object.spec as any;
  assert.deepEqual(spec.ports, [{ name: 'http', port: 80 }, { name: 'grpc', port: 81 }]);
  assert.deepEqual(spec.tags, ['a', 'b', 'c']);
  const r = serverSideApply(stored(other.object), { ...obj, spec: { ...obj.spec, ports: [{ name: 'grpc', port: 81, protocol: 'UDP' }], args: ['--y'] } }, opts({ apiVersion: 'example.io/v1', schema: lists, statusSubresource: false }));
  assert.ok('object' in r, 'adding a field inside an item another manager owns is no conflict');
  const ports = (r.object.spec as any).ports;
  assert.deepEqual(ports, [{ name: 'grpc', port: 81, protocol: 'UDP' }], 'the http item this applier dropped is removed');
});

test('several conflicts: grouped by manager, sorted, as Kubernetes words them', () => {
  const msg = conflictMessage([
    { field: '.spec.b', manager: 'z', message: 'conflict with "z"' },
    { field: '.spec.a', manager: 'kubectl-edit', message: `conflict with "kubectl-edit" using ${AV}` },
    { field: '.spec.c', manager: 'z', message: 'conflict with "z"' },
  ]);
  assert.equal(msg, `Apply failed with 3 conflicts: conflicts with "kubectl-edit" using ${AV}:\n- .spec.a\nconflicts with "z":\n- .spec.b\n- .spec.c`);
});

test('malformed managedFields are reported with the entry and field', () => {
  const bad = { ...stored(manifest('gs://a')), metadata: { name: 'iris', managedFields: [{ manager: 'x', operation: 'Patch', fieldsV1: {} }] } };
  assert.throws(() => serverSideApply(bad, manifest('gs://a'), opts()), /metadata\.managedFields\[0\]\.operation: expected "Apply" or "Update", got "Patch"/);
  const bad2 = { ...bad, metadata: { name: 'iris', managedFields: [{ manager: 'x', operation: 'Update', fieldsV1: { 'x:spec': {} } }] } };
  assert.throws(() => trackUpdate(bad2, manifest('gs://a'), opts()), /fieldsV1: path element "x:spec"/);
});

test('plain updates: a changed field moves to the writer; a removed one leaves every owner', () => {
  const base = { now: T0, apiVersion: AV, schema: isvc.schema, statusSubresource: true };
  const applied = stored(applyOk(undefined, manifest('gs://a', { minReplicas: 1 }), opts()).object);
  const edited = structuredClone(applied) as any;
  edited.spec.predictor.model.storageUri = 'gs://b';
  delete edited.spec.predictor.minReplicas;
  const out = trackUpdate(applied, edited, { ...base, manager: 'kubectl-edit', now: T1 });
  const [apply, edit] = mf(out);
  assert.deepEqual(apply.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:team': {} } }, 'f:spec': { 'f:predictor': { 'f:model': { 'f:modelFormat': { 'f:name': {} } } } } });
  assert.deepEqual(edit, { manager: 'kubectl-edit', operation: 'Update', apiVersion: AV, time: '2026-01-02T03:05:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:predictor': { 'f:model': { 'f:storageUri': {} } } } } });
  const reset = trackUpdate(stored(out), { ...stored(out), metadata: { ...(stored(out).metadata as object), managedFields: [] } }, { ...base, manager: 'x' });
  assert.equal((reset.metadata as any).managedFields, undefined, 'an empty list resets ownership');
});

test('bound to the kinds: looks the schema up from apiVersion/kind; names an unknown kind', () => {
  const ssa = applyFunctionFor(ALL_KINDS);
  const r = ssa(undefined, manifest('gs://a'), { manager: 'kubectl', force: false, now: '2026-01-02T03:04:05Z' });
  assert.ok('object' in r);
  assert.equal(mf(r.object as Record<string, unknown>)[0].time, '2026-01-02T03:04:05Z');
  assert.throws(() => ssa(undefined, { ...manifest('gs://a'), apiVersion: 'serving.kserve.io/v9' }, { manager: 'k', force: false, now: '2026-01-02T03:04:05Z' }), /apiVersion\/kind: "serving.kserve.io\/v9"\/"InferenceService" is not a served kind/);
});
