/**
 * Bad input through the real kubectl (and raw HTTP where kubectl stops it before the server):
 * each answer names the field and what was expected, and nothing is stored.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isvcYaml, useKubeCluster } from './support/kubectl.ts';

const { skip, c } = useKubeCluster();
const ISVCS = '/apis/serving.kserve.io/v1beta1/namespaces/default/inferenceservices';

async function rejected(yaml: string): Promise<string> {
  const r = await c.kubectl(['apply', '-f', '-'], { stdin: yaml });
  assert.equal(r.code, 1, `expected kubectl to fail, got: ${r.stdout}`);
  assert.equal(r.stdout, '');
  return r.stderr;
}

const header = 'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: x\n';

test('invalid YAML: kubectl names the line; invalid JSON over HTTP: 400 Status', { skip }, async () => {
  assert.match(await rejected(`${header}spec:\n  predictor: [unclosed\n`), /^error: error parsing STDIN: error converting YAML to JSON: yaml: line 6: did not find expected ',' or ']'$/m);
  const res = await fetch(`${c.url}${ISVCS}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"apiVersion": ' });
  assert.equal(res.status, 400);
  const status = (await res.json()) as { kind: string; reason: string; message: string };
  assert.equal(status.kind, 'Status');
  assert.equal(status.reason, 'BadRequest');
  assert.match(status.message, /json parse error/);
});

/**
 * For a kind the server does not know, kubectl falls back to client-side validation: it needs
 * `/openapi/v2` as protobuf (openapi/proto-v2.ts) and, for an unknown kind in a known
 * group-version, the CustomResourceDefinition list (crds.ts).
 */
test('wrong apiVersion or kind: no such kind in that version', { skip }, async () => {
  assert.match(await rejected(isvcYaml('x').replace('serving.kserve.io/v1beta1', 'serving.kserve.io/v1')), /no matches for kind "InferenceService" in version "serving\.kserve\.io\/v1"/);
  assert.match(await rejected(isvcYaml('x').replace('kind: InferenceService', 'kind: InferenceServce')), /no matches for kind "InferenceServce" in version "serving\.kserve\.io\/v1beta1"/);
  const res = await fetch(`${c.url}${ISVCS}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } }) });
  assert.equal(res.status, 400);
  assert.match(((await res.json()) as { message: string }).message, /the API version in the data \(v1\) does not match the expected API version \(serving\.kserve\.io\/v1beta1\)/);
});

test('missing required fields name the field', { skip }, async () => {
  assert.equal(await rejected(`${header}spec: {}\n`), 'The InferenceService "x" is invalid: spec.predictor: Required value\n');
  assert.equal(await rejected(`${header}spec:\n  predictor:\n    model:\n      storageUri: gs://a\n`), 'The InferenceService "x" is invalid: spec.predictor.model.modelFormat: Required value\n');
  const noName = await rejected('apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {}\nspec:\n  predictor:\n    sklearn:\n      storageUri: gs://a\n');
  assert.match(noName, /resource name may not be empty/);
});

test('invalid names: DNS-1035 and length', { skip }, async () => {
  // kube-apiserver's generic rule for custom resources comes first (one cause), then KServe's webhook.
  assert.match(await rejected(isvcYaml('Bad_Name')), /is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist/);
  assert.match(await rejected(isvcYaml('1bad')), /metadata\.name: Invalid value: "1bad": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character/m);
  assert.match(await rejected(isvcYaml('a'.repeat(70))), /metadata\.name: Invalid value: "a{70}": must be no more than 63 characters/);
});

test('bad storageUri, two predictor implementations, canary out of range', { skip }, async () => {
  assert.match(await rejected(isvcYaml('x', 'ftp://host/model')), /^The InferenceService "x" is invalid: spec\.predictor\.model\.storageUri: Invalid value: "ftp:\/\/host\/model": must be one of: \[gs:\/\/, s3:\/\//);
  assert.match(await rejected(isvcYaml('x', 'gs://a', '    xgboost:\n      storageUri: gs://b\n')), /^The InferenceService "x" is invalid: spec\.predictor: Invalid value: \["xgboost","model"\]: exactly one of \[model, sklearn, xgboost/);
  assert.equal(await rejected(isvcYaml('x', 'gs://a', '    canaryTrafficPercent: 120\n')), 'The InferenceService "x" is invalid: spec.predictor.canaryTrafficPercent: Invalid value: 120: must be between 0 and 100\n');
});

test('an oversized body is 413, and nothing bad was stored', { skip }, async () => {
  const res = await fetch(`${c.url}${ISVCS}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 'a'.repeat(4 * 1024 * 1024) }) });
  assert.equal(res.status, 413);
  assert.equal(((await res.json()) as { reason: string }).reason, 'RequestEntityTooLarge');
  const list = await c.kubectl(['get', 'isvc', '-A']);
  assert.match(list.stderr, /No resources found/);
});
