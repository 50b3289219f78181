/**
 * The real kubectl writing through the API server: client-side apply with each validation mode,
 * server-side apply with conflicts, create, replace, edit, patch (merge, JSON, strategic),
 * label, annotate, and delete with finalizers. Asserts on kubectl's own output.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isvcYaml, useKubeCluster } from './support/kubectl.ts';

const { skip, c } = useKubeCluster();
const jp = (name: string, path: string): Promise<string> => c.ok(['get', 'isvc', name, '-o', `jsonpath=${path}`]);

test('apply -f: created, unchanged, configured', { skip }, async () => {
  const f = await c.file('iris.yaml', isvcYaml('iris'));
  assert.equal(await c.ok(['apply', '-f', f]), 'inferenceservice.serving.kserve.io/iris created\n');
  assert.equal(await c.ok(['apply', '-f', f]), 'inferenceservice.serving.kserve.io/iris unchanged\n');
  await c.file('iris.yaml', isvcYaml('iris', 'gs://bucket/v2'));
  assert.equal(await c.ok(['apply', '-f', f]), 'inferenceservice.serving.kserve.io/iris configured\n');
  assert.equal(await jp('iris', '{.spec.predictor.model.storageUri}'), 'gs://bucket/v2');
  assert.match(await jp('iris', '{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}'), /"storageUri":"gs:\/\/bucket\/v2"/);
});

test('apply validation: a typo is rejected (Strict), warned about (Warn), pruned silently (false)', { skip }, async () => {
  const typo = isvcYaml('typo', undefined, '    sklearnn:\n      storageUri: gs://x\n');
  const strict = await c.kubectl(['apply', '-f', '-'], { stdin: typo });
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /unknown field "spec\.predictor\.sklearnn"/);
  assert.match((await c.kubectl(['get', 'isvc', 'typo'])).stderr, /NotFound/);

  const warn = await c.kubectl(['apply', '--validate=warn', '-f', '-'], { stdin: typo });
  assert.equal(warn.code, 0, warn.stderr);
  assert.match(warn.stderr, /Warning: unknown field "spec\.predictor\.sklearnn"/);
  assert.equal(warn.stdout, 'inferenceservice.serving.kserve.io/typo created\n');
  assert.equal(await jp('typo', '{.spec.predictor.sklearnn}'), '');

  const off = await c.kubectl(['apply', '--validate=false', '-f', '-'], { stdin: typo.replace('name: typo', 'name: typo2') });
  assert.equal(off.code, 0, off.stderr);
  assert.doesNotMatch(off.stderr, /unknown field/);
  assert.equal(await jp('typo2', '{.spec.predictor.sklearnn}'), '');
});

test('apply --server-side: serverside-applied, managedFields, conflict, --force-conflicts', { skip }, async () => {
  const yaml = isvcYaml('ssa', 'gs://a');
  assert.equal(await c.ok(['apply', '--server-side', '--field-manager=team-a', '-f', '-'], { stdin: yaml }), 'inferenceservice.serving.kserve.io/ssa serverside-applied\n');
  const obj = JSON.parse(await c.ok(['get', 'isvc', 'ssa', '-o', 'json', '--show-managed-fields'])) as { metadata: { managedFields: { manager: string; operation: string; fieldsV1: Record<string, unknown> }[] } };
  const entry = obj.metadata.managedFields.find((e) => e.manager === 'team-a');
  assert.equal(entry?.operation, 'Apply');
  assert.deepEqual(entry.fieldsV1, { 'f:spec': { 'f:predictor': { 'f:model': { 'f:modelFormat': { 'f:name': {} }, 'f:storageUri': {} } } } });

  const clash = await c.kubectl(['apply', '--server-side', '--field-manager=team-b', '-f', '-'], { stdin: isvcYaml('ssa', 'gs://b') });
  assert.equal(clash.code, 1);
  assert.match(clash.stderr, /Apply failed with 1 conflict: conflict with "team-a": \.spec\.predictor\.model\.storageUri/);
  assert.match(clash.stderr, /Please review the fields above--they currently have other managers/);
  assert.equal(await jp('ssa', '{.spec.predictor.model.storageUri}'), 'gs://a');

  const forced = await c.ok(['apply', '--server-side', '--field-manager=team-b', '--force-conflicts', '-f', '-'], { stdin: isvcYaml('ssa', 'gs://b') });
  assert.equal(forced, 'inferenceservice.serving.kserve.io/ssa serverside-applied\n');
  assert.equal(await jp('ssa', '{.spec.predictor.model.storageUri}'), 'gs://b');
});

test('plain writes are tracked as Update managers; server-side apply over client-side apply conflicts with them', { skip }, async () => {
  await c.ok(['apply', '-f', '-'], { stdin: isvcYaml('mixed', 'gs://csa') });
  const managers = async (): Promise<string[]> => {
    const obj = JSON.parse(await c.ok(['get', 'isvc', 'mixed', '-o', 'json', '--show-managed-fields'])) as { metadata: { managedFields: { manager: string; operation: string }[] } };
    return obj.metadata.managedFields.map((e) => `${e.manager}/${e.operation}`);
  };
  assert.deepEqual(await managers(), ['kubectl-client-side-apply/Update']);
  await c.ok(['label', 'isvc', 'mixed', 'team=ml']);
  assert.deepEqual(await managers(), ['kubectl-client-side-apply/Update', 'kubectl-label/Update']);
  const clash = await c.kubectl(['apply', '--server-side', '-f', '-'], { stdin: isvcYaml('mixed', 'gs://ssa') });
  assert.equal(clash.code, 1);
  assert.match(clash.stderr, /Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using serving\.kserve\.io\/v1beta1: \.spec\.predictor\.model\.storageUri/);
  await c.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], { stdin: isvcYaml('mixed', 'gs://ssa') });
  // kubectl then migrates client-side-apply ownership itself (csaupgrade: a JSON patch of
  // managedFields), leaving the last-applied annotation to a "kubectl-last-applied" applier.
  assert.deepEqual(await managers(), ['kubectl/Apply', 'kubectl-last-applied/Apply', 'kubectl-label/Update']);
  assert.equal(await jp('mixed', '{.metadata.labels.team}'), 'ml', 'fields of other managers stay');
});

test('create, then AlreadyExists; replace', { skip }, async () => {
  const f = await c.file('created.yaml', isvcYaml('created'));
  assert.equal(await c.ok(['create', '-f', f]), 'inferenceservice.serving.kserve.io/created created\n');
  const again = await c.kubectl(['create', '-f', f]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /Error from server \(AlreadyExists\): error when creating ".*created\.yaml": inferenceservices\.serving\.kserve\.io "created" already exists/);
  await c.file('created.yaml', isvcYaml('created', 'gs://replaced'));
  assert.equal(await c.ok(['replace', '-f', f]), 'inferenceservice.serving.kserve.io/created replaced\n');
  assert.equal(await jp('created', '{.spec.predictor.model.storageUri}'), 'gs://replaced');
});

test('create namespace (kubectl sends core kinds as protobuf)', { skip }, async () => {
  assert.equal(await c.ok(['create', 'namespace', 'made-by-create']), 'namespace/made-by-create created\n');
});

test('edit through KUBE_EDITOR rewrites the object', { skip }, async () => {
  await c.ok(['apply', '-f', '-'], { stdin: isvcYaml('edited', 'gs://before') });
  const editor = await c.file('editor.sh', '#!/bin/sh\nsed -i "s#gs://before#gs://after#" "$1"\n');
  const out = await c.ok(['edit', 'isvc', 'edited'], { env: { KUBE_EDITOR: editor } });
  assert.equal(out, 'inferenceservice.serving.kserve.io/edited edited\n');
  assert.equal(await jp('edited', '{.spec.predictor.model.storageUri}'), 'gs://after');
});

test('patch: merge and JSON patch apply; strategic merge is refused as for any custom kind', { skip }, async () => {
  await c.ok(['apply', '-f', '-'], { stdin: isvcYaml('patched') });
  assert.equal(await c.ok(['patch', 'isvc', 'patched', '--type', 'merge', '-p', '{"spec":{"predictor":{"minReplicas":2}}}']), 'inferenceservice.serving.kserve.io/patched patched\n');
  assert.equal(await jp('patched', '{.spec.predictor.minReplicas}'), '2');
  assert.equal(await c.ok(['patch', 'isvc', 'patched', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/predictor/minReplicas","value":3}]']), 'inferenceservice.serving.kserve.io/patched patched\n');
  assert.equal(await jp('patched', '{.spec.predictor.minReplicas}'), '3');
  const smp = await c.kubectl(['patch', 'isvc', 'patched', '--type', 'strategic', '-p', '{"spec":{"predictor":{"minReplicas":4}}}']);
  assert.equal(smp.code, 1);
  assert.equal(
    smp.stderr,
    'error: application/strategic-merge-patch+json is not supported by serving.kserve.io/v1beta1, Kind=InferenceService: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n',
  );
  const badJson = await c.kubectl(['patch', 'isvc', 'patched', '--type', 'json', '-p', '[{"op":"test","path":"/spec/predictor/minReplicas","value":9}]']);
  assert.equal(badJson.code, 1);
  assert.equal(await jp('patched', '{.spec.predictor.minReplicas}'), '3');
});

test('label and annotate', { skip }, async () => {
  await c.ok(['apply', '-f', '-'], { stdin: isvcYaml('tagged') });
  assert.equal(await c.ok(['label', 'isvc', 'tagged', 'team=ml']), 'inferenceservice.serving.kserve.io/tagged labeled\n');
  assert.equal(await c.ok(['annotate', 'isvc', 'tagged', 'example.com/owner=alice']), 'inferenceservice.serving.kserve.io/tagged annotated\n');
  assert.equal(await jp('tagged', '{.metadata.labels.team}'), 'ml');
  assert.equal(await jp('tagged', '{.metadata.annotations.example\\.com/owner}'), 'alice');
  assert.equal(await c.ok(['label', 'isvc', 'tagged', 'team-']), 'inferenceservice.serving.kserve.io/tagged unlabeled\n');
  assert.equal(await jp('tagged', '{.metadata.labels.team}'), '');
  const clash = await c.kubectl(['label', 'isvc', 'tagged', 'tier=a']);
  assert.equal(clash.code, 0);
  const overwrite = await c.kubectl(['label', 'isvc', 'tagged', 'tier=b']);
  assert.equal(overwrite.code, 1);
  assert.match(overwrite.stderr, /'tier' already has a value \(a\), and --overwrite is false/);
});

test('delete: a finalizer holds the object with deletionTimestamp; --wait returns once it is gone', { skip }, async () => {
  await c.ok(['apply', '-f', '-'], { stdin: isvcYaml('held') });
  await c.ok(['patch', 'isvc', 'held', '--type', 'merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}']);
  assert.equal(await c.ok(['delete', 'isvc', 'held', '--wait=false']), 'inferenceservice.serving.kserve.io "held" deleted\n');
  assert.match(await jp('held', '{.metadata.deletionTimestamp}'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(await jp('held', '{.metadata.finalizers[0]}'), 'example.com/hold');

  const waiting = c.kubectl(['delete', 'isvc', 'held', '--timeout=20s']);
  const w = c.stream(['get', 'isvc', 'held', '-w', '--output-watch-events', '-o', 'jsonpath={.type}{"\\n"}']);
  await w.waitFor(/ADDED/);
  await c.ok(['patch', 'isvc', 'held', '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
  await w.waitFor(/DELETED/);
  await w.kill();
  const done = await waiting;
  assert.equal(done.code, 0, done.stderr);
  assert.equal(done.stdout, 'inferenceservice.serving.kserve.io "held" deleted\n');
  const gone = await c.kubectl(['get', 'isvc', 'held']);
  assert.match(gone.stderr, /Error from server \(NotFound\): inferenceservices\.serving\.kserve\.io "held" not found/);

  await c.ok(['apply', '-f', '-'], { stdin: isvcYaml('plain') });
  assert.equal(await c.ok(['delete', 'isvc', 'plain']), 'inferenceservice.serving.kserve.io "plain" deleted\n');
});
