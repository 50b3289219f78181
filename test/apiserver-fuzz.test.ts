/**
 * Bad input never becomes a 500: random JSON bodies (and random mutations of a valid
 * InferenceService) sent to create, replace and patch always get a 2xx or a 4xx Status.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { call, isvc, ISVC_PATH, startTestServer, type Running } from './apiserver-helpers.ts';

let r: Running;
before(async () => {
  r = await startTestServer();
  await call(r.url, 'POST', ISVC_PATH, isvc('fuzz-target'));
});
after(async () => r.close());

const json = fc.jsonValue({ maxDepth: 4 });

/** A valid InferenceService with one random value planted at a random path. */
const mutated = fc.tuple(fc.array(fc.constantFrom('metadata', 'spec', 'predictor', 'model', 'modelFormat', 'name', 'storageUri', 'labels', 'minReplicas', 'transformer', 'containers', '0', 'status'), { minLength: 1, maxLength: 5 }), json).map(([path, value]) => {
  const obj: any = isvc('fuzz-mut');
  let cur = obj;
  for (const key of path.slice(0, -1)) {
    if (cur[key] === null || typeof cur[key] !== 'object') cur[key] = {};
    cur = cur[key];
  }
  cur[path[path.length - 1]!] = value;
  return obj;
});

async function statusOf(method: string, path: string, body: unknown, contentType = 'application/json'): Promise<number> {
  const res = await call(r.url, method, path, body === undefined ? 'null' : body, { 'content-type': contentType });
  assert.ok(res.status < 500, `${method} ${path} ${JSON.stringify(body).slice(0, 300)} → ${res.status} ${JSON.stringify(res.body)}`);
  if (res.status >= 400) assert.equal(res.body.kind, 'Status');
  return res.status;
}

test('random JSON bodies: create, replace, merge patch, JSON patch, apply never answer 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(json, async (body) => {
      await statusOf('POST', `${ISVC_PATH}?fieldValidation=Strict`, body);
      await statusOf('PUT', `${ISVC_PATH}/fuzz-target`, body);
      await statusOf('PATCH', `${ISVC_PATH}/fuzz-target`, body, 'application/merge-patch+json');
      await statusOf('PATCH', `${ISVC_PATH}/fuzz-target`, body, 'application/json-patch+json');
      await statusOf('PATCH', `${ISVC_PATH}/fuzz-target?fieldManager=fuzz`, body, 'application/apply-patch+yaml');
    }),
    { numRuns: 150 },
  );
});

test('mutated InferenceServices: create and apply never answer 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(mutated, fc.constantFrom('Strict', 'Warn', 'Ignore'), async (obj, mode) => {
      const code = await statusOf('POST', `${ISVC_PATH}?fieldValidation=${mode}`, obj);
      if (code === 201) await call(r.url, 'DELETE', `${ISVC_PATH}/fuzz-mut`);
      await statusOf('PATCH', `${ISVC_PATH}/fuzz-target?fieldManager=fuzz&force=true`, { ...obj, metadata: { ...(typeof obj.metadata === 'object' && obj.metadata ? obj.metadata : {}), name: 'fuzz-target' } }, 'application/apply-patch+yaml');
    }),
    { numRuns: 300 },
  );
});
