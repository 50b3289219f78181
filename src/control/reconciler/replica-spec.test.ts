import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinClusterServingRuntimes } from '../../api/index.ts';
import { buildReplicaSpec, localModelDir, renderTemplate, specHash } from './replica-spec.ts';
import { nextRevisionName, parseRevisionId, revisionId, revisionState } from './observe.ts';

const meta = { name: 'iris', namespace: 'team', labels: { tier: 'gold' }, annotations: { 'a.io/x': 'y' } };

test('KServe container templates render from the InferenceService metadata', () => {
  assert.equal(renderTemplate('--model_name={{.Name}} ns={{ .Namespace }} l={{.Labels.tier}} a={{.Annotations.a.io/x}} m={{.Labels.none}}', meta), '--model_name=iris ns=team l=gold a=y m=');
});

test('storageUri: file:// and local paths map to a directory; other schemes are a reason naming the uri', () => {
  assert.equal(localModelDir('file:///models/iris', '/srv'), '/models/iris');
  assert.equal(localModelDir('file://models/iris', '/srv'), '/srv/models/iris');
  assert.equal(localModelDir('./models/iris', '/srv'), '/srv/models/iris');
  assert.equal(localModelDir('/abs/iris', '/srv'), '/abs/iris');
  assert.deepEqual(localModelDir('gs://b/iris', '/srv'), { reason: 'StorageUriNotSupported', message: 'storageUri "gs://b/iris": scheme "gs://" is not supported yet in embedded mode: expected file:// or a local path' });
});

test('the replica spec: launcher command, ports for the driver, model dir, model args and env', () => {
  const sk = builtinClusterServingRuntimes()[0] as Record<string, unknown>;
  const isvc = { metadata: meta, spec: { predictor: { model: { storageUri: 'file:///m', args: ['--workers=2'], env: [{ name: 'X', value: '{{.Name}}' }] } } } };
  const spec = buildReplicaSpec(isvc, sk, { launcher: 'node', launcherArgs: ['cli.js'], baseDir: '/' });
  assert.ok(!('reason' in spec));
  assert.equal(spec.command, 'node');
  assert.deepEqual(spec.args, ['cli.js', 'model-server', '--model_name=iris', '--workers=2', '--model_dir=/m', '--http_port=$(KSERVE_TS_HTTP_PORT)', '--grpc_port=$(KSERVE_TS_GRPC_PORT)']);
  assert.deepEqual(spec.env, { X: 'iris' });
  const missing = buildReplicaSpec({ metadata: meta, spec: { predictor: { model: {} } } }, sk, { launcher: 'node', baseDir: '/' });
  assert.equal('reason' in missing && missing.reason, 'InvalidPredictorSpec');
});

test('the spec hash ignores the revision and key order, and changes with the spec', () => {
  const a = { revision: 'r1', command: 'c', args: ['x'], env: { A: '1', B: '2' }, readinessPath: '/r' };
  const b = { readinessPath: '/r', env: { B: '2', A: '1' }, args: ['x'], command: 'c', revision: 'r2' };
  assert.equal(specHash(a), specHash(b));
  assert.notEqual(specHash(a), specHash({ ...a, env: { A: '1', B: '3' } }));
});

test('revision names count up as Knative does; ids round-trip', () => {
  assert.equal(nextRevisionName('iris', undefined), 'iris-predictor-00001');
  assert.equal(nextRevisionName('iris', 'iris-predictor-00009'), 'iris-predictor-00010');
  const id = revisionId('ns', 'iris', 'iris-predictor-00002');
  assert.deepEqual(parseRevisionId(id), { namespace: 'ns', name: 'iris', component: 'predictor', revision: 'iris-predictor-00002' });
  assert.equal(revisionId('ns', 'iris', 'iris-transformer-00001', 'transformer'), 'ns/iris/transformer/iris-transformer-00001');
  assert.equal(nextRevisionName('iris', 'iris-transformer-00001', 'transformer'), 'iris-transformer-00002');
  assert.equal(parseRevisionId('ns/iris/sidecar/x'), undefined);
  assert.equal(parseRevisionId('something/else'), undefined);
});

test('revision state: Loaded only when every replica is Ready; a failure carries the log tail and exit code', () => {
  const r = (phase: 'Ready' | 'Starting' | 'Failed') => ({ name: 'x-1', revision: 'x', phase, restarts: 0 });
  assert.equal(revisionState([]).state, 'Loading');
  assert.equal(revisionState([r('Ready'), r('Starting')]).state, 'Loading');
  assert.equal(revisionState([r('Ready'), r('Ready')]).state, 'Loaded');
  const failed = revisionState([r('Ready'), { ...r('Failed'), lastExit: { code: 3, signal: null, reason: 'Error', logTail: 'boom\n', at: '' } }]);
  assert.deepEqual(failed, { state: 'FailedToLoad', failure: { message: 'boom', exitCode: 3 }, copies: { failedCopies: 1, totalCopies: 2 } });
});
