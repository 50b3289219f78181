/**
 * Status as kubectl shows it: a controller's view (status written through the status
 * subresource over plain HTTP, as the reconciler will) appearing in `get` printer columns,
 * `wait --for=condition=Ready`, and `describe` with core/v1 Events about the object.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isvcYaml, useKubeCluster } from './support/kubectl.ts';

const { skip, c } = useKubeCluster();
const ISVCS = '/apis/serving.kserve.io/v1beta1/namespaces/default/inferenceservices';

/** Writes status through the status subresource with a merge patch, as a controller would. */
async function patchStatus(name: string, status: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${c.url}${ISVCS}/${name}/status`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ status }) });
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(res.status, 200, JSON.stringify(body));
  return body;
}

const readyStatus = (name: string): Record<string, unknown> => ({
  url: `http://${name}.default.example.com`,
  conditions: [
    { type: 'PredictorReady', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
    { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
  ],
  components: { predictor: { latestReadyRevision: `${name}-predictor-00001`, traffic: [{ revisionName: `${name}-predictor-00001`, percent: 100, latestRevision: true }] } },
});

test('wait --for=condition=Ready returns once the status subresource says Ready', { skip }, async () => {
  await c.ok(['apply', '-f', '-'], { stdin: isvcYaml('iris') });
  const gen = await c.ok(['get', 'isvc', 'iris', '-o', 'jsonpath={.metadata.generation}']);
  const waiting = c.kubectl(['wait', '--for=condition=Ready', 'isvc/iris', '--timeout=30s']);
  // kubectl wait lists first; a status written after that arrives through its watch.
  await patchStatus('iris', { conditions: [{ type: 'Ready', status: 'False', reason: 'Loading' }] });
  const after = await patchStatus('iris', readyStatus('iris'));
  const done = await waiting;
  assert.equal(done.code, 0, done.stderr);
  assert.equal(done.stdout, 'inferenceservice.serving.kserve.io/iris condition met\n');
  assert.equal(String((after.metadata as { generation: number }).generation), gen, 'status writes do not bump generation');

  const timeout = await c.kubectl(['wait', '--for=condition=PredictorReady=False', 'isvc/iris', '--timeout=1s']);
  assert.equal(timeout.code, 1);
  assert.match(timeout.stderr, /timed out waiting for the condition on inferenceservices\/iris/);
});

test('get shows the status through KServe printer columns', { skip }, async () => {
  const out = await c.ok(['get', 'isvc', 'iris']);
  assert.match(out, /^NAME\s+URL\s+READY\s+PREV\s+LATEST\s+PREVROLLEDOUTREVISION\s+LATESTREADYREVISION\s+AGE$/m);
  assert.match(out, /^iris\s+http:\/\/iris\.default\.example\.com\s+True\s+100\s+iris-predictor-00001\s+\d+s$/m);
  const spec = await c.ok(['apply', '-f', '-'], { stdin: isvcYaml('iris', 'gs://other') });
  assert.equal(spec, 'inferenceservice.serving.kserve.io/iris configured\n');
  assert.equal(await c.ok(['get', 'isvc', 'iris', '-o', 'jsonpath={.status.url}']), 'http://iris.default.example.com', 'spec writes keep status');
});

test('describe shows spec, status and the Events about the object', { skip }, async () => {
  const uid = await c.ok(['get', 'isvc', 'iris', '-o', 'jsonpath={.metadata.uid}']);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const event = (name: string, target: string, targetUid: string, reason: string): string => `apiVersion: v1
kind: Event
metadata:
  name: ${name}
involvedObject:
  apiVersion: serving.kserve.io/v1beta1
  kind: InferenceService
  name: ${target}
  namespace: default
  uid: ${targetUid}
reason: ${reason}
message: InferenceService [${target}] is Ready
type: Normal
source:
  component: kserve-ts-controller
firstTimestamp: "${now}"
lastTimestamp: "${now}"
count: 1
`;
  await c.ok(['create', '-f', '-'], { stdin: event('iris.ready', 'iris', uid, 'InferenceServiceReady') });
  await c.ok(['create', '-f', '-'], { stdin: event('other.ready', 'other', 'other-uid', 'NotAboutIris') });
  const out = await c.ok(['describe', 'isvc', 'iris']);
  assert.match(out, /^Name:\s+iris$/m);
  assert.match(out, /^Namespace:\s+default$/m);
  assert.match(out, /^API Version:\s+serving\.kserve\.io\/v1beta1$/m);
  assert.match(out, /^Kind:\s+InferenceService$/m);
  assert.match(out, /^ {6}Storage Uri:\s+gs:\/\/other$/m);
  assert.match(out, /^ {2}URL:\s+http:\/\/iris\.default\.example\.com$/m);
  assert.match(out, /^Events:\n {2}Type\s+Reason\s+Age\s+From\s+Message\n {2}-{4}\s+-{6}\s+-{3,}\s+-{4}\s+-{7}\n {2}Normal\s+InferenceServiceReady\s+\S+\s+kserve-ts-controller\s+InferenceService \[iris\] is Ready$/m);
  assert.doesNotMatch(out, /NotAboutIris/);
  const events = await c.ok(['get', 'events', '--field-selector', 'involvedObject.name=iris', '-o', 'jsonpath={.items[*].reason}']);
  assert.equal(events, 'InferenceServiceReady');
});
