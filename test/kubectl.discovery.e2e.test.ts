/**
 * The real kubectl against the API server: discovery, explain, and every way of reading
 * (`get` by name, plural, short name and group-qualified name, output formats, selectors, -A,
 * -w). Asserts on kubectl's own output.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isvcYaml, useKubeCluster } from './support/kubectl.ts';

const { skip, c } = useKubeCluster(async (k) => {
  await k.ok(['apply', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-b\n' });
  await k.ok(['apply', '-f', '-'], { stdin: isvcYaml('iris') });
  await k.ok(['apply', '-n', 'team-b', '-f', '-'], { stdin: isvcYaml('flowers', 'gs://b/model') });
});

test('api-resources lists KServe kinds with short names, API versions and scope', { skip }, async () => {
  const out = await c.ok(['api-resources']);
  assert.match(out, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/m);
  assert.match(out, /^inferenceservices\s+isvc\s+serving\.kserve\.io\/v1beta1\s+true\s+InferenceService$/m);
  assert.match(out, /^inferencegraphs\s+ig\s+serving\.kserve\.io\/v1alpha1\s+true\s+InferenceGraph$/m);
  assert.match(out, /^trainedmodels\s+tm\s+serving\.kserve\.io\/v1alpha1\s+true\s+TrainedModel$/m);
  assert.match(out, /^clusterservingruntimes\s+serving\.kserve\.io\/v1alpha1\s+false\s+ClusterServingRuntime$/m);
  assert.match(out, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
  const grouped = await c.ok(['api-resources', '--api-group=serving.kserve.io', '-o', 'name']);
  assert.deepEqual(grouped.trim().split('\n').sort(), ['clusterservingruntimes.serving.kserve.io', 'inferencegraphs.serving.kserve.io', 'inferenceservices.serving.kserve.io', 'servingruntimes.serving.kserve.io', 'trainedmodels.serving.kserve.io']);
});

test('api-versions and version', { skip }, async () => {
  assert.deepEqual((await c.ok(['api-versions'])).trim().split('\n'), ['apiextensions.k8s.io/v1', 'serving.kserve.io/v1alpha1', 'serving.kserve.io/v1beta1', 'v1']);
  const v = await c.ok(['version', '-o', 'json']);
  const parsed = JSON.parse(v) as { serverVersion: { major: string; minor: string; gitVersion: string } };
  assert.equal(parsed.serverVersion.major, '1');
  assert.match(parsed.serverVersion.gitVersion, /^v1\.\d+\.\d+/);
});

test('explain inferenceservice.spec.predictor prints the field descriptions', { skip }, async () => {
  const out = await c.ok(['explain', 'inferenceservice.spec.predictor']);
  assert.match(out, /^GROUP:\s+serving\.kserve\.io$/m);
  assert.match(out, /^KIND:\s+InferenceService$/m);
  assert.match(out, /^VERSION:\s+v1beta1$/m);
  assert.match(out, /^FIELD: predictor <Object>$/m);
  assert.match(out, /^ {2}model\t<Object>$/m);
  assert.match(out, /^ {2}minReplicas\t<integer>$/m);
  assert.match(out, /^ {2}containers\t<\[\]Object>$/m);
  const model = await c.ok(['explain', 'isvc.spec.predictor.model.storageUri']);
  assert.match(model, /^FIELD: storageUri <string>$/m);
  const meta = await c.ok(['explain', 'isvc.metadata.labels']);
  assert.match(meta, /^FIELD: labels <map\[string\]string>$/m, 'metadata resolves through the ObjectMeta reference');
});

test('explain isvc --recursive walks the whole schema', { skip }, async () => {
  const out = await c.ok(['explain', 'isvc', '--recursive']);
  assert.match(out, /^ {2}spec\t<Object>/m);
  assert.match(out, /^ {4}predictor\t<Object>/m);
  assert.match(out, /^ {6}model\t<Object>/m);
  assert.match(out, /^ {8}storageUri\t<string>/m);
  assert.match(out, /^ {2}status\t<Object>/m);
  const ig = await c.ok(['explain', 'ig.spec.nodes', '--recursive']);
  assert.match(ig, /^FIELD: nodes </m);
});

test('get by plural, short name and group-qualified name shows KServe printer columns', { skip }, async () => {
  for (const name of ['isvc', 'inferenceservices', 'inferenceservice', 'isvc.serving.kserve.io']) {
    const out = await c.ok(['get', name]);
    const [header, ...rows] = out.trim().split('\n');
    assert.match(header!, /^NAME\s+URL\s+READY\s+PREV\s+LATEST\s+PREVROLLEDOUTREVISION\s+LATESTREADYREVISION\s+AGE$/, name);
    assert.equal(rows.length, 1, name);
    assert.match(rows[0]!, /^iris\s+\d+s$/, 'no status yet: URL and READY are blank, AGE in seconds');
  }
  const empty = await c.kubectl(['get', 'ig']);
  assert.equal(empty.code, 0);
  assert.match(empty.stderr, /No resources found in default namespace\./);
  assert.match((await c.kubectl(['get', 'tm'])).stderr, /No resources found in default namespace\./);
});

test('-A, -o wide|yaml|json|jsonpath|name, -l and --field-selector', { skip }, async () => {
  const all = await c.ok(['get', 'isvc', '-A']);
  assert.match(all, /^NAMESPACE\s+NAME\s+URL/m);
  assert.match(all, /^default\s+iris\s/m);
  assert.match(all, /^team-b\s+flowers\s/m);
  assert.match(await c.ok(['get', 'isvc', 'iris', '-o', 'wide']), /^NAME\s+URL\s+READY/m);
  const yaml = await c.ok(['get', 'isvc', 'iris', '-o', 'yaml']);
  assert.match(yaml, /^kind: InferenceService$/m);
  assert.match(yaml, /^ {6}storageUri: gs:\/\/kfserving-examples\/models\/sklearn\/1\.0\/model$/m);
  const json = JSON.parse(await c.ok(['get', 'isvc', 'iris', '-o', 'json'])) as { metadata: { name: string; uid: string; resourceVersion: string } };
  assert.equal(json.metadata.name, 'iris');
  assert.ok(json.metadata.uid && json.metadata.resourceVersion);
  assert.equal(await c.ok(['get', 'isvc', 'iris', '-o', 'jsonpath={.spec.predictor.model.storageUri}']), 'gs://kfserving-examples/models/sklearn/1.0/model');
  assert.equal(await c.ok(['get', 'isvc', '-A', '-o', 'name']), 'inferenceservice.serving.kserve.io/iris\ninferenceservice.serving.kserve.io/flowers\n');

  await c.ok(['label', 'isvc', 'flowers', '-n', 'team-b', 'tier=gold']);
  assert.equal(await c.ok(['get', 'isvc', '-A', '-l', 'tier=gold', '-o', 'jsonpath={.items[*].metadata.name}']), 'flowers');
  assert.equal(await c.ok(['get', 'isvc', '-A', '-l', 'tier!=gold', '-o', 'jsonpath={.items[*].metadata.name}']), 'iris');
  assert.equal(await c.ok(['get', 'isvc', '-A', '--field-selector', 'metadata.name=iris', '-o', 'jsonpath={.items[*].metadata.namespace}']), 'default');
  assert.equal(await c.ok(['get', 'isvc', '-A', '--field-selector', 'metadata.namespace=team-b', '-o', 'name']), 'inferenceservice.serving.kserve.io/flowers\n');
});

test('get -w prints a line for a change made while watching', { skip }, async () => {
  const w = c.stream(['get', 'isvc', '-w']);
  try {
    await w.waitFor(/^iris\s/m);
    await c.ok(['apply', '-f', '-'], { stdin: isvcYaml('watched') });
    await w.waitFor(/^watched\s/m);
    await c.ok(['delete', 'isvc', 'watched', '--wait=false']);
    const json = c.stream(['get', 'isvc', '-w', '--output-watch-events', '-o', 'jsonpath={.type} {.object.metadata.name}{"\\n"}']);
    try {
      await json.waitFor(/ADDED iris/);
      await c.ok(['label', 'isvc', 'iris', 'seen=yes']);
      await json.waitFor(/MODIFIED iris/);
    } finally {
      await json.kill();
    }
  } finally {
    await w.kill();
  }
});
